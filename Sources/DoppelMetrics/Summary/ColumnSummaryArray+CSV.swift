extension Array where Element == ColumnSummary {
  /// The summaries as CSV rows: ``ColumnSummary/csvHeader`` first, then one row per column in
  /// order, ready for a CSV writer (the CLI writes `summary_real.csv` from
  /// `summary.real.csvRows()` and `summary_synthetic.csv` from `summary.synthetic.csvRows()`).
  /// - Returns: The header row and one row per summary.
  public func csvRows() -> [[String]] {
    [ColumnSummary.csvHeader] + map(\.csvRow)
  }
}
