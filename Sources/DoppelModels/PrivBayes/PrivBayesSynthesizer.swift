import DoppelCore
import Foundation

/// PrivBayes: an ε-differentially private Bayesian network synthesizer.
///
/// Zhang, Cormode, Procopiuc, Srivastava and Xiao, "PrivBayes: private data release via Bayesian
/// networks", ACM Transactions on Database Systems 42(4), 2017. The budget ε is split in two:
/// - β·ε learns the structure with the exponential mechanism (``PrivateStructureSearch``):
///   candidates are (attribute, maximal θ-useful parent set) pairs scored by mutual information
///   over its sensitivity;
/// - (1 − β)·ε measures, with the Laplace mechanism, the joint distribution of each family
///   (``NoisyConditionals``; negatives are clamped to 0 and the joints renormalised) and, for each
///   numerical column, a histogram of finer cells inside its bins (every grid value when there are
///   at most 256, else about 256 equal sub-intervals). The cells are Doppel's addition to the
///   paper: without them a number is uniform inside its bin, which smears spikes such as a
///   40-hour week over the whole bin. All these measurements share (1 − β)·ε equally.
///
/// The steps compose sequentially to ε-differential privacy with δ = 0, for neighbouring tables
/// that differ in one row's values (the paper's definition; the row count n is public). The model
/// file records the ledger (``PrivacyAccounting``); sampling is post-processing.
///
/// What is treated as public, as the paper treats attribute domains: the row count; column names
/// and kinds; the category labels that occur; which columns have missing values; and the observed
/// [min, max] of every numerical and datetime column, over which equal-width bins are laid (see
/// ``DiscreteTable/Binning/equalWidth(bins:)``). Declare these from a public codebook when they
/// are sensitive. Text and personal data are generated without reading their values; identifiers
/// are fresh. The model keeps the metadata's column kinds but drops its profiled statistics
/// (missing rates, distinct counts), which are not private.
///
/// All noise comes from ``SeededGenerator`` streams derived from the fit seed, so a fit is
/// reproducible — which is what tests need. For a real release the seed must be secret and drawn
/// from a true random source, and never published with the model: whoever knows it can recompute
/// and subtract the noise.
public struct PrivBayesSynthesizer: Synthesizer, Equatable {
  /// The registry name.
  public static let kind = "privbayes"

  /// The total privacy budget ε, positive; default 1.
  public var epsilon: Double
  /// The share β of ε spent on the structure, in (0, 1); default 0.3, the paper's choice.
  public var beta: Double
  /// The usefulness threshold θ: a pair (X, Π) is kept only if its joint domain is at most
  /// n·(1 − β)ε/(2dθ); positive; default 4, the paper's choice.
  public var theta: Double
  /// The most parents an attribute may have, 0 to 4, on top of θ-usefulness; default 3.
  public var maxParents: Int
  /// The most equal-width bins of a numerical or datetime column, 2 to 1000; default 10.
  public var bins: Int

  /// Creates the synthesizer.
  /// - Parameters:
  ///   - epsilon: The total privacy budget, positive and finite.
  ///   - beta: The share of ε for the structure, in (0, 1).
  ///   - theta: The usefulness threshold, positive and finite.
  ///   - maxParents: The most parents per attribute, 0 to 4.
  ///   - bins: The most bins of a numerical column, 2 to 1000.
  /// - Throws: ``DoppelError`` `invalidArgument` for a value out of range.
  public init(
    epsilon: Double = 1, beta: Double = 0.3, theta: Double = 4, maxParents: Int = 3,
    bins: Int = 10
  ) throws {
    self.epsilon = epsilon
    self.beta = beta
    self.theta = theta
    self.maxParents = maxParents
    self.bins = bins
    try validate()
  }

  private enum CodingKeys: String, CodingKey {
    case epsilon, beta, theta, maxParents, bins
  }

  /// Decodes hyper-parameters, using defaults for absent keys.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error for a wrong type, or ``DoppelError`` `invalidArgument` for a value
  ///   out of range.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    epsilon = try c.decodeIfPresent(Double.self, forKey: .epsilon) ?? 1
    beta = try c.decodeIfPresent(Double.self, forKey: .beta) ?? 0.3
    theta = try c.decodeIfPresent(Double.self, forKey: .theta) ?? 4
    maxParents = try c.decodeIfPresent(Int.self, forKey: .maxParents) ?? 3
    bins = try c.decodeIfPresent(Int.self, forKey: .bins) ?? 10
    try validate()
  }

  private func validate() throws {
    var problems: [String] = []
    if !(epsilon > 0 && epsilon.isFinite) { problems.append("epsilon must be positive") }
    if !(beta > 0 && beta < 1) { problems.append("beta must be between 0 and 1") }
    if !(theta > 0 && theta.isFinite) { problems.append("theta must be positive") }
    if !(0...4).contains(maxParents) { problems.append("maxParents must be 0 to 4") }
    if !(2...1000).contains(bins) { problems.append("bins must be 2 to 1000") }
    if !problems.isEmpty {
      throw DoppelError(
        .invalidArgument, "invalid \(Self.kind) option: \(problems.joined(separator: "; "))")
    }
  }

  /// What the guarantee takes as public, as recorded in the ledger.
  public static let publicInformation = [
    "the number of rows (neighbouring tables differ in one row's values)",
    "column names and kinds",
    "the category labels that occur in each categorical or boolean column",
    "which columns have missing values",
    "the minimum and maximum of each numerical and datetime column (the bins are equal-width over them)",
  ]

  /// Fits PrivBayes with budget ``epsilon``.
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds; they must match the table's columns.
  ///   - seed: Seeds the random first attribute, the exponential mechanism and the Laplace noise.
  ///     Keep it secret in a real release.
  ///   - progress: Receives one update per stage.
  /// - Returns: The fitted model with its ``PrivacyAccounting``.
  /// - Throws: ``DoppelError`` `schemaMismatch` when table and metadata disagree, `noRows` for an
  ///   empty table, `invalidValue` for a number that is not finite.
  /// - Complexity: O(d · c · n) for the structure, with c candidate parent sets per attribute
  ///   (at most Σ_{j ≤ k} C(d−1, j) for k = ``maxParents``), plus O(d · (n + cells)) for the
  ///   distributions.
  public func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?
  ) async throws -> PrivBayesModel {
    try ModelInput.check(table, against: metadata)
    guard table.rowCount > 0 else {
      throw DoppelError(.noRows, "the training table has no rows; give at least one row")
    }
    progress?.report("discretizing", 0, of: 3)
    let data = try DiscreteTable.discretize(
      table, binning: .equalWidth(bins: bins), text: .publicDefaults)
    let attributes = data.columns.indices
    let varying = attributes.filter { data.columns[$0].cardinality > 1 }
    let d = varying.count
    // With fewer than two attributes there is no structure to choose, so all of ε measures
    // distributions.
    let structureShare = d >= 2 ? beta : 0
    let structureEpsilon = epsilon * structureShare
    let distributionEpsilon = epsilon - structureEpsilon
    let structurePurpose = "structure learning (GreedyBayes)"
    let distributionPurpose = "noisy conditional distributions (NoisyConditionals)"
    let cellsPurpose = "noisy cell histograms of numerical columns"
    var accounting = PrivacyAccounting(
      neighbouring: .replaceOneRecord, requestedEpsilon: epsilon, budgetSplit: [],
      publicInformation: PrivBayesSynthesizer.publicInformation)

    progress?.report("learning structure", 1, of: 3)
    let usefulDomain =
      Double(table.rowCount) * distributionEpsilon / (2 * Double(max(d, 1)) * theta)
    let search = PrivateStructureSearch(
      data: data, epsilon: structureEpsilon,
      usefulDomain: usefulDomain, maxParents: maxParents, seed: seed)
    let (structure, selections) = try search.run(Array(varying))
    if selections > 0 {
      accounting.record(
        .init(
          purpose: structurePurpose, mechanism: ExponentialMechanism.name, uses: selections,
          sensitivity: 1,
          sensitivityUnit:
            "score = mutual information / its sensitivity bound (Zhang et al. 2017, Lemma 4.1)",
          epsilon: structureEpsilon))
    }

    progress?.report("measuring distributions", 2, of: 3)
    let measured = NoisyConditionals.measuredFamilies(structure)
    // Numerical columns whose bins hold more than one value also get a noisy histogram of their
    // cells, which places numbers inside a bin; which columns have cells depends only on the
    // public bins.
    let refined = attributes.filter { data.cellCounts[$0] != nil }
    let measurements = measured.count + refined.count
    var learned: [BayesianNetwork.Node] = []
    var cellCounts = data.cellCounts
    var cellsShare = 0.0
    if measurements > 0 {
      let laplace = try LaplaceMechanism(
        epsilon: distributionEpsilon / Double(measurements), sensitivity: 2)
      learned = NoisyConditionals(data: data, mechanism: laplace, seed: seed).run(
        structure, measured: measured)
      for column in refined {
        var random = SeededGenerator(
          seed: seed, label: "privbayes cell noise", index: UInt64(column))
        cellCounts[column] = cellCounts[column].map {
          laplace.release($0, using: &random).map { max(0, $0) }
        }
      }
      let unit = "L1 norm of a count vector when one row's values change"
      if !measured.isEmpty {
        accounting.record(
          .init(
            purpose: distributionPurpose, mechanism: LaplaceMechanism.name, uses: measured.count,
            sensitivity: 2, sensitivityUnit: unit,
            epsilon: laplace.epsilon * Double(measured.count)))
      }
      if !refined.isEmpty {
        accounting.record(
          .init(
            purpose: cellsPurpose, mechanism: LaplaceMechanism.name, uses: refined.count,
            sensitivity: 2, sensitivityUnit: unit,
            epsilon: distributionEpsilon - laplace.epsilon * Double(measured.count)))
      }
      cellsShare = (1 - structureShare) * Double(refined.count) / Double(measurements)
    }
    accounting.budgetSplit = [
      .init(purpose: structurePurpose, fraction: structureShare),
      .init(purpose: distributionPurpose, fraction: 1 - structureShare - cellsShare),
      .init(purpose: cellsPurpose, fraction: cellsShare),
    ]
    let constant = attributes.filter { data.columns[$0].cardinality <= 1 }.map {
      BayesianNetwork.Node(attribute: $0, parents: [], probabilities: [1])
    }
    progress?.report("done", 3, of: 3)
    return PrivBayesModel(
      synthesizer: self, metadata: PrivBayesSynthesizer.publicMetadata(metadata),
      trainingRowCount: table.rowCount, columns: data.columns(withCellCounts: cellCounts),
      network: BayesianNetwork(nodes: constant + learned), accounting: accounting)
  }

  /// The metadata without its profiled statistics, which would leak exact counts.
  static func publicMetadata(_ metadata: TableMetadata) -> TableMetadata {
    var result = TableMetadata(
      columns: metadata.columns.map { ColumnMetadata(name: $0.name, kind: $0.kind) },
      primaryKey: metadata.primaryKey)
    result.label = metadata.label
    return result
  }
}
