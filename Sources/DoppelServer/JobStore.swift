import Foundation

/// Where the service keeps tokens, datasets, jobs and models (files themselves live in the data
/// folder). Every query of a user's things takes the owner, so one token never sees another's.
public protocol JobStore: Sendable {
  /// Adds a token.
  /// - Parameter token: The record.
  /// - Throws: A store error.
  func insert(_ token: TokenRecord) async throws
  /// The token whose secret has this hash, if it is not revoked.
  /// - Parameter hash: The hexadecimal SHA-256 of the secret.
  /// - Returns: The token, or `nil`.
  /// - Throws: A store error.
  func activeToken(hash: String) async throws -> TokenRecord?
  /// Revokes a token by id or name.
  /// - Parameters:
  ///   - idOrName: The token's id or name.
  ///   - at: The revocation time.
  /// - Returns: Whether a token was revoked.
  /// - Throws: A store error.
  func revokeToken(_ idOrName: String, at: Date) async throws -> Bool
  /// Every token, oldest first.
  /// - Returns: The tokens.
  /// - Throws: A store error.
  func tokens() async throws -> [TokenRecord]

  /// Adds a dataset.
  /// - Parameter dataset: The record.
  /// - Throws: A store error.
  func insert(_ dataset: DatasetRecord) async throws
  /// A dataset of an owner.
  /// - Parameters:
  ///   - id: The dataset's id.
  ///   - owner: The owner.
  /// - Returns: The dataset, or `nil`.
  /// - Throws: A store error.
  func dataset(_ id: String, owner: String) async throws -> DatasetRecord?
  /// An owner's datasets, newest first.
  /// - Parameter owner: The owner.
  /// - Returns: The datasets.
  /// - Throws: A store error.
  func datasets(owner: String) async throws -> [DatasetRecord]

  /// Adds a job.
  /// - Parameter job: The record.
  /// - Throws: A store error.
  func insert(_ job: JobRecord) async throws
  /// Replaces a job's record.
  /// - Parameter job: The record.
  /// - Throws: A store error.
  func update(_ job: JobRecord) async throws
  /// Replaces a job's record only while the stored job is running (a worker's updates never
  /// undo a cancellation).
  /// - Parameter job: The record.
  /// - Returns: Whether the record was replaced.
  /// - Throws: A store error.
  func updateRunning(_ job: JobRecord) async throws -> Bool
  /// A job of an owner (any owner when `owner` is `nil`).
  /// - Parameters:
  ///   - id: The job's id.
  ///   - owner: The owner, or `nil`.
  /// - Returns: The job, or `nil`.
  /// - Throws: A store error.
  func job(_ id: String, owner: String?) async throws -> JobRecord?
  /// An owner's jobs, newest first.
  /// - Parameter owner: The owner.
  /// - Returns: The jobs.
  /// - Throws: A store error.
  func jobs(owner: String) async throws -> [JobRecord]
  /// Jobs in a state, oldest first.
  /// - Parameter state: The state.
  /// - Returns: The jobs.
  /// - Throws: A store error.
  func jobs(in state: JobRecord.State) async throws -> [JobRecord]

  /// Records a succeeded job and its model in one transaction, unless the job was cancelled
  /// meanwhile.
  /// - Parameters:
  ///   - job: The job, in state succeeded.
  ///   - model: Its model.
  /// - Throws: A store error.
  func finish(_ job: JobRecord, model: ModelRecord) async throws

  /// Adds a model.
  /// - Parameter model: The record.
  /// - Throws: A store error.
  func insert(_ model: ModelRecord) async throws
  /// A model of an owner.
  /// - Parameters:
  ///   - id: The model's id.
  ///   - owner: The owner.
  /// - Returns: The model, or `nil`.
  /// - Throws: A store error.
  func model(_ id: String, owner: String) async throws -> ModelRecord?
  /// An owner's models, newest first.
  /// - Parameter owner: The owner.
  /// - Returns: The models.
  /// - Throws: A store error.
  func models(owner: String) async throws -> [ModelRecord]
  /// Deletes a model's record.
  /// - Parameters:
  ///   - id: The model's id.
  ///   - owner: The owner.
  /// - Returns: Whether a model was deleted.
  /// - Throws: A store error.
  func deleteModel(_ id: String, owner: String) async throws -> Bool

  /// Closes the store.
  func close() async
}
