/// A fitted neural model that may have been trained with DP-SGD (Abadi et al., "Deep Learning
/// with Differential Privacy", CCS 2016) and then records its guarantee.
public protocol DPSGDTrainedModel {
  /// The (ε, δ) guarantee, or `nil` when trained without differential privacy.
  var privacy: PrivacyGuarantee? { get }
}

extension TVAEModel: DPSGDTrainedModel {}
extension CTGANModel: DPSGDTrainedModel {}
