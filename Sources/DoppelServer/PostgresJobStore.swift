import DoppelCore
import DoppelStores
import Foundation
import Logging
import PostgresNIO

/// The job store in a PostgreSQL database (`doppel serve --database postgres://…`), for
/// deployments where several hosts or a managed database keep the state.
///
/// The schema is created and upgraded by numbered migrations recorded in
/// `doppel_schema_migrations`, as in the SQLite store; records are kept in tables prefixed
/// `doppel_` in the URL's schema.
public final class PostgresJobStore: JobStore {
  private let client: PostgresClient
  private let runner: Task<Void, Never>
  private let logger: Logger
  private let schema: String

  /// The migrations, in order; each runs once, in a transaction.
  static let migrations: [(String, [String])] = [
    (
      "v1",
      [
        """
        CREATE TABLE doppel_token (id text PRIMARY KEY, name text NOT NULL,
          hash text NOT NULL UNIQUE, created_at double precision NOT NULL,
          revoked_at double precision)
        """,
        """
        CREATE TABLE doppel_dataset (id text PRIMARY KEY, owner text NOT NULL, name text NOT NULL,
          bytes bigint NOT NULL, rows bigint NOT NULL, metadata text NOT NULL,
          created_at double precision NOT NULL)
        """,
        """
        CREATE TABLE doppel_job (id text PRIMARY KEY, owner text NOT NULL, record text NOT NULL,
          state text NOT NULL, created_at double precision NOT NULL)
        """,
        "CREATE INDEX doppel_job_state ON doppel_job(state)",
        """
        CREATE TABLE doppel_model (id text PRIMARY KEY, owner text NOT NULL, record text NOT NULL,
          created_at double precision NOT NULL)
        """,
      ]
    )
  ]

  /// Connects, creates the schema when missing and runs pending migrations.
  /// - Parameters:
  ///   - url: The PostgreSQL URL (its `schema` query item names the schema; default `public`).
  ///   - logger: Receives connection messages.
  /// - Throws: ``DoppelError`` when the URL is malformed or the database cannot be reached.
  public init(url: String, logger: Logger) async throws {
    let location = try PostgresLocation(url: url)
    var configuration = PostgresClient.Configuration(
      host: location.host, port: location.port, username: location.username,
      password: location.password, database: location.database,
      tls: location.useTLS ? .prefer(.makeClientConfiguration()) : .disable)
    configuration.options.maximumConnections = 8
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    self.client = client
    self.logger = logger
    schema = "\"" + location.schema + "\""
    runner = Task { await client.run() }
    do {
      try await migrate()
    } catch {
      runner.cancel()
      throw DoppelError(
        .io, "cannot open the PostgreSQL job store at \(location.redacted); check the URL")
    }
  }

  private func migrate() async throws {
    try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"))
    try await client.withTransaction(logger: logger) { connection in
      try await connection.query(
        PostgresQuery(unsafeSQL: "SET LOCAL search_path TO \(self.schema)"), logger: self.logger)
      try await connection.query(
        "CREATE TABLE IF NOT EXISTS doppel_schema_migrations (id text PRIMARY KEY)",
        logger: self.logger)
      // One server migrates at a time.
      try await connection.query(
        "LOCK TABLE doppel_schema_migrations IN EXCLUSIVE MODE", logger: self.logger)
      var done = Set<String>()
      let rows = try await connection.query(
        "SELECT id FROM doppel_schema_migrations", logger: self.logger)
      for try await id in rows.decode(String.self) { done.insert(id) }
      for (id, statements) in PostgresJobStore.migrations where !done.contains(id) {
        for statement in statements {
          try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
        }
        try await connection.query(
          "INSERT INTO doppel_schema_migrations (id) VALUES (\(id))", logger: self.logger)
      }
    }
  }

  private func table(_ name: String) -> String { schema + ".doppel_" + name }

  private static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.dateEncodingStrategy = .secondsSince1970
    return encoder
  }()

  private static func json<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  private static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .secondsSince1970
    return try decoder.decode(type, from: Data(text.utf8))
  }

  private func records<T: Decodable>(_ type: T.Type, _ query: PostgresQuery) async throws -> [T] {
    var result: [T] = []
    for try await text in try await client.query(query, logger: logger).decode(String.self) {
      result.append(try PostgresJobStore.decode(type, text))
    }
    return result
  }

  // MARK: Tokens

  /// Adds a token.
  public func insert(_ token: TokenRecord) async throws {
    var binds = PostgresBindings()
    binds.append(token.id)
    binds.append(token.name)
    binds.append(token.hash)
    binds.append(token.createdAt.timeIntervalSince1970)
    try await client.query(
      PostgresQuery(
        unsafeSQL:
          "INSERT INTO \(table("token")) (id, name, hash, created_at) VALUES ($1, $2, $3, $4)",
        binds: binds), logger: logger)
  }

  private func tokenQuery(_ condition: String, _ binds: PostgresBindings) -> PostgresQuery {
    PostgresQuery(
      unsafeSQL: """
        SELECT json_build_object('id', id, 'name', name, 'hash', hash, 'createdAt', created_at,
          'revokedAt', revoked_at)::text FROM \(table("token")) \(condition)
        """, binds: binds)
  }

  /// The unrevoked token with this hash.
  public func activeToken(hash: String) async throws -> TokenRecord? {
    var binds = PostgresBindings()
    binds.append(hash)
    return try await records(
      TokenRecord.self, tokenQuery("WHERE hash = $1 AND revoked_at IS NULL", binds)
    ).first
  }

  /// Revokes a token by id or name.
  public func revokeToken(_ idOrName: String, at: Date) async throws -> Bool {
    var binds = PostgresBindings()
    binds.append(at.timeIntervalSince1970)
    binds.append(idOrName)
    let rows = try await client.query(
      PostgresQuery(
        unsafeSQL: """
          UPDATE \(table("token")) SET revoked_at = $1
          WHERE (id = $2 OR name = $2) AND revoked_at IS NULL RETURNING id
          """, binds: binds), logger: logger)
    var count = 0
    for try await _ in rows { count += 1 }
    return count > 0
  }

  /// Every token.
  public func tokens() async throws -> [TokenRecord] {
    try await records(TokenRecord.self, tokenQuery("ORDER BY created_at, id", PostgresBindings()))
  }

  // MARK: Datasets

  /// Adds a dataset.
  public func insert(_ dataset: DatasetRecord) async throws {
    var binds = PostgresBindings()
    binds.append(dataset.id)
    binds.append(dataset.owner)
    binds.append(dataset.name)
    binds.append(dataset.bytes)
    binds.append(dataset.rows)
    binds.append(dataset.metadata)
    binds.append(dataset.createdAt.timeIntervalSince1970)
    try await client.query(
      PostgresQuery(
        unsafeSQL: """
          INSERT INTO \(table("dataset")) (id, owner, name, bytes, rows, metadata, created_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7)
          """, binds: binds), logger: logger)
  }

  private func datasetQuery(_ condition: String, _ binds: PostgresBindings) -> PostgresQuery {
    PostgresQuery(
      unsafeSQL: """
        SELECT json_build_object('id', id, 'owner', owner, 'name', name, 'bytes', bytes,
          'rows', rows, 'metadata', metadata, 'createdAt', created_at)::text
        FROM \(table("dataset")) \(condition)
        """, binds: binds)
  }

  /// A dataset of an owner.
  public func dataset(_ id: String, owner: String) async throws -> DatasetRecord? {
    var binds = PostgresBindings()
    binds.append(id)
    binds.append(owner)
    return try await records(
      DatasetRecord.self, datasetQuery("WHERE id = $1 AND owner = $2", binds)
    ).first
  }

  /// An owner's datasets.
  public func datasets(owner: String) async throws -> [DatasetRecord] {
    var binds = PostgresBindings()
    binds.append(owner)
    return try await records(
      DatasetRecord.self, datasetQuery("WHERE owner = $1 ORDER BY created_at DESC, id", binds))
  }

  // MARK: Jobs (stored as JSON records beside the columns queries filter on)

  /// Adds a job.
  public func insert(_ job: JobRecord) async throws {
    var binds = PostgresBindings()
    binds.append(job.id)
    binds.append(job.owner)
    binds.append(try PostgresJobStore.json(job))
    binds.append(job.state.rawValue)
    binds.append(job.createdAt.timeIntervalSince1970)
    try await client.query(
      PostgresQuery(
        unsafeSQL: """
          INSERT INTO \(table("job")) (id, owner, record, state, created_at)
          VALUES ($1, $2, $3, $4, $5)
          """, binds: binds), logger: logger)
  }

  /// Replaces a job.
  public func update(_ job: JobRecord) async throws {
    _ = try await update(job, onlyRunning: false)
  }

  /// Replaces a job only while it is running.
  public func updateRunning(_ job: JobRecord) async throws -> Bool {
    try await update(job, onlyRunning: true)
  }

  private func update(_ job: JobRecord, onlyRunning: Bool) async throws -> Bool {
    var binds = PostgresBindings()
    binds.append(try PostgresJobStore.json(job))
    binds.append(job.state.rawValue)
    binds.append(job.id)
    let rows = try await client.query(
      PostgresQuery(
        unsafeSQL: """
          UPDATE \(table("job")) SET record = $1, state = $2
          WHERE id = $3 \(onlyRunning ? "AND state = 'running'" : "") RETURNING id
          """, binds: binds), logger: logger)
    var count = 0
    for try await _ in rows { count += 1 }
    return count > 0
  }

  /// A job.
  public func job(_ id: String, owner: String?) async throws -> JobRecord? {
    var binds = PostgresBindings()
    binds.append(id)
    var condition = "WHERE id = $1"
    if let owner {
      binds.append(owner)
      condition += " AND owner = $2"
    }
    return try await records(
      JobRecord.self,
      PostgresQuery(
        unsafeSQL: "SELECT record FROM \(table("job")) \(condition)", binds: binds)
    ).first
  }

  /// An owner's jobs.
  public func jobs(owner: String) async throws -> [JobRecord] {
    var binds = PostgresBindings()
    binds.append(owner)
    return try await records(
      JobRecord.self,
      PostgresQuery(
        unsafeSQL:
          "SELECT record FROM \(table("job")) WHERE owner = $1 ORDER BY created_at DESC, id",
        binds: binds))
  }

  /// Jobs in a state.
  public func jobs(in state: JobRecord.State) async throws -> [JobRecord] {
    var binds = PostgresBindings()
    binds.append(state.rawValue)
    return try await records(
      JobRecord.self,
      PostgresQuery(
        unsafeSQL: "SELECT record FROM \(table("job")) WHERE state = $1 ORDER BY created_at, id",
        binds: binds))
  }

  /// Records a succeeded job and its model together.
  public func finish(_ job: JobRecord, model: ModelRecord) async throws {
    let jobText = try PostgresJobStore.json(job)
    let modelText = try PostgresJobStore.json(model)
    try await client.withTransaction(logger: logger) { connection in
      var binds = PostgresBindings()
      binds.append(jobText)
      binds.append(job.state.rawValue)
      binds.append(job.id)
      let rows = try await connection.query(
        PostgresQuery(
          unsafeSQL: """
            UPDATE \(self.table("job")) SET record = $1, state = $2
            WHERE id = $3 AND state = 'running' RETURNING id
            """, binds: binds), logger: self.logger)
      var count = 0
      for try await _ in rows { count += 1 }
      guard count > 0 else { return }
      var modelBinds = PostgresBindings()
      modelBinds.append(model.id)
      modelBinds.append(model.owner)
      modelBinds.append(modelText)
      modelBinds.append(model.createdAt.timeIntervalSince1970)
      try await connection.query(
        PostgresQuery(
          unsafeSQL: """
            INSERT INTO \(self.table("model")) (id, owner, record, created_at)
            VALUES ($1, $2, $3, $4)
            """, binds: modelBinds), logger: self.logger)
    }
  }

  // MARK: Models

  /// Adds a model.
  public func insert(_ model: ModelRecord) async throws {
    var binds = PostgresBindings()
    binds.append(model.id)
    binds.append(model.owner)
    binds.append(try PostgresJobStore.json(model))
    binds.append(model.createdAt.timeIntervalSince1970)
    try await client.query(
      PostgresQuery(
        unsafeSQL: """
          INSERT INTO \(table("model")) (id, owner, record, created_at) VALUES ($1, $2, $3, $4)
          """, binds: binds), logger: logger)
  }

  /// A model of an owner.
  public func model(_ id: String, owner: String) async throws -> ModelRecord? {
    var binds = PostgresBindings()
    binds.append(id)
    binds.append(owner)
    return try await records(
      ModelRecord.self,
      PostgresQuery(
        unsafeSQL: "SELECT record FROM \(table("model")) WHERE id = $1 AND owner = $2",
        binds: binds)
    ).first
  }

  /// An owner's models.
  public func models(owner: String) async throws -> [ModelRecord] {
    var binds = PostgresBindings()
    binds.append(owner)
    return try await records(
      ModelRecord.self,
      PostgresQuery(
        unsafeSQL:
          "SELECT record FROM \(table("model")) WHERE owner = $1 ORDER BY created_at DESC, id",
        binds: binds))
  }

  /// Deletes a model.
  public func deleteModel(_ id: String, owner: String) async throws -> Bool {
    var binds = PostgresBindings()
    binds.append(id)
    binds.append(owner)
    let rows = try await client.query(
      PostgresQuery(
        unsafeSQL: "DELETE FROM \(table("model")) WHERE id = $1 AND owner = $2 RETURNING id",
        binds: binds), logger: logger)
    var count = 0
    for try await _ in rows { count += 1 }
    return count > 0
  }

  /// Stops the connection pool.
  public func close() async {
    runner.cancel()
  }
}
