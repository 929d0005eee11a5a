import DoppelCore

/// How ``UtilityEvaluator`` trains and probes its models.
public struct UtilityOptions: Sendable, Equatable {
  /// The forest trained on each table (100 trees by default; fewer are faster and noisier).
  public var forest: RandomForestOptions
  /// Shuffles per feature for permutation importance; at least 1.
  public var permutationRepeats: Int
  /// The most rows of the real or synthetic training table a forest is trained on; larger tables
  /// are sampled (seeded, without replacement). At least 100.
  public var maximumTrainingRows: Int = 200_000
  /// The most test rows scored; a larger test table is sampled the same way. At least 100.
  public var maximumTestRows: Int = 100_000

  /// Creates options.
  /// - Parameters:
  ///   - forest: The forest trained on the synthetic and on the real training table.
  ///   - permutationRepeats: Shuffles per feature for permutation importance.
  public init(forest: RandomForestOptions = .init(), permutationRepeats: Int = 3) {
    self.forest = forest
    self.permutationRepeats = permutationRepeats
  }

  /// Checks every option at once.
  /// - Throws: ``DoppelError`` `invalidArgument` naming each option out of range.
  public func validate() throws {
    var problems: [String] = []
    do {
      try forest.validate()
    } catch let error as DoppelError {
      problems.append(error.message)
    }
    if permutationRepeats < 1 { problems.append("permutationRepeats must be 1 or more") }
    if maximumTrainingRows < 100 { problems.append("maximumTrainingRows must be 100 or more") }
    if maximumTestRows < 100 { problems.append("maximumTestRows must be 100 or more") }
    if !problems.isEmpty {
      throw DoppelError(.invalidArgument, problems.joined(separator: "; "))
    }
  }
}
