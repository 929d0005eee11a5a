import DoppelCore

extension SummaryComparison {
  /// Summarizes every column of both tables (see ``ColumnSummary/init(describing:)``).
  ///
  /// The tables are summarized separately, each in its own column order; ``FidelityEvaluator``
  /// passes the synthetic table in the real table's order so the rows line up.
  /// - Parameters:
  ///   - real: The real table.
  ///   - synthetic: The synthetic table.
  public init(real: Table, synthetic: Table) {
    self.init(
      real: real.columns.map(ColumnSummary.init(describing:)),
      synthetic: synthetic.columns.map(ColumnSummary.init(describing:)))
  }
}
