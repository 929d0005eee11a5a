/// Rows of text fields as read from a delimited file, stored column by column.
///
/// This is the form between a file and a typed ``Table``: the CSV reader yields one chunk per block
/// of rows, metadata detection profiles chunks, and ``Table/init(text:metadata:)`` converts a chunk
/// into typed columns. An empty field is a missing value.
public struct TextTable: Sendable, Equatable {
  /// The header's column names, in order.
  public var columnNames: [String]
  /// One array of fields per column; all have ``rowCount`` entries.
  public var columns: [[String]]
  /// The 1-based line number of the first row in its file (after the header), for error messages.
  public var firstLine: Int

  /// Creates a text table.
  /// - Parameters:
  ///   - columnNames: The header's names.
  ///   - columns: One array of fields per column, of equal length.
  ///   - firstLine: The file line of the first row.
  public init(columnNames: [String], columns: [[String]], firstLine: Int = 2) {
    precondition(columnNames.count == columns.count, "one field array per column name")
    self.columnNames = columnNames
    self.columns = columns
    self.firstLine = firstLine
  }

  /// The number of rows.
  public var rowCount: Int { columns.first?.count ?? 0 }
}
