import DoppelCore
import Foundation

/// MST: a differentially private synthesizer that measures all one-way marginals and a maximum
/// spanning tree of two-way marginals with Gaussian noise.
///
/// McKenna, Miklau and Sheldon, "Winning the NIST contest: a scalable and general approach to
/// differentially private synthetic data", Journal of Privacy and Confidentiality 11(3), 2021.
/// The steps, accounted in ρ-zero-concentrated DP (zCDP) with ρ split in thirds as in the paper's
/// reference code:
/// 1. **Measure** every one-way marginal with the Gaussian mechanism (ρ/3 shared equally).
/// 2. **Compress**: values whose noisy count is below 3σ are merged into one value (post-
///    processing); a merged value is decoded uniformly among its members when sampling.
/// 3. **Select** d − 1 pairs with the exponential mechanism (ρ/3 shared equally, each use
///    ε = √(8ρ′/(d − 1))-DP and hence ε²/8-zCDP; Cesar and Rogers, "Bounding, concentrating, and
///    truncating", ALT 2021), Kruskal-style: each step scores every pair not yet connected by the
///    L1 distance between its true two-way counts and the estimate from the noisy one-way
///    marginals alone (their product), so the chosen tree connects pairs the one-way model
///    explains worst.
/// 4. **Measure** the selected two-way marginals with the Gaussian mechanism (ρ/3 shared equally).
/// 5. **Estimate** a distribution consistent with all noisy marginals (see ``TreeEstimation``,
///    a simplification of Private-PGM — McKenna, Sheldon and Miklau, "Graphical-model based
///    estimation and inference for differential privacy", ICML 2019 — that is exact in structure
///    because the selected graph is a tree) and sample it as a Bayesian network, P(child | parent)
///    along the tree.
///
/// The requested (ε, δ) becomes ρ with the tight conversion of Canonne, Kamath and Steinke
/// (NeurIPS 2020; see ``ConcentratedPrivacyConversion``), exactly as MST's `cdp_rho` does.
///
/// **Neighbouring tables** differ in one row's values (the row count is public), as for
/// ``PrivBayesSynthesizer``. A count vector then changes by at most 2 in L1 and √2 in L2, twice
/// and √2 times the paper's add/remove-one sensitivities; the noise and the selection are scaled
/// for that.
///
/// **Treated as public**: the row count, column names and kinds, the category labels that occur,
/// which columns have missing values, and each numerical or datetime column's observed
/// [min, max], over which up to ``bins`` equal-width bins are laid (``DiscreteTable``'s
/// equal-width binning, shared with PrivBayes). Declare these from a public codebook when they are
/// sensitive. A sampled number is uniform inside its bin on the column's rounding grid, so whole
/// numbers and fixed decimals stay as they were. Text and personal data are generated without
/// reading their values.
///
/// All noise comes from ``SeededGenerator`` streams derived from the fit seed, so a fit is
/// reproducible; for a real release the seed must be secret and drawn from a true random source.
public struct MSTSynthesizer: Synthesizer, Equatable {
  /// The registry name.
  public static let kind = "mst"

  /// The ε of the (ε, δ) guarantee, positive; default 1.
  public var epsilon: Double
  /// The δ of the (ε, δ) guarantee, in (0, 1); default 1e-9, the MST reference code's default,
  /// far below 1/n for any table Doppel fits.
  public var delta: Double
  /// The most equal-width bins of a numerical or datetime column, 2 to 1000; default 100 (at
  /// most ⌊√n⌋ for n rows). A column with fewer grid values keeps each value exact, so spikes such
  /// as a 40-hour week survive; sparse bins are merged by the compression step.
  public var bins: Int

  /// Creates the synthesizer.
  /// - Parameters:
  ///   - epsilon: The ε of the guarantee, positive and finite.
  ///   - delta: The δ of the guarantee, in (0, 1).
  ///   - bins: The most bins of a numerical column, 2 to 1000.
  /// - Throws: ``DoppelError`` `invalidArgument` for a value out of range.
  public init(epsilon: Double = 1, delta: Double = 1e-9, bins: Int = 100) throws {
    self.epsilon = epsilon
    self.delta = delta
    self.bins = bins
    try validate()
  }

  private enum CodingKeys: String, CodingKey {
    case epsilon, delta, bins
  }

  /// Decodes hyper-parameters, using defaults for absent keys.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error for a wrong type, or ``DoppelError`` `invalidArgument` for a value
  ///   out of range.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    epsilon = try c.decodeIfPresent(Double.self, forKey: .epsilon) ?? 1
    delta = try c.decodeIfPresent(Double.self, forKey: .delta) ?? 1e-9
    bins = try c.decodeIfPresent(Int.self, forKey: .bins) ?? 100
    try validate()
  }

  private func validate() throws {
    var problems: [String] = []
    if !(epsilon > 0 && epsilon.isFinite) { problems.append("epsilon must be positive") }
    if !(delta > 0 && delta < 1) { problems.append("delta must be between 0 and 1") }
    if !(2...1000).contains(bins) { problems.append("bins must be 2 to 1000") }
    if !problems.isEmpty {
      throw DoppelError(
        .invalidArgument, "invalid \(Self.kind) option: \(problems.joined(separator: "; "))")
    }
  }

  /// What the guarantee takes as public, as recorded in the ledger.
  public static let publicInformation = PrivBayesSynthesizer.publicInformation

  /// The purposes of the three budget shares, as recorded in the ledger.
  static let purposes = (
    oneWay: "one-way marginals (MEASURE)", select: "tree selection (SELECT)",
    twoWay: "two-way marginals of the tree (MEASURE)"
  )

  /// Fits MST with budget (``epsilon``, ``delta``).
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds; they must match the table's columns.
  ///   - seed: Seeds the Gaussian noise and the exponential mechanism. Keep it secret in a real
  ///     release.
  ///   - progress: Receives one update per stage.
  /// - Returns: The fitted model with its ``PrivacyAccounting``.
  /// - Throws: ``DoppelError`` `schemaMismatch` when table and metadata disagree, `noRows` for an
  ///   empty table, `invalidValue` for a number that is not finite.
  /// - Complexity: O(d² · n) to score the candidate pairs plus O(d² · r²) for the d − 1
  ///   selections over attributes of at most r values.
  public func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?
  ) async throws -> MSTModel {
    try ModelInput.check(table, against: metadata)
    guard table.rowCount > 0 else {
      throw DoppelError(.noRows, "the training table has no rows; give at least one row")
    }
    progress?.report("discretizing", 0, of: 4)
    let data = try DiscreteTable.discretize(
      table, binning: .equalWidth(bins: bins), text: .publicDefaults)
    let columns = data.columns.map { column in
      var plain = column
      plain.cells = nil
      plain.cellWeights = nil
      return plain
    }
    let varying = data.columns.indices.filter { data.columns[$0].cardinality > 1 }
    let rho = ConcentratedPrivacyConversion.rho(epsilon: epsilon, delta: delta)
    var accounting = PrivacyAccounting(
      neighbouring: .replaceOneRecord, requestedEpsilon: epsilon, budgetSplit: [],
      publicInformation: MSTSynthesizer.publicInformation)
    accounting.composition =
      "zCDP composition: the ρ of the steps add up (Bun and Steinke 2016); the total ρ is stated as (ε, δ) with Canonne, Kamath and Steinke 2020"
    // With one attribute there is no tree, so all of ρ measures its marginal.
    let shares = varying.count >= 2 ? [1.0 / 3, 1.0 / 3, 1.0 / 3] : [1.0, 0, 0]
    accounting.budgetSplit = [
      .init(purpose: MSTSynthesizer.purposes.oneWay, fraction: shares[0]),
      .init(purpose: MSTSynthesizer.purposes.select, fraction: shares[1]),
      .init(purpose: MSTSynthesizer.purposes.twoWay, fraction: shares[2]),
    ]
    let constant = data.columns.indices.filter { data.columns[$0].cardinality <= 1 }.map {
      BayesianNetwork.Node(attribute: $0, parents: [], probabilities: [1])
    }
    guard !varying.isEmpty else {
      return MSTModel(
        synthesizer: self, metadata: PrivBayesSynthesizer.publicMetadata(metadata),
        trainingRowCount: table.rowCount, columns: columns,
        network: BayesianNetwork(nodes: constant), accounting: accounting)
    }
    let steps = MSTSteps(data: data, attributes: varying, seed: seed)
    let sensitivity2 = 2.0.squareRoot()
    let unit = "L2 norm of a count vector when one row's values change"

    progress?.report("measuring one-way marginals", 1, of: 4)
    let rhoOneWay = rho * shares[0]
    let oneWay = try GaussianMechanism(
      rho: rhoOneWay / Double(varying.count), sensitivity: sensitivity2)
    let measuredOneWay = steps.measureOneWay(oneWay)
    accounting.record(
      .init(
        purpose: MSTSynthesizer.purposes.oneWay, mechanism: GaussianMechanism.name,
        uses: varying.count, sensitivity: sensitivity2, sensitivityUnit: unit, rho: rhoOneWay),
      delta: delta, conversion: .canonneKamathSteinke)

    var edges: [(Int, Int)] = []
    var measuredTwoWay: [TreeEstimation.PairMeasurement] = []
    if varying.count >= 2 {
      progress?.report("selecting the tree", 2, of: 4)
      let rhoSelect = rho * shares[1]
      let selections = varying.count - 1
      let selector = try ExponentialMechanism(
        epsilon: (8 * rhoSelect / Double(selections)).squareRoot(), sensitivity: 2)
      edges = steps.selectTree(measuredOneWay, mechanism: selector)
      accounting.record(
        .init(
          purpose: MSTSynthesizer.purposes.select, mechanism: ExponentialMechanism.name,
          uses: selections, sensitivity: 2,
          sensitivityUnit:
            "L1 distance between a pair's counts and its one-way estimate, when one row's values change",
          rho: rhoSelect),
        delta: delta, conversion: .canonneKamathSteinke)

      progress?.report("measuring two-way marginals", 3, of: 4)
      let rhoTwoWay = rho * shares[2]
      let twoWay = try GaussianMechanism(
        rho: rhoTwoWay / Double(edges.count), sensitivity: sensitivity2)
      measuredTwoWay = steps.measureTwoWay(edges, compressed: measuredOneWay, mechanism: twoWay)
      accounting.record(
        .init(
          purpose: MSTSynthesizer.purposes.twoWay, mechanism: GaussianMechanism.name,
          uses: edges.count, sensitivity: sensitivity2, sensitivityUnit: unit, rho: rhoTwoWay),
        delta: delta, conversion: .canonneKamathSteinke)
    }
    let estimation = TreeEstimation(
      rowCount: table.rowCount, oneWay: measuredOneWay, twoWay: measuredTwoWay)
    let learned = estimation.network(attributes: varying, edges: edges)
    progress?.report("done", 4, of: 4)
    return MSTModel(
      synthesizer: self, metadata: PrivBayesSynthesizer.publicMetadata(metadata),
      trainingRowCount: table.rowCount, columns: columns,
      network: BayesianNetwork(nodes: constant + learned), accounting: accounting)
  }
}
