import DoppelCore

/// The size and shape of a ``RandomForest``.
///
/// The defaults follow Breiman (2001) and scikit-learn: 100 trees grown on bootstrap samples until
/// their leaves are pure, each split examining √p features for classification and p/3 for
/// regression (p features in all).
public struct RandomForestOptions: Sendable, Equatable {
  /// How many features each split examines.
  public enum FeatureSubset: Sendable, Equatable {
    /// √p (rounded down, at least 1) for classification, p/3 (at least 1) for regression.
    case automatic
    /// Every feature: bagged trees.
    case all
    /// A fixed number (at most p).
    case count(Int)
  }

  /// The number of trees; at least 1.
  public var trees: Int
  /// The deepest a leaf may be, or `nil` for no limit.
  public var maxDepth: Int?
  /// A node with fewer (weighted) rows than this becomes a leaf; at least 2.
  public var minSamplesSplit: Int
  /// Each child of a split keeps at least this many (weighted) rows; at least 1.
  public var minSamplesLeaf: Int
  /// How many features each split examines.
  public var maxFeatures: FeatureSubset
  /// Whether each tree is grown on a bootstrap sample (rows drawn with replacement) rather than
  /// on every row.
  public var bootstrap: Bool
  /// The most bins of a numeric feature's values.
  public var maxBins: Int
  /// The number of threads, or `nil` for one per active processor. Results do not depend on it.
  public var threads: Int?

  /// Creates options.
  /// - Parameters:
  ///   - trees: The number of trees.
  ///   - maxDepth: The deepest a leaf may be, or `nil` for no limit.
  ///   - minSamplesSplit: The fewest rows a node needs to be split.
  ///   - minSamplesLeaf: The fewest rows each child keeps.
  ///   - maxFeatures: Features examined per split.
  ///   - bootstrap: Whether trees see bootstrap samples.
  ///   - maxBins: Bins per numeric feature.
  ///   - threads: Threads to use, or `nil` for all processors.
  public init(
    trees: Int = 100, maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1,
    maxFeatures: FeatureSubset = .automatic, bootstrap: Bool = true, maxBins: Int = 255,
    threads: Int? = nil
  ) {
    self.trees = trees
    self.maxDepth = maxDepth
    self.minSamplesSplit = minSamplesSplit
    self.minSamplesLeaf = minSamplesLeaf
    self.maxFeatures = maxFeatures
    self.bootstrap = bootstrap
    self.maxBins = maxBins
    self.threads = threads
  }

  /// Checks every option at once.
  /// - Throws: ``DoppelError`` `invalidArgument` naming each option out of range.
  public func validate() throws {
    var problems: [String] = []
    if trees < 1 { problems.append("trees must be 1 or more") }
    if case .count(let count) = maxFeatures, count < 1 {
      problems.append("maxFeatures must be 1 or more")
    }
    if let threads, threads < 1 { problems.append("threads must be 1 or more") }
    do {
      try treeOptions(featureCount: 1, task: .classification).validate()
    } catch let error as DoppelError {
      problems.append(error.message)
    }
    if !problems.isEmpty {
      throw DoppelError(.invalidArgument, problems.joined(separator: "; "))
    }
  }

  /// The features each split examines, out of `featureCount`, for `task`.
  /// - Parameters:
  ///   - featureCount: The number of features, p.
  ///   - task: The task.
  /// - Returns: A number in `1...max(1, featureCount)`.
  public func featuresPerSplit(featureCount: Int, task: UtilityTask) -> Int {
    let p = max(1, featureCount)
    switch maxFeatures {
    case .all:
      return p
    case .count(let count):
      return min(max(1, count), p)
    case .automatic:
      switch task {
      case .classification: return max(1, Int(Double(p).squareRoot()))
      case .regression: return max(1, p / 3)
      }
    }
  }

  /// The options of each tree.
  /// - Parameters:
  ///   - featureCount: The number of features.
  ///   - task: The task.
  /// - Returns: Tree options with this forest's limits.
  public func treeOptions(featureCount: Int, task: UtilityTask) -> DecisionTreeOptions {
    DecisionTreeOptions(
      maxDepth: maxDepth, minSamplesSplit: minSamplesSplit, minSamplesLeaf: minSamplesLeaf,
      maxFeatures: featuresPerSplit(featureCount: featureCount, task: task), maxBins: maxBins)
  }
}
