import DoppelCore

/// The propensity-score mean squared error of a logistic model that tries to tell synthetic rows
/// from real ones (Woo, Reiter, Oganian and Karr, "Global measures of data utility for
/// microdata masked for disclosure limitation", J. Privacy and Confidentiality 1(1), 2009; Snoke,
/// Raab, Nowok, Dibben and Slavkovic, "General and specific utility measures for synthetic
/// data", JRSS A 181(3), 2018).
///
/// The two tables are stacked with a label (1 synthetic, 0 real) and a logistic regression is
/// fitted on main effects: continuous columns standardized (with a missing indicator when values
/// are missing), discrete columns as dummies against their most frequent category (the
/// ``maximumLevels`` − 1 next most frequent get their own dummy, rarer ones share one; missing is
/// a category), ignored columns left out. With p̂ᵢ the fitted probabilities, c the synthetic share
/// and N the rows, pMSE = (1/N) Σ (p̂ᵢ − c)². Under indistinguishable tables its expectation is
/// E[pMSE] = (k − 1)(1 − c)² c / N for k parameters including the intercept (Snoke et al. 2018,
/// eq. 3), so the standardized ratio pMSE / E[pMSE] is about 1 for a good synthesizer. The score
/// 1 − 4·pMSE (clipped to [0, 1]) is higher-is-better; 0.25 is the largest pMSE when c = ½.
///
/// Tables larger than ``maximumRows`` rows are subsampled to that many rows each, uniformly
/// without replacement from the stream seeded by `seed` (labels `"pmse real"` and
/// `"pmse synthetic"`), so the cost stays bounded and the result is repeatable; the result's
/// ``PropensityScore/subsampleSize`` then says so.
public struct PropensityMSE: Sendable {
  /// The most rows used from each table (default 50,000).
  public var maximumRows: Int
  /// The most categories of a column with their own parameter, the reference included (default 30).
  public var maximumLevels: Int
  /// The L2 penalty λ on the standardized non-intercept coefficients (default 1).
  public var penalty: Double
  /// The most Newton (IRLS) steps (default 25).
  public var maximumIterations: Int

  /// Creates the measure.
  /// - Parameters:
  ///   - maximumRows: The most rows used from each table; at least 1.
  ///   - maximumLevels: The most categories of a column with their own parameter; at least 2.
  ///   - penalty: The L2 penalty on the non-intercept coefficients; positive.
  ///   - maximumIterations: The most Newton steps; at least 1.
  public init(
    maximumRows: Int = 50_000, maximumLevels: Int = 30, penalty: Double = 1,
    maximumIterations: Int = 25
  ) {
    precondition(maximumRows >= 1, "maximumRows must be at least 1")
    precondition(maximumLevels >= 2, "maximumLevels must be at least 2")
    precondition(penalty > 0, "penalty must be positive")
    precondition(maximumIterations >= 1, "maximumIterations must be at least 1")
    self.maximumRows = maximumRows
    self.maximumLevels = maximumLevels
    self.penalty = penalty
    self.maximumIterations = maximumIterations
  }

  /// Fits the propensity model and measures how well it separates the tables.
  /// - Parameters:
  ///   - real: The real table.
  ///   - synthetic: The synthetic table, with the same columns and kinds (in any order).
  ///   - roles: Role overrides by column name.
  ///   - seed: Seeds the row subsample of tables larger than ``maximumRows``.
  /// - Returns: The pMSE result, or `nil` when no column gives the model a parameter (every
  ///   compared column is constant or empty).
  /// - Throws: ``DoppelError`` `schemaMismatch` when the tables cannot be compared,
  ///   `unknownColumn` for a role naming no column, `invalidArgument` when no column is compared.
  /// - Complexity: O(iterations · (N · q² + k³)) with q the non-zero entries per row.
  public func score(
    real: Table, synthetic: Table, roles: [String: ColumnRole] = [:], seed: UInt64
  ) throws -> PropensityScore? {
    score(try PreparedTables(real: real, synthetic: synthetic, roles: roles), seed: seed)
  }

  func score(_ prepared: PreparedTables, seed: UInt64) -> PropensityScore? {
    let realRows = RowSampler.sample(
      count: prepared.real.rowCount, limit: maximumRows, seed: seed, label: "pmse real")
    let syntheticRows = RowSampler.sample(
      count: prepared.synthetic.rowCount, limit: maximumRows, seed: seed, label: "pmse synthetic")
    let design = PropensityDesign(
      prepared, realRows: realRows, syntheticRows: syntheticRows, maximumLevels: maximumLevels)
    guard design.parameterCount > 1 else { return nil }
    let model = LogisticRegression(
      penalty: penalty, maximumIterations: maximumIterations, tolerance: 1e-8)
    let probabilities = model.fittedProbabilities(design)
    let n = Double(design.rowCount)
    let c = Double(syntheticRows.count) / n
    let pmse = probabilities.reduce(0) { $0 + ($1 - c) * ($1 - c) } / n
    let expected = Double(design.parameterCount - 1) * (1 - c) * (1 - c) * c / n
    var result = PropensityScore(
      model: "logistic", pmse: pmse, standardizedRatio: pmse / expected,
      score: Swift.max(0, Swift.min(1, 1 - 4 * pmse)))
    if max(prepared.real.rowCount, prepared.synthetic.rowCount) > maximumRows {
      result.subsampleSize = maximumRows
    }
    return result
  }
}
