/// What made a synthetic table: the report's model card.
public struct ModelCard: Sendable, Codable, Equatable {
  /// The synthesizer kind.
  public var synthesizer: String
  /// The hyper-parameters as `key: value` text, sorted by key.
  public var hyperParameters: [String: String]
  /// The fitting seed.
  public var seed: UInt64?
  /// The differential-privacy budget, such as `ε = 1, δ = 1e-5`, if any.
  public var privacyBudget: String?
  /// Training rows.
  public var trainingRows: Int
  /// Training columns.
  public var trainingColumns: Int
  /// The Doppel version.
  public var doppelVersion: String
  /// Seconds spent fitting.
  public var fitSeconds: Double?
  /// Seconds spent sampling.
  public var sampleSeconds: Double?

  /// Creates a model card.
  /// - Parameters:
  ///   - synthesizer: The synthesizer kind.
  ///   - hyperParameters: The hyper-parameters.
  ///   - seed: The seed.
  ///   - privacyBudget: The DP budget.
  ///   - trainingRows: Training rows.
  ///   - trainingColumns: Training columns.
  ///   - doppelVersion: The version.
  ///   - fitSeconds: Fit time.
  ///   - sampleSeconds: Sample time.
  public init(
    synthesizer: String, hyperParameters: [String: String], seed: UInt64?, privacyBudget: String?,
    trainingRows: Int, trainingColumns: Int, doppelVersion: String, fitSeconds: Double?,
    sampleSeconds: Double?
  ) {
    self.synthesizer = synthesizer
    self.hyperParameters = hyperParameters
    self.seed = seed
    self.privacyBudget = privacyBudget
    self.trainingRows = trainingRows
    self.trainingColumns = trainingColumns
    self.doppelVersion = doppelVersion
    self.fitSeconds = fitSeconds
    self.sampleSeconds = sampleSeconds
  }
}
