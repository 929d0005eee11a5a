import DoppelCore
import Foundation
import Logging
import PostgresNIO

/// A PostgreSQL schema whose tables are Doppel tables (through PostgresNIO).
///
/// Every column is read as its text form (`column::text`), so any column type can be
/// synthesized; `NULL` is missing. Written columns are `bigint` for whole numbers,
/// `double precision` for other numbers and `text` otherwise.
public final class PostgresStore: TableStore {
  /// The server, database and schema.
  public let location: PostgresLocation
  private let client: PostgresClient
  private let runner: Task<Void, Never>
  private let logger: Logger

  /// The most bound parameters in one `INSERT` (PostgreSQL allows 65,535).
  static let maximumParameters = 30_000

  /// Connects to a schema; the schema is created when `create` is set.
  /// - Parameters:
  ///   - location: The server, database and schema.
  ///   - create: Whether to create a missing schema (for output).
  ///   - logger: Receives connection messages.
  /// - Throws: ``DoppelError`` `io` when the server cannot be reached or the schema created.
  public init(
    location: PostgresLocation, create: Bool = false,
    logger: Logger = Logger(label: "doppel.postgres")
  ) async throws {
    self.location = location
    self.logger = logger
    var configuration = PostgresClient.Configuration(
      host: location.host, port: location.port, username: location.username,
      password: location.password, database: location.database,
      tls: location.useTLS ? .prefer(.makeClientConfiguration()) : .disable)
    configuration.options.maximumConnections = 8
    configuration.options.keepAliveBehavior = nil
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    self.client = client
    runner = Task { await client.run() }
    do {
      if create {
        try await client.query(
          PostgresQuery(
            unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(TableName.quoted(location.schema))"),
          logger: logger)
      } else {
        try await client.query("SELECT 1", logger: logger)
      }
    } catch {
      runner.cancel()
      throw DoppelError(
        .io,
        "cannot connect to PostgreSQL at \(location.redacted) (\(PostgresStore.reason(error))); "
          + "check the URL, the server and the password")
    }
  }

  /// The database and schema, without the password.
  public var description: String { location.redacted }

  /// The schema's base tables, sorted.
  /// - Returns: The names.
  /// - Throws: ``DoppelError`` `io` when the catalogue cannot be read.
  public func tableNames() async throws -> [String] {
    do {
      let rows = try await client.query(
        """
        SELECT table_name::text FROM information_schema.tables
        WHERE table_schema = \(location.schema) AND table_type = 'BASE TABLE'
          AND table_name NOT LIKE '%\\_\\_doppel\\_new' ORDER BY table_name
        """, logger: logger)
      var names: [String] = []
      for try await name in rows.decode(String.self) { names.append(name) }
      return names
    } catch {
      throw DoppelError(
        .io, "cannot list the tables of \(location.redacted) (\(PostgresStore.reason(error)))")
    }
  }

  /// Reads a table, every column as text.
  /// - Parameter name: The table's name.
  /// - Returns: The table as text.
  /// - Throws: ``DoppelError`` when the table is missing or cannot be read.
  public func read(_ name: String) async throws -> TextTable {
    try TableName.check(name)
    do {
      let columnRows = try await client.query(
        """
        SELECT column_name::text FROM information_schema.columns
        WHERE table_schema = \(location.schema) AND table_name = \(name)
        ORDER BY ordinal_position
        """, logger: logger)
      var names: [String] = []
      for try await column in columnRows.decode(String.self) { names.append(column) }
      guard !names.isEmpty else {
        throw DoppelError(.io, "the schema \(location.schema) has no table '\(name)'")
      }
      let select = names.map { TableName.quoted($0) + "::text" }.joined(separator: ", ")
      let rows = try await client.query(
        PostgresQuery(unsafeSQL: "SELECT \(select) FROM \(qualified(name))"), logger: logger)
      var columns = names.map { _ in [String]() }
      for try await row in rows {
        let cells = row.makeRandomAccess()
        for index in columns.indices {
          columns[index].append(try cells[index].decode(String?.self) ?? "")
        }
      }
      return TextTable(columnNames: names, columns: columns)
    } catch let error as DoppelError {
      throw error
    } catch {
      throw DoppelError(
        .io,
        "cannot read table '\(name)' from \(location.redacted) (\(PostgresStore.reason(error)))"
      )
    }
  }

  /// Writes a table in one transaction: rows go to a new table that replaces the old one when
  /// all are written.
  /// - Parameters:
  ///   - table: The rows as text; empty fields become `NULL`.
  ///   - name: The table's name.
  ///   - metadata: The columns' types.
  /// - Throws: ``DoppelError`` `io` when writing fails; the schema is then unchanged.
  public func write(_ table: TextTable, as name: String, metadata: TableMetadata) async throws {
    try TableName.check(name)
    let types = table.columnNames.map { column in
      metadata[column].map { SQLColumnType($0.kind) } ?? .text
    }
    let staging = name + "__doppel_new"
    let definitions = zip(table.columnNames, types).map { column, type in
      TableName.quoted(column) + " " + PostgresStore.typeName(type)
    }.joined(separator: ", ")
    let columnCount = max(1, table.columnNames.count)
    let batchRows = max(1, PostgresStore.maximumParameters / columnCount)
    do {
      try await client.withTransaction(logger: logger) { connection in
        try await connection.query(
          PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(self.qualified(staging))"),
          logger: self.logger)
        try await connection.query(
          PostgresQuery(unsafeSQL: "CREATE TABLE \(self.qualified(staging)) (\(definitions))"),
          logger: self.logger)
        var start = 0
        while start < table.rowCount {
          let end = min(start + batchRows, table.rowCount)
          var binds = PostgresBindings(capacity: (end - start) * columnCount)
          var tuples: [String] = []
          tuples.reserveCapacity(end - start)
          var parameter = 1
          for row in start..<end {
            var cells: [String] = []
            for index in table.columns.indices {
              let field = table.columns[index][row]
              if field.isEmpty { binds.appendNull() } else { binds.append(field) }
              cells.append("$\(parameter)::" + PostgresStore.typeName(types[index]))
              parameter += 1
            }
            tuples.append("(" + cells.joined(separator: ",") + ")")
          }
          try await connection.query(
            PostgresQuery(
              unsafeSQL: "INSERT INTO \(self.qualified(staging)) VALUES "
                + tuples.joined(separator: ","), binds: binds),
            logger: self.logger)
          start = end
        }
        try await connection.query(
          PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(self.qualified(name))"),
          logger: self.logger)
        try await connection.query(
          PostgresQuery(
            unsafeSQL:
              "ALTER TABLE \(self.qualified(staging)) RENAME TO \(TableName.quoted(name))"),
          logger: self.logger)
      }
    } catch {
      throw DoppelError(
        .io,
        "cannot write table '\(name)' to \(location.redacted) (\(PostgresStore.reason(error))); "
          + "check the user's rights on the schema")
    }
  }

  private func qualified(_ name: String) -> String {
    TableName.quoted(location.schema) + "." + TableName.quoted(name)
  }

  private static func typeName(_ type: SQLColumnType) -> String {
    switch type {
    case .integer: return "bigint"
    case .real: return "double precision"
    case .text: return "text"
    }
  }

  /// The server's message for an error, which names no data values.
  static func reason(_ error: any Error) -> String {
    if let error = error as? PSQLError {
      if let message = error.serverInfo?[.message] { return message }
      return "\(error.code)"
    }
    return String(describing: type(of: error))
  }

  /// Stops the connection pool.
  public func close() async {
    runner.cancel()
  }
}
