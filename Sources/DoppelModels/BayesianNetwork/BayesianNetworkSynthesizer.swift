import DoppelCore
import Foundation

/// A Bayesian network synthesizer: discretize, learn which columns depend on which, estimate
/// conditional probability tables, and sample the network.
///
/// - Columns become attributes (see ``DiscreteColumn``): numbers and datetimes are cut into up to
///   ``bins`` equal-frequency bins (fewer for small tables: at most ⌊√n⌋), every value holding at
///   least 1/``bins`` of the rows keeps a bin of its own, and a column with few distinct values
///   keeps them exactly; categories stay categories; missing is a value of its own. Identifiers
///   are generated fresh, personal data is faked and free text gets random text of a learned
///   shape, as the Gaussian copula does; their missingness is part of the network.
/// - The structure is a Chow–Liu tree (Chow and Liu, IEEE Trans. Information Theory 14(3), 1968)
///   or a greedy search with up to ``maxParents`` parents scored by the Bayesian information
///   criterion; see ``Structure``.
/// - Each attribute's table P(X | Π) is estimated with a Dirichlet prior of total weight α per
///   parent configuration, centred on the attribute's marginal P̂:
///   P(x | π) = (n(x, π) + α·P̂(x)) / (n(π) + α), so a sparse or unseen parent configuration falls
///   back towards the marginal (additive smoothing; Heckerman, Geiger and Chickering, "Learning
///   Bayesian networks: the combination of knowledge and statistical data", Machine Learning 20,
///   1995, discuss such priors). A prior of fixed weight per configuration, rather than per cell,
///   keeps the marginals of attributes with many values and sparse parents close to the data.
/// - Sampling is ancestral (each attribute drawn given its already drawn parents, in topological
///   order); a bin becomes a number by drawing one of its cells by the training share of each cell
///   (every grid value when a column has at most 256, else about 256 equal sub-intervals), then a
///   value uniformly inside the cell on the column's rounding grid.
///
/// Fitting involves no randomness, so the seed does not change the model; sampling is
/// reproducible from its seed. This synthesizer gives no formal privacy guarantee: bin ends and
/// exact values of columns with few distinct values are training values. Use ``PrivBayesSynthesizer``
/// for differential privacy.
public struct BayesianNetworkSynthesizer: Synthesizer, Equatable {
  /// The registry name.
  public static let kind = "bayesian-network"

  /// How the network's structure is learned.
  public enum Structure: String, Sendable, Codable, CaseIterable {
    /// Greedy search with up to ``BayesianNetworkSynthesizer/maxParents`` parents per attribute,
    /// scored by the Bayesian information criterion.
    case greedy
    /// The Chow–Liu maximum-likelihood tree: one parent per attribute, on the maximum spanning
    /// tree of pairwise mutual information.
    case chowLiu = "chow-liu"
  }

  /// How the structure is learned; default ``Structure/greedy``.
  public var structure: Structure
  /// The most parents an attribute may have in the greedy search, 0 to 4; default 2.
  public var maxParents: Int
  /// The Dirichlet prior's weight per parent configuration (in rows), at least 0; default 1.
  public var alpha: Double
  /// The most bins of a numerical or datetime column, 2 to 1000; default 20.
  public var bins: Int

  /// Creates the synthesizer.
  /// - Parameters:
  ///   - structure: How the structure is learned.
  ///   - maxParents: The most parents per attribute (greedy search), 0 to 4.
  ///   - alpha: The Dirichlet prior's weight per parent configuration, at least 0.
  ///   - bins: The most bins of a numerical column, 2 to 1000.
  /// - Throws: ``DoppelError`` `invalidArgument` for a value out of range.
  public init(
    structure: Structure = .greedy, maxParents: Int = 2, alpha: Double = 1, bins: Int = 20
  )
    throws
  {
    self.structure = structure
    self.maxParents = maxParents
    self.alpha = alpha
    self.bins = bins
    try validate()
  }

  private enum CodingKeys: String, CodingKey {
    case structure, maxParents, alpha, bins
  }

  /// Decodes hyper-parameters, using defaults for absent keys.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error for a wrong type, or ``DoppelError`` `invalidArgument` for a value
  ///   out of range.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    structure = try c.decodeIfPresent(Structure.self, forKey: .structure) ?? .greedy
    maxParents = try c.decodeIfPresent(Int.self, forKey: .maxParents) ?? 2
    alpha = try c.decodeIfPresent(Double.self, forKey: .alpha) ?? 1
    bins = try c.decodeIfPresent(Int.self, forKey: .bins) ?? 20
    try validate()
  }

  private func validate() throws {
    var problems: [String] = []
    if !(0...4).contains(maxParents) { problems.append("maxParents must be 0 to 4") }
    if !(alpha >= 0 && alpha.isFinite) { problems.append("alpha must be a finite number ≥ 0") }
    if !(2...1000).contains(bins) { problems.append("bins must be 2 to 1000") }
    if !problems.isEmpty {
      throw DoppelError(
        .invalidArgument, "invalid \(Self.kind) option: \(problems.joined(separator: "; "))")
    }
  }

  /// Fits the network.
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds; they must match the table's columns.
  ///   - seed: Unused: fitting is deterministic.
  ///   - progress: Receives one update per stage.
  /// - Returns: The fitted model.
  /// - Throws: ``DoppelError`` `schemaMismatch` when table and metadata disagree, `noRows` for an
  ///   empty table, `invalidValue` for a number that is not finite.
  /// - Complexity: O(d² · n) for the Chow–Liu tree; O(d^(k+1) · n) for the greedy search with
  ///   k = ``maxParents``, for d columns and n rows.
  public func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?
  ) async throws -> BayesianNetworkModel {
    try ModelInput.check(table, against: metadata)
    guard table.rowCount > 0 else {
      throw DoppelError(.noRows, "the training table has no rows; give at least one row")
    }
    progress?.report("discretizing", 0, of: 3)
    let data = try DiscreteTable.discretize(
      table, binning: .quantile(bins: bins), text: .learnShapes)
    progress?.report("learning structure", 1, of: 3)
    let attributes = data.columns.indices
    let varying = attributes.filter { data.columns[$0].cardinality > 1 }
    let search = StructureSearch(data: data)
    let learned =
      structure == .chowLiu
      ? search.chowLiu(varying) : search.greedy(varying, maxParents: maxParents)
    let order =
      attributes.filter { data.columns[$0].cardinality <= 1 }.map { ($0, [Int]()) }
      + learned.map { ($0.attribute, $0.parents) }
    progress?.report("estimating tables", 2, of: 3)
    let nodes = order.map { attribute, parents in
      smoothedNode(data, attribute: attribute, parents: parents)
    }
    progress?.report("done", 3, of: 3)
    return BayesianNetworkModel(
      synthesizer: self, metadata: metadata, trainingRowCount: table.rowCount,
      columns: data.columns(withCellCounts: data.cellCounts), network: BayesianNetwork(nodes: nodes)
    )
  }

  /// The conditional table of `attribute` given `parents`, with the marginal-centred prior.
  private func smoothedNode(_ data: DiscreteTable, attribute: Int, parents: [Int])
    -> BayesianNetwork.Node
  {
    let r = data.columns[attribute].cardinality
    let counts = JointCounts.counts(data, attributes: [attribute] + parents)
    var marginal = [Double](repeating: 0, count: r)
    for (cell, count) in counts.enumerated() { marginal[cell % r] += count }
    let total = marginal.reduce(0, +)
    marginal = marginal.map { total > 0 ? $0 / total : 1 / Double(r) }
    let strength = alpha
    var probabilities = counts
    for start in stride(from: 0, to: counts.count, by: r) {
      let rowTotal = counts[start..<start + r].reduce(0, +)
      let denominator = rowTotal + strength
      for x in 0..<r {
        probabilities[start + x] =
          denominator > 0 ? (counts[start + x] + strength * marginal[x]) / denominator : marginal[x]
      }
    }
    return BayesianNetwork.Node(
      attribute: attribute, parents: parents, probabilities: probabilities)
  }
}
