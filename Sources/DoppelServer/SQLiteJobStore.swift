import Foundation
import GRDB

/// The job store in an SQLite file (through GRDB), the default of `doppel serve`.
///
/// The schema is created and upgraded by numbered migrations, so a newer server opens an older
/// data folder. Writes go through SQLite's write-ahead log, so a killed server loses at most the
/// transaction it was in.
public final class SQLiteJobStore: JobStore {
  private let pool: DatabasePool

  /// Opens (creating when missing) the store and runs pending migrations.
  /// - Parameter path: The database file.
  /// - Throws: A GRDB error when the file cannot be opened or migrated.
  public init(path: String) throws {
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    pool = try DatabasePool(path: path, configuration: configuration)
    try SQLiteJobStore.migrator.migrate(pool)
  }

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE token (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
            createdAt DATETIME NOT NULL, revokedAt DATETIME);
          CREATE TABLE dataset (
            id TEXT PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, bytes INTEGER NOT NULL,
            rows INTEGER NOT NULL, metadata TEXT NOT NULL, createdAt DATETIME NOT NULL);
          CREATE INDEX dataset_owner ON dataset(owner);
          CREATE TABLE job (
            id TEXT PRIMARY KEY, owner TEXT NOT NULL, datasetID TEXT NOT NULL, synthesizer TEXT,
            options TEXT NOT NULL, seed INTEGER NOT NULL, label TEXT, state TEXT NOT NULL,
            progress REAL NOT NULL, stage TEXT NOT NULL, error TEXT, modelID TEXT,
            attempts INTEGER NOT NULL, createdAt DATETIME NOT NULL, updatedAt DATETIME NOT NULL);
          CREATE INDEX job_owner ON job(owner);
          CREATE INDEX job_state ON job(state);
          CREATE TABLE model (
            id TEXT PRIMARY KEY, owner TEXT NOT NULL, jobID TEXT NOT NULL,
            datasetID TEXT NOT NULL, synthesizer TEXT NOT NULL, options TEXT NOT NULL,
            reason TEXT NOT NULL, bytes INTEGER NOT NULL, createdAt DATETIME NOT NULL);
          CREATE INDEX model_owner ON model(owner);
          """)
    }
    return migrator
  }

  /// Adds a token.
  public func insert(_ token: TokenRecord) async throws {
    try await pool.write { db in try StoredToken(token).insert(db) }
  }

  /// The unrevoked token with this hash.
  public func activeToken(hash: String) async throws -> TokenRecord? {
    try await pool.read { db in
      try StoredToken.fetchOne(
        db, sql: "SELECT * FROM token WHERE hash = ? AND revokedAt IS NULL", arguments: [hash])?
        .record
    }
  }

  /// Revokes a token by id or name.
  public func revokeToken(_ idOrName: String, at: Date) async throws -> Bool {
    try await pool.write { db in
      try db.execute(
        sql: "UPDATE token SET revokedAt = ? WHERE (id = ? OR name = ?) AND revokedAt IS NULL",
        arguments: [at, idOrName, idOrName])
      return db.changesCount > 0
    }
  }

  /// Every token.
  public func tokens() async throws -> [TokenRecord] {
    try await pool.read { db in
      try StoredToken.fetchAll(db, sql: "SELECT * FROM token ORDER BY createdAt, id").map(\.record)
    }
  }

  /// Adds a dataset.
  public func insert(_ dataset: DatasetRecord) async throws {
    try await pool.write { db in try StoredDataset(dataset).insert(db) }
  }

  /// A dataset of an owner.
  public func dataset(_ id: String, owner: String) async throws -> DatasetRecord? {
    try await pool.read { db in
      try StoredDataset.fetchOne(
        db, sql: "SELECT * FROM dataset WHERE id = ? AND owner = ?", arguments: [id, owner])?
        .record
    }
  }

  /// An owner's datasets.
  public func datasets(owner: String) async throws -> [DatasetRecord] {
    try await pool.read { db in
      try StoredDataset.fetchAll(
        db, sql: "SELECT * FROM dataset WHERE owner = ? ORDER BY createdAt DESC, id",
        arguments: [owner]
      ).map(\.record)
    }
  }

  /// Adds a job.
  public func insert(_ job: JobRecord) async throws {
    try await pool.write { db in try StoredJob(job).insert(db) }
  }

  /// Replaces a job.
  public func update(_ job: JobRecord) async throws {
    try await pool.write { db in try StoredJob(job).update(db) }
  }

  /// A job.
  public func job(_ id: String, owner: String?) async throws -> JobRecord? {
    try await pool.read { db in
      if let owner {
        return try StoredJob.fetchOne(
          db, sql: "SELECT * FROM job WHERE id = ? AND owner = ?", arguments: [id, owner])?.record
      }
      return try StoredJob.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id])?
        .record
    }
  }

  /// An owner's jobs.
  public func jobs(owner: String) async throws -> [JobRecord] {
    try await pool.read { db in
      try StoredJob.fetchAll(
        db, sql: "SELECT * FROM job WHERE owner = ? ORDER BY createdAt DESC, id",
        arguments: [owner]
      ).map(\.record)
    }
  }

  /// Jobs in a state.
  public func jobs(in state: JobRecord.State) async throws -> [JobRecord] {
    try await pool.read { db in
      try StoredJob.fetchAll(
        db, sql: "SELECT * FROM job WHERE state = ? ORDER BY createdAt, id",
        arguments: [state.rawValue]
      ).map(\.record)
    }
  }

  /// Replaces a job's record only while the stored job is running.
  public func updateRunning(_ job: JobRecord) async throws -> Bool {
    try await pool.write { db in
      let state = try String.fetchOne(
        db, sql: "SELECT state FROM job WHERE id = ?", arguments: [job.id])
      guard state == JobRecord.State.running.rawValue else { return false }
      try StoredJob(job).update(db)
      return true
    }
  }

  /// Records a succeeded job and its model together.
  public func finish(_ job: JobRecord, model: ModelRecord) async throws {
    try await pool.write { db in
      let state = try String.fetchOne(
        db, sql: "SELECT state FROM job WHERE id = ?", arguments: [job.id])
      guard state == JobRecord.State.running.rawValue else { return }
      try StoredModel(model).insert(db)
      try StoredJob(job).update(db)
    }
  }

  /// Adds a model.
  public func insert(_ model: ModelRecord) async throws {
    try await pool.write { db in try StoredModel(model).insert(db) }
  }

  /// A model of an owner.
  public func model(_ id: String, owner: String) async throws -> ModelRecord? {
    try await pool.read { db in
      try StoredModel.fetchOne(
        db, sql: "SELECT * FROM model WHERE id = ? AND owner = ?", arguments: [id, owner])?.record
    }
  }

  /// An owner's models.
  public func models(owner: String) async throws -> [ModelRecord] {
    try await pool.read { db in
      try StoredModel.fetchAll(
        db, sql: "SELECT * FROM model WHERE owner = ? ORDER BY createdAt DESC, id",
        arguments: [owner]
      ).map(\.record)
    }
  }

  /// Deletes a model.
  public func deleteModel(_ id: String, owner: String) async throws -> Bool {
    try await pool.write { db in
      try db.execute(
        sql: "DELETE FROM model WHERE id = ? AND owner = ?", arguments: [id, owner])
      return db.changesCount > 0
    }
  }

  /// Closes the database.
  public func close() async {
    try? pool.close()
  }
}

// GRDB records: thin wrappers so the public records stay free of GRDB.

private struct StoredToken: Codable, FetchableRecord, PersistableRecord {
  static let databaseTableName = "token"
  var id: String
  var name: String
  var hash: String
  var createdAt: Date
  var revokedAt: Date?
  init(_ record: TokenRecord) {
    id = record.id
    name = record.name
    hash = record.hash
    createdAt = record.createdAt
    revokedAt = record.revokedAt
  }
  var record: TokenRecord {
    TokenRecord(id: id, name: name, hash: hash, createdAt: createdAt, revokedAt: revokedAt)
  }
}

private struct StoredDataset: Codable, FetchableRecord, PersistableRecord {
  static let databaseTableName = "dataset"
  var record: DatasetRecord
  init(_ record: DatasetRecord) { self.record = record }
  init(from decoder: any Decoder) throws { record = try DatasetRecord(from: decoder) }
  func encode(to encoder: any Encoder) throws { try record.encode(to: encoder) }
}

private struct StoredJob: Codable, FetchableRecord, PersistableRecord {
  static let databaseTableName = "job"
  var record: JobRecord
  init(_ record: JobRecord) { self.record = record }
  init(from decoder: any Decoder) throws { record = try JobRecord(from: decoder) }
  func encode(to encoder: any Encoder) throws { try record.encode(to: encoder) }
}

private struct StoredModel: Codable, FetchableRecord, PersistableRecord {
  static let databaseTableName = "model"
  var record: ModelRecord
  init(_ record: ModelRecord) { self.record = record }
  init(from decoder: any Decoder) throws { record = try ModelRecord(from: decoder) }
  func encode(to encoder: any Encoder) throws { try record.encode(to: encoder) }
}
