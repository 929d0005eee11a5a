import DoppelCore
import Foundation

/// A place that holds named tables: a folder of CSV files, an SQLite file or a PostgreSQL schema.
///
/// Every store speaks in ``TextTable``s, the text form between storage and typed tables: a store
/// turns its own values into text (an SQL `NULL` becomes an empty field, which is a missing
/// value) and back, so detection and conversion are the same whatever held the data.
public protocol TableStore: Sendable {
  /// A short description of the store for messages and reports, without credentials.
  var description: String { get }

  /// The names of the tables in the store, sorted.
  /// - Returns: The names.
  /// - Throws: ``DoppelError`` `io` when the store cannot be listed.
  func tableNames() async throws -> [String]

  /// Reads a whole table.
  /// - Parameter name: The table's name.
  /// - Returns: The table as text, columns in the table's order.
  /// - Throws: ``DoppelError`` when the table cannot be read.
  func read(_ name: String) async throws -> TextTable

  /// Writes a table, replacing any table of that name only once every row is written.
  /// - Parameters:
  ///   - table: The rows as text; an empty field is written as missing (`NULL`).
  ///   - name: The table's name.
  ///   - metadata: The columns' types, which choose the stored column types.
  /// - Throws: ``DoppelError`` when the table cannot be written; an existing table of that name is
  ///   then left as it was.
  func write(_ table: TextTable, as name: String, metadata: TableMetadata) async throws

  /// Whether a table of that name exists.
  /// - Parameter name: The table's name.
  /// - Returns: `true` when the store holds the table.
  /// - Throws: ``DoppelError`` `io` when the store cannot be listed.
  func contains(_ name: String) async throws -> Bool

  /// Releases connections; the store must not be used afterwards.
  func close() async
}

extension TableStore {
  /// Whether a table of that name exists, by listing the store.
  /// - Parameter name: The table's name.
  /// - Returns: `true` when the store holds the table.
  /// - Throws: ``DoppelError`` `io` when the store cannot be listed.
  public func contains(_ name: String) async throws -> Bool {
    try await tableNames().contains(name)
  }

  /// Closes nothing: stores without connections need no cleanup.
  public func close() async {}
}

/// The SQL column type that stores a column of this kind.
enum SQLColumnType {
  case integer, real, text

  init(_ kind: ColumnKind) {
    switch kind {
    case .numerical(let format): self = format.isInteger ? .integer : .real
    default: self = .text
    }
  }
}

/// Checks a table name before it reaches a file path or an SQL statement.
enum TableName {
  /// Names may hold letters, digits, `_`, `-` and `.`, start with neither `.` nor `-`, and have at
  /// most 63 bytes (PostgreSQL's limit).
  static func check(_ name: String) throws {
    let allowed = name.utf8.allSatisfy { byte in
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
        || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D || byte == 0x2E
    }
    guard allowed, !name.isEmpty, name.utf8.count <= 63, !name.hasPrefix("."), !name.hasPrefix("-")
    else {
      throw DoppelError(
        .invalidArgument,
        "a table name may hold only letters, digits, '_', '-' and '.', must not start with '.' "
          + "or '-' and has at most 63 characters; rename the table or its file")
    }
  }

  /// The name quoted as an SQL identifier.
  static func quoted(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
