import DoppelCore

/// A Bayesian network over the attributes of a ``DiscreteColumn`` list: each attribute's parents
/// and its conditional probability table.
///
/// The joint distribution factorises as P(x₁, …, x_d) = Π P(x_i | parents(x_i)) (Pearl,
/// *Probabilistic Reasoning in Intelligent Systems*, 1988). ``nodes`` are in a topological order
/// (every parent comes before its child), so ancestral sampling draws them one by one in that
/// order.
public struct BayesianNetwork: Sendable, Equatable, Codable {
  /// One attribute, its parents and its conditional distribution.
  public struct Node: Sendable, Equatable, Codable {
    /// The attribute: an index into the model's columns.
    public var attribute: Int
    /// The parent attributes, each earlier in ``BayesianNetwork/nodes``.
    public var parents: [Int]
    /// P(value | parent configuration), row-major: row `q` holds the `r` probabilities of the
    /// attribute's values given configuration `q = c₀ + r₀·(c₁ + r₁·(…))` of the parents' values
    /// `c₀, c₁, …` (first parent fastest).
    public var probabilities: [Double]

    /// Creates a node.
    /// - Parameters:
    ///   - attribute: The attribute's index.
    ///   - parents: The parents' indices.
    ///   - probabilities: The conditional probability table.
    public init(attribute: Int, parents: [Int], probabilities: [Double]) {
      self.attribute = attribute
      self.parents = parents
      self.probabilities = probabilities
    }
  }

  /// The nodes in topological order.
  public var nodes: [Node]

  /// Creates a network.
  /// - Parameter nodes: The nodes, parents before children.
  public init(nodes: [Node]) {
    self.nodes = nodes
  }

  /// The largest number of parents of any node.
  public var degree: Int { nodes.map(\.parents.count).max() ?? 0 }

  /// Checks that the network is a well-formed DAG over attributes of these cardinalities.
  func validate(cardinalities: [Int]) throws {
    func fail(_ what: String) -> DoppelError {
      DoppelError(.corruptModel, "the Bayesian network in the model file is damaged (\(what))")
    }
    guard nodes.count == cardinalities.count else { throw fail("node count") }
    var placed = [Bool](repeating: false, count: cardinalities.count)
    for node in nodes {
      guard node.attribute >= 0, node.attribute < cardinalities.count, !placed[node.attribute]
      else { throw fail("attributes") }
      guard Set(node.parents).count == node.parents.count,
        node.parents.allSatisfy({ $0 >= 0 && $0 < cardinalities.count && placed[$0] })
      else { throw fail("parents") }
      let r = cardinalities[node.attribute]
      guard r >= 1,
        let size = JointCounts.cells([r] + node.parents.map { cardinalities[$0] }, limit: 1 << 28),
        node.probabilities.count == size,
        node.probabilities.allSatisfy({ $0 >= 0 && $0.isFinite })
      else { throw fail("probabilities") }
      for start in stride(from: 0, to: size, by: r) {
        let total = node.probabilities[start..<start + r].reduce(0, +)
        guard abs(total - 1) < 1e-6 else { throw fail("probabilities do not sum to 1") }
      }
      placed[node.attribute] = true
    }
  }
}
