import DoppelCore
import DoppelIO
import DoppelMetrics
import Foundation

/// Summary statistics of an evaluation as CSV files: one row per column of the table.
public enum SummaryFiles {
  /// The header of a summary file.
  public static let header = [
    "column", "kind", "count", "missing", "distinct", "mean", "std", "min", "p5", "p25", "p50",
    "p75", "p95", "max", "top_categories",
  ]

  /// Lays out column summaries as a text table, one row per column.
  /// - Parameter summaries: The summaries.
  /// - Returns: The table, with the columns of ``header``.
  public static func text(_ summaries: [ColumnSummary]) -> TextTable {
    var columns = header.map { _ in [String]() }
    func number(_ value: Double?) -> String {
      guard let value, value.isFinite else { return "" }
      if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
      return String(value)
    }
    for s in summaries {
      let fields = [
        s.column, s.kind, String(s.count), String(s.missing), String(s.distinct), number(s.mean),
        number(s.std), number(s.min), number(s.p5), number(s.p25), number(s.p50), number(s.p75),
        number(s.p95), number(s.max),
        s.topCategories.map { "\($0.label)=\(String(format: "%.4f", $0.share))" }
          .joined(separator: "; "),
      ]
      for (i, field) in fields.enumerated() { columns[i].append(field) }
    }
    return TextTable(columnNames: header, columns: columns)
  }

  /// Writes `summary_real.csv` and `summary_synthetic.csv` into a folder, atomically.
  /// - Parameters:
  ///   - evaluation: The evaluation whose summaries to write.
  ///   - folder: The folder, which must exist.
  /// - Throws: ``DoppelError`` `io` when a file cannot be written.
  public static func write(_ evaluation: Evaluation, to folder: String) throws {
    try AtomicFileWriter.write(
      CSVWriter.encode(text(evaluation.summary.real)), to: folder + "/summary_real.csv")
    try AtomicFileWriter.write(
      CSVWriter.encode(text(evaluation.summary.synthetic)), to: folder + "/summary_synthetic.csv")
  }
}
