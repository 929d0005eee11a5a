import DoppelCore

/// A fitted classification or regression tree (CART: Breiman, Friedman, Olshen and Stone,
/// *Classification and Regression Trees*, Wadsworth 1984).
///
/// Splits minimise the Gini impurity (classification) or the squared error (regression). Numeric
/// features split at a threshold between two of up to ``DecisionTreeOptions/maxBins`` quantile
/// bins, halfway between the training values on either side. Categorical features split into two groups of categories: for two classes and for
/// regression the categories are ordered by their share of the second class or their mean target
/// and the best split of that order is optimal (Breiman et al. 1984, §9.4; Fisher 1958); for more
/// classes the categories are ordered by each class's share in turn (one class against the rest)
/// and the best of those splits is kept, a heuristic where exact search would be exponential.
///
/// Missing values need no imputation and no surrogate splits: at each numeric split the missing
/// rows go to the side that lowers the impurity more (the learned default direction of XGBoost,
/// Chen and Guestrin 2016), and a split may also separate missing from present values. For a
/// categorical feature, missing is one more category. Where a node saw no missing value, or no row
/// of a category (including labels unseen in training), such rows follow the larger child.
///
/// A tree is made only by ``fit(features:target:options:seed:)``, so every tree is a fitted one.
public struct DecisionTree: Sendable, Equatable {
  /// One node, 16 bytes; a split's children are adjacent, `left` then `left + 1`.
  struct Node: Sendable, Equatable {
    /// Bit set in ``flags`` when missing values go left.
    static let missingLeft: UInt8 = 1
    /// Bit set in ``flags`` for a categorical split.
    static let categorical: UInt8 = 2

    /// The feature split on, or -1 for a leaf.
    var feature: Int32
    /// The left child; the right child is `left + 1`.
    var left: Int32
    /// Numeric: the last bin that goes left. Categorical: the first word of the split's slot set
    /// in `categoryBits`.
    var split: Int32
    /// ``missingLeft`` and ``categorical`` bits.
    var flags: UInt8

    /// A leaf.
    static let leaf = Node(feature: -1, left: -1, split: 0, flags: 0)
  }

  /// The features the tree reads.
  public let schema: FeatureSchema
  /// Whether the tree predicts classes or numbers.
  public let task: UtilityTask
  /// Values predicted per row: the class count, or 1 for regression.
  public let outputWidth: Int
  /// The total weighted impurity decrease of the splits on each feature (Gini for
  /// classification, squared error for regression), in schema order, not normalized.
  public let impurityDecrease: [Double]
  /// The depth of the deepest leaf; 0 for a tree that is a single leaf.
  public let depth: Int

  let binning: FeatureBinning
  let nodes: [Node]
  /// Per node, `outputWidth` values: class shares or the mean target of its training rows.
  let nodeValues: [Double]
  let categoryBits: [UInt64]

  init(
    schema: FeatureSchema, binning: FeatureBinning, task: UtilityTask, outputWidth: Int,
    impurityDecrease: [Double], depth: Int, nodes: [Node], nodeValues: [Double],
    categoryBits: [UInt64]
  ) {
    self.schema = schema
    self.binning = binning
    self.task = task
    self.outputWidth = outputWidth
    self.impurityDecrease = impurityDecrease
    self.depth = depth
    self.nodes = nodes
    self.nodeValues = nodeValues
    self.categoryBits = categoryBits
  }

  /// Fits a tree to every row of a feature matrix.
  /// - Parameters:
  ///   - features: The training features.
  ///   - target: One class or number per row.
  ///   - options: How far the tree grows.
  ///   - seed: Chooses the features examined at each split when ``DecisionTreeOptions/maxFeatures``
  ///     is set, and breaks ties between equally good splits.
  /// - Returns: The fitted tree.
  /// - Throws: ``DoppelError`` `invalidArgument` when an option is out of range, the target has a
  ///   different number of rows, a class index is out of range, a number is not finite, or there
  ///   are no rows.
  /// - Complexity: O(rows · log rows · features) to bin the features, then O(rows · features +
  ///   bins · classes · features) per level of the tree.
  public static func fit(
    features: FeatureMatrix, target: TargetValues, options: DecisionTreeOptions = .init(),
    seed: UInt64 = 0
  ) throws -> DecisionTree {
    try options.validate()
    try TreeBuilder.check(features: features, target: target)
    let data = BinnedFeatures(matrix: features, maxBins: options.maxBins)
    let builder = TreeBuilder(
      data: data, target: target, options: options,
      maxFeatures: min(options.maxFeatures ?? features.featureCount, features.featureCount),
      schema: features.schema)
    var generator = SeededGenerator(seed: seed, label: "decision tree")
    let rows = (0..<features.rowCount).map { Int32($0) }
    let weights = [Double](repeating: 1, count: features.rowCount)
    return builder.build(rows: rows, weights: weights, generator: &generator)
  }

  /// The number of nodes, leaves included.
  public var nodeCount: Int { nodes.count }

  /// The number of leaves.
  public var leafCount: Int { nodes.reduce(0) { $0 + ($1.feature < 0 ? 1 : 0) } }

  /// The impurity decrease of each feature as shares that sum to 1 (all 0 for a single leaf).
  public var impurityImportance: [Double] {
    DecisionTree.normalized(impurityDecrease)
  }

  /// Predicts every row of a feature matrix.
  /// - Parameter features: Features encoded with this tree's ``schema``.
  /// - Returns: Row-major predictions, ``outputWidth`` per row: class probabilities (the class
  ///   shares of the leaf's training rows) or the leaf's mean target.
  /// - Complexity: O(rows · (depth + features · log bins)).
  public func predict(_ features: FeatureMatrix) -> [Double] {
    precondition(features.schema == schema, "features must use the tree's schema")
    let bins = binning.bins(of: features)
    var output = [Double](repeating: 0, count: features.rowCount * outputWidth)
    bins.withUnsafeBufferPointer { bins in
      output.withUnsafeMutableBufferPointer { output in
        accumulate(
          bins: bins, rowCount: features.rowCount, rows: 0..<features.rowCount, into: output)
      }
    }
    return output
  }

  /// Adds this tree's predictions for `rows` to `output` (row-major, ``outputWidth`` per row,
  /// indexed from `rows.lowerBound`).
  /// - Parameters:
  ///   - bins: Feature-major bins of all `rowCount` rows, from this tree's ``binning``.
  ///   - rowCount: The rows of `bins`.
  ///   - rows: The rows to predict.
  ///   - output: Where to add the predictions.
  func accumulate(
    bins: UnsafeBufferPointer<UInt16>, rowCount: Int, rows: Range<Int>,
    into output: UnsafeMutableBufferPointer<Double>
  ) {
    let width = outputWidth
    nodes.withUnsafeBufferPointer { nodes in
      nodeValues.withUnsafeBufferPointer { nodeValues in
        categoryBits.withUnsafeBufferPointer { bits in
          for row in rows {
            var index = 0
            while true {
              let node = nodes[index]
              if node.feature < 0 { break }
              let bin = Int(bins[Int(node.feature) &* rowCount &+ row])
              index = DecisionTree.child(of: node, bin: bin, bits: bits)
            }
            let from = index &* width
            let to = (row &- rows.lowerBound) &* width
            for k in 0..<width { output[to &+ k] += nodeValues[from &+ k] }
          }
        }
      }
    }
  }

  /// The child of a split node that a row with `bin` in the split's feature goes to.
  @inline(__always)
  static func child(of node: Node, bin: Int, bits: UnsafeBufferPointer<UInt64>) -> Int {
    let goesLeft: Bool
    if node.flags & Node.categorical != 0 {
      goesLeft = bits[Int(node.split) &+ bin >> 6] & (1 << UInt64(bin & 63)) != 0
    } else if bin == 0 {
      goesLeft = node.flags & Node.missingLeft != 0
    } else {
      goesLeft = bin <= Int(node.split)
    }
    return Int(node.left) &+ (goesLeft ? 0 : 1)
  }

  /// Values divided by their sum, or all zero when the sum is not positive.
  static func normalized(_ values: [Double]) -> [Double] {
    let total = values.reduce(0, +)
    guard total > 0 else { return values.map { _ in 0 } }
    return values.map { $0 / total }
  }
}
