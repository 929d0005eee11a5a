import DoppelCore

/// The fidelity part of an evaluation in one call: quality scores, fidelity details, summary
/// statistics and chart data of a synthetic table against its real table.
///
/// The tables are checked once (same column names and kinds, in any order; rows in both) and
/// prepared once, then every part reads the same prepared columns. Everything is deterministic:
/// the only random draws (the pMSE subsample of tables beyond 50,000 rows and the scatter
/// samples) come from `seed`.
public enum FidelityEvaluator {
  /// Compares a synthetic table with the real one.
  /// - Parameters:
  ///   - real: The real table.
  ///   - synthetic: The synthetic table, with the same column names and kinds (categorical and
  ///     boolean count as one kind); its columns may be in another order.
  ///   - roles: Role overrides by column name; other columns take the default of their kind
  ///     (see ``ColumnRole/init(kind:)``).
  ///   - seed: Seeds the pMSE subsample and the scatter samples.
  ///   - quality: The quality report's options (SDMetrics' defaults).
  ///   - scatterSampleSize: The most rows drawn from each table per scatter plot.
  /// - Returns: The quality scores, the fidelity details, the summary statistics (synthetic
  ///   columns in the real order) and the chart data.
  /// - Throws: ``DoppelError`` `schemaMismatch` listing every missing or extra column and every
  ///   column whose kinds differ, or saying which table has no rows or columns;
  ///   `unknownColumn` when `roles` names a column the tables do not have; `invalidArgument`
  ///   when no column can be compared or scored. Messages name columns, never values.
  /// - Complexity: O(p² · n) for p compared columns and n rows, plus the pMSE fit on at most
  ///   50,000 rows of each table.
  public static func evaluate(
    real: Table, synthetic: Table, roles: [String: ColumnRole] = [:], seed: UInt64,
    quality: QualityReport = QualityReport(),
    scatterSampleSize: Int = ChartData.defaultScatterSampleSize
  ) throws -> (
    quality: QualityScores, fidelity: FidelityDetails, summary: SummaryComparison,
    charts: ChartData
  ) {
    guard scatterSampleSize >= 1 else {
      throw DoppelError(.invalidArgument, "the scatter sample size must be at least 1")
    }
    let prepared = try PreparedTables(real: real, synthetic: synthetic, roles: roles)
    let scores = try quality.scores(prepared)
    let fidelity = FidelityDetails(prepared: prepared, seed: seed)
    let summary = SummaryComparison(real: prepared.real, synthetic: prepared.synthetic)
    let charts = ChartData(prepared: prepared, seed: seed, scatterSampleSize: scatterSampleSize)
    return (scores, fidelity, summary, charts)
  }
}
