/// A fitted model whose training was differentially private, with its ledger.
///
/// Reports and the service can show ``accounting`` next to the privacy metrics without knowing
/// which synthesizer made the model.
public protocol DifferentiallyPrivateModel: FittedModel {
  /// What the model spent, on what, and what it assumed public.
  var accounting: PrivacyAccounting { get }
}
