import DoppelCore
import Foundation
import GRDB

/// An SQLite database file whose tables are Doppel tables (through GRDB).
///
/// Values become text as `doppel` reads CSV: `NULL` is missing, integers and reals are printed in
/// full, text is kept and a blob becomes lowercase hexadecimal. Written columns are `INTEGER` for
/// whole numbers, `REAL` for other numbers and `TEXT` otherwise.
public final class SQLiteStore: TableStore {
  /// The database file.
  public let path: String
  private let queue: DatabaseQueue

  /// Opens a database file.
  /// - Parameters:
  ///   - path: The file.
  ///   - create: Whether a missing file is created (for output).
  /// - Throws: ``DoppelError`` `io` when the file is missing (and `create` is off) or is not an
  ///   SQLite database.
  public init(path: String, create: Bool = false) throws {
    self.path = path
    if !create && !FileManager.default.fileExists(atPath: path) {
      throw DoppelError(
        .io, "the SQLite file does not exist; check the path", context: .init(file: path))
    }
    do {
      var configuration = Configuration()
      configuration.busyMode = .timeout(30)
      queue = try DatabaseQueue(path: path, configuration: configuration)
      _ = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
    } catch {
      throw DoppelError(
        .io, "cannot open the file as an SQLite database; check that it is one",
        context: .init(file: path))
    }
  }

  /// The file's path.
  public var description: String { path }

  /// The database's tables, without SQLite's own, sorted.
  /// - Returns: The names.
  /// - Throws: ``DoppelError`` `io` when the schema cannot be read.
  public func tableNames() async throws -> [String] {
    do {
      return try await queue.read { db in
        try String.fetchAll(
          db,
          sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            + "AND name NOT LIKE '%__doppel_new' ORDER BY name")
      }
    } catch {
      throw DoppelError(.io, "cannot list the database's tables", context: .init(file: path))
    }
  }

  /// Reads a table.
  /// - Parameter name: The table's name.
  /// - Returns: The table as text.
  /// - Throws: ``DoppelError`` when the table is missing or cannot be read.
  public func read(_ name: String) async throws -> TextTable {
    try TableName.check(name)
    do {
      return try await queue.read { db in
        guard try db.tableExists(name) else {
          throw DoppelError(
            .io, "the database has no table '\(name)'", context: .init(file: self.path))
        }
        let names = try db.columns(in: name).map(\.name)
        var columns = names.map { _ in [String]() }
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(TableName.quoted(name))")
        while let row = try rows.next() {
          for index in columns.indices {
            columns[index].append(SQLiteStore.text(row[index] as DatabaseValue))
          }
        }
        return TextTable(columnNames: names, columns: columns)
      }
    } catch let error as DoppelError {
      throw error
    } catch {
      throw DoppelError(
        .io, "cannot read table '\(name)' from the database", context: .init(file: path))
    }
  }

  private static func text(_ value: DatabaseValue) -> String {
    switch value.storage {
    case .null: return ""
    case .int64(let number): return String(number)
    case .double(let number): return number.isFinite ? String(number) : ""
    case .string(let string): return string
    case .blob(let data): return data.map { String(format: "%02x", $0) }.joined()
    }
  }

  /// Writes a table in one transaction: the rows go to a new table that replaces the old one
  /// only when all are written.
  /// - Parameters:
  ///   - table: The rows as text; empty fields become `NULL`.
  ///   - name: The table's name.
  ///   - metadata: The columns' types.
  /// - Throws: ``DoppelError`` `io` when writing fails; the database is then unchanged.
  public func write(_ table: TextTable, as name: String, metadata: TableMetadata) async throws {
    try TableName.check(name)
    let types = table.columnNames.map { column in
      metadata[column].map { SQLColumnType($0.kind) } ?? .text
    }
    do {
      try await queue.write { db in
        let staging = TableName.quoted(name + "__doppel_new")
        try db.execute(sql: "DROP TABLE IF EXISTS \(staging)")
        let definitions = zip(table.columnNames, types).map { column, type in
          TableName.quoted(column) + " " + SQLiteStore.typeName(type)
        }
        try db.execute(sql: "CREATE TABLE \(staging) (\(definitions.joined(separator: ", ")))")
        let placeholders = Array(repeating: "?", count: table.columnNames.count)
          .joined(separator: ", ")
        let insert = try db.makeStatement(
          sql: "INSERT INTO \(staging) VALUES (\(placeholders))")
        for row in 0..<table.rowCount {
          let values: [(any DatabaseValueConvertible)?] = table.columns.indices.map { index in
            let field = table.columns[index][row]
            if field.isEmpty { return nil }
            switch types[index] {
            case .integer:
              if let number = Int64(field) { return number }
              if let number = Double(field) { return number }
              return field
            case .real:
              if let number = Double(field) { return number }
              return field
            case .text: return field
            }
          }
          try insert.execute(arguments: StatementArguments(values))
        }
        try db.execute(sql: "DROP TABLE IF EXISTS \(TableName.quoted(name))")
        try db.execute(sql: "ALTER TABLE \(staging) RENAME TO \(TableName.quoted(name))")
      }
    } catch {
      throw DoppelError(
        .io, "cannot write table '\(name)' to the database; check that the file is writable",
        context: .init(file: path))
    }
  }

  private static func typeName(_ type: SQLColumnType) -> String {
    switch type {
    case .integer: return "INTEGER"
    case .real: return "REAL"
    case .text: return "TEXT"
    }
  }

  /// Closes the database file.
  public func close() async {
    try? queue.close()
  }
}
