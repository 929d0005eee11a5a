import DoppelCore
import Foundation
import GRDB

/// A record of which objects (files or S3 objects) have been processed, so that each is
/// processed exactly once even across restarts.
///
/// An object is identified by its location and version (an S3 ETag, or a file's size and
/// modification time). ``claim(_:)`` records it as running before work starts; ``finish(_:result:)``
/// or ``fail(_:error:)`` records the end. Claims left running by a killed process are handed out
/// again by ``unfinished()`` on the next start; outputs are written under fixed names, so
/// redoing a claim replaces rather than duplicates them.
public final class ProcessedLedger: Sendable {
  /// One processed (or claimed) object.
  public struct Entry: Sendable, Codable, Equatable {
    /// The object's location and version, such as `s3://bucket/key#etag`.
    public var id: String
    /// `running`, `done` or `failed`.
    public var state: String
    /// Where the outputs went, or why it failed.
    public var detail: String
    /// When it last changed.
    public var updatedAt: Date
  }

  private let queue: DatabaseQueue

  /// Opens (creating when missing) a ledger file.
  /// - Parameter path: The SQLite file.
  /// - Throws: ``DoppelError`` `io` when it cannot be opened.
  public init(path: String) throws {
    do {
      queue = try DatabaseQueue(path: path)
      var migrator = DatabaseMigrator()
      migrator.registerMigration("v1") { db in
        try db.execute(
          sql: """
            CREATE TABLE processed (
              id TEXT PRIMARY KEY, state TEXT NOT NULL, detail TEXT NOT NULL,
              updatedAt DATETIME NOT NULL)
            """)
      }
      try migrator.migrate(queue)
    } catch {
      throw DoppelError(
        .io, "cannot open the ledger of processed objects; check the folder",
        context: .init(file: path))
    }
  }

  /// Claims an object; returns `false` when it was already claimed or processed.
  /// - Parameter id: The object's location and version.
  /// - Returns: Whether the caller should process it.
  /// - Throws: A database error.
  public func claim(_ id: String) throws -> Bool {
    try queue.write { db in
      try db.execute(
        sql:
          "INSERT OR IGNORE INTO processed (id, state, detail, updatedAt) VALUES (?, 'running', '', ?)",
        arguments: [id, Date()])
      return db.changesCount > 0
    }
  }

  /// Records a success.
  /// - Parameters:
  ///   - id: The object.
  ///   - result: Where the outputs went.
  /// - Throws: A database error.
  public func finish(_ id: String, result: String) throws {
    try set(id, state: "done", detail: result)
  }

  /// Records a failure; a failed object is not retried (its error stays in the ledger).
  /// - Parameters:
  ///   - id: The object.
  ///   - error: Why, without data values.
  /// - Throws: A database error.
  public func fail(_ id: String, error: String) throws {
    try set(id, state: "failed", detail: error)
  }

  private func set(_ id: String, state: String, detail: String) throws {
    try queue.write { db in
      try db.execute(
        sql: "UPDATE processed SET state = ?, detail = ?, updatedAt = ? WHERE id = ?",
        arguments: [state, detail, Date(), id])
    }
  }

  /// Claims a killed process left running.
  /// - Returns: Their ids.
  /// - Throws: A database error.
  public func unfinished() throws -> [String] {
    try queue.read { db in
      try String.fetchAll(db, sql: "SELECT id FROM processed WHERE state = 'running' ORDER BY id")
    }
  }

  /// Every entry, by id.
  /// - Returns: The entries.
  /// - Throws: A database error.
  public func entries() throws -> [Entry] {
    try queue.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM processed ORDER BY id").map { row in
        Entry(
          id: row["id"], state: row["state"], detail: row["detail"], updatedAt: row["updatedAt"])
      }
    }
  }
}
