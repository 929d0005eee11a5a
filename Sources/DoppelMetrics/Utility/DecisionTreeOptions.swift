import DoppelCore

/// How far a ``DecisionTree`` grows and how many features each split may look at.
///
/// The defaults grow a tree until its leaves are pure, as the trees of a random forest are grown
/// (Breiman 2001); set ``maxDepth`` or ``minSamplesLeaf`` for a single, readable tree.
public struct DecisionTreeOptions: Sendable, Equatable {
  /// The deepest a leaf may be (the root has depth 0), or `nil` for no limit.
  public var maxDepth: Int?
  /// A node with fewer (weighted) rows than this becomes a leaf; at least 2.
  public var minSamplesSplit: Int
  /// Each child of a split keeps at least this many (weighted) rows; at least 1.
  public var minSamplesLeaf: Int
  /// How many features, drawn at random, each split examines (features constant within the node
  /// are passed over and do not count), or `nil` for all of them.
  public var maxFeatures: Int?
  /// The most bins of a numeric feature's values, in 2...65,000; more bins find finer thresholds
  /// at a higher cost per node.
  public var maxBins: Int

  /// Creates options.
  /// - Parameters:
  ///   - maxDepth: The deepest a leaf may be, or `nil` for no limit.
  ///   - minSamplesSplit: The fewest rows a node needs to be split.
  ///   - minSamplesLeaf: The fewest rows each child keeps.
  ///   - maxFeatures: Features examined per split, or `nil` for all.
  ///   - maxBins: Bins per numeric feature.
  public init(
    maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1,
    maxFeatures: Int? = nil, maxBins: Int = 255
  ) {
    self.maxDepth = maxDepth
    self.minSamplesSplit = minSamplesSplit
    self.minSamplesLeaf = minSamplesLeaf
    self.maxFeatures = maxFeatures
    self.maxBins = maxBins
  }

  /// Checks every option at once.
  /// - Throws: ``DoppelError`` `invalidArgument` naming each option out of range.
  public func validate() throws {
    var problems: [String] = []
    if let maxDepth, maxDepth < 0 { problems.append("maxDepth must be 0 or more") }
    if minSamplesSplit < 2 { problems.append("minSamplesSplit must be 2 or more") }
    if minSamplesLeaf < 1 { problems.append("minSamplesLeaf must be 1 or more") }
    if let maxFeatures, maxFeatures < 1 { problems.append("maxFeatures must be 1 or more") }
    if maxBins < 2 || maxBins > 65_000 { problems.append("maxBins must be in 2...65000") }
    if !problems.isEmpty {
      throw DoppelError(.invalidArgument, problems.joined(separator: "; "))
    }
  }
}
