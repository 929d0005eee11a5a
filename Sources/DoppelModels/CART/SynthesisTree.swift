import DoppelCore

/// A fitted classification or regression tree whose leaves keep what sampling draws from.
///
/// Internal nodes split on one earlier column: a number goes left when it is at most
/// ``Node/threshold`` (a missing number goes the way ``Node/missingLeft`` says); a category goes
/// left when its code is in ``Node/categoriesLeft`` (a missing category has the code one past the
/// last label, so missingness is a branch of its own). Leaves hold either the class counts of the
/// training rows that reached them or those rows' values (the donors).
public struct SynthesisTree: Sendable, Equatable, Codable {
  /// One node of the tree.
  public struct Node: Sendable, Equatable, Codable {
    /// The column index split on, or `nil` for a leaf.
    public var feature: Int?
    /// Numeric split: values at most this go left.
    public var threshold: Double?
    /// Numeric split: whether a missing value goes left.
    public var missingLeft: Bool?
    /// Categorical split: the codes that go left, ascending.
    public var categoriesLeft: [Int]?
    /// The index of the left child; the right child follows it.
    public var left: Int?
    /// For a leaf: the index into ``SynthesisTree/leaves``.
    public var leaf: Int?
  }

  /// What one leaf samples from.
  public struct Leaf: Sendable, Equatable, Codable {
    /// Regression leaves: the training values that reached the leaf, ascending.
    public var values: [Double]?
    /// Classification leaves: the classes seen, ascending.
    public var classes: [Int]?
    /// Classification leaves: how many training rows had each class of ``classes``.
    public var counts: [Int]?
  }

  /// The nodes; node 0 is the root.
  public var nodes: [Node]
  /// The leaves.
  public var leaves: [Leaf]

  /// Finds the leaf a row falls into.
  /// - Parameter value: The row's value of a column index (NaN for a missing number, the
  ///   category count for a missing category).
  /// - Returns: The index of the leaf.
  func leafIndex(_ value: (Int) -> Double) -> Int {
    var index = 0
    while true {
      let node = nodes[index]
      guard let feature = node.feature, let left = node.left else { return node.leaf ?? 0 }
      let x = value(feature)
      let goesLeft: Bool
      if let set = node.categoriesLeft {
        goesLeft = Int(exactly: x).map { SynthesisTree.contains(set, $0) } ?? false
      } else if x.isNaN {
        goesLeft = node.missingLeft ?? false
      } else {
        goesLeft = x <= (node.threshold ?? .infinity)
      }
      index = goesLeft ? left : left + 1
    }
  }

  private static func contains(_ sorted: [Int], _ code: Int) -> Bool {
    var lo = 0
    var hi = sorted.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if sorted[mid] < code { lo = mid + 1 } else { hi = mid }
    }
    return lo < sorted.count && sorted[lo] == code
  }

  /// The column indices the tree splits on.
  var splitColumns: Set<Int> { Set(nodes.compactMap(\.feature)) }

  /// Checks that every reference points inside the tree.
  func validate(columnCount: Int, column: String) throws {
    func fail(_ what: String) -> DoppelError {
      DoppelError(
        .corruptModel, "a tree of this column is damaged (\(what)); fit the model again",
        context: .init(column: column))
    }
    guard !nodes.isEmpty, !leaves.isEmpty else { throw fail("empty tree") }
    for (index, node) in nodes.enumerated() {
      if let feature = node.feature {
        guard let left = node.left, left > index, left + 1 < nodes.count, feature >= 0,
          feature < columnCount
        else { throw fail("node reference") }
        if node.categoriesLeft == nil {
          guard let threshold = node.threshold, threshold.isFinite else {
            throw fail("threshold")
          }
        }
      } else {
        guard let leaf = node.leaf, leaf >= 0, leaf < leaves.count else {
          throw fail("leaf reference")
        }
      }
    }
    for leaf in leaves {
      if let values = leaf.values {
        guard !values.isEmpty, values.allSatisfy(\.isFinite) else { throw fail("leaf values") }
      } else {
        guard let classes = leaf.classes, let counts = leaf.counts, !classes.isEmpty,
          classes.count == counts.count, counts.allSatisfy({ $0 > 0 }),
          classes.allSatisfy({ $0 >= 0 })
        else { throw fail("leaf counts") }
      }
    }
  }
}
