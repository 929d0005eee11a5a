import Foundation

/// A bearer token's stored form: only the SHA-256 hash of the secret is kept.
public struct TokenRecord: Sendable, Codable, Equatable {
  /// The token's id (not secret), such as `tok_…`.
  public var id: String
  /// A name to recognize it by.
  public var name: String
  /// Hexadecimal SHA-256 of the secret.
  public var hash: String
  /// When it was created.
  public var createdAt: Date
  /// When it was revoked, if it was.
  public var revokedAt: Date?

  /// Creates a record.
  /// - Parameters:
  ///   - id: The id.
  ///   - name: The name.
  ///   - hash: The secret's hash.
  ///   - createdAt: Creation time.
  ///   - revokedAt: Revocation time.
  public init(id: String, name: String, hash: String, createdAt: Date, revokedAt: Date? = nil) {
    self.id = id
    self.name = name
    self.hash = hash
    self.createdAt = createdAt
    self.revokedAt = revokedAt
  }
}

/// An uploaded table.
public struct DatasetRecord: Sendable, Codable, Equatable {
  /// The dataset's id, such as `ds_…`.
  public var id: String
  /// The id of the token that uploaded it; only that token sees it.
  public var owner: String
  /// The name given at upload.
  public var name: String
  /// Bytes of the CSV file.
  public var bytes: Int
  /// Data rows.
  public var rows: Int
  /// The detected metadata as JSON text.
  public var metadata: String
  /// When it was uploaded.
  public var createdAt: Date

  /// Creates a record.
  /// - Parameters:
  ///   - id: The id.
  ///   - owner: The owning token's id.
  ///   - name: The name.
  ///   - bytes: File size.
  ///   - rows: Data rows.
  ///   - metadata: Metadata JSON.
  ///   - createdAt: Upload time.
  public init(
    id: String, owner: String, name: String, bytes: Int, rows: Int, metadata: String,
    createdAt: Date
  ) {
    self.id = id
    self.owner = owner
    self.name = name
    self.bytes = bytes
    self.rows = rows
    self.metadata = metadata
    self.createdAt = createdAt
  }
}

/// A training job and where it stands.
public struct JobRecord: Sendable, Codable, Equatable {
  /// Where a job stands.
  public enum State: String, Sendable, Codable, CaseIterable {
    /// Waiting for a worker.
    case queued
    /// A worker is fitting, sampling or evaluating.
    case running
    /// Finished; ``JobRecord/modelID`` names the model.
    case succeeded
    /// Failed; ``JobRecord/error`` says why.
    case failed
    /// Cancelled by its owner.
    case cancelled

    /// Whether the job will not change any more.
    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
  }

  /// The job's id, such as `job_…`.
  public var id: String
  /// The owning token's id.
  public var owner: String
  /// The dataset trained on.
  public var datasetID: String
  /// The synthesizer kind, or `nil` for the automatic choice.
  public var synthesizer: String?
  /// Hyper-parameters as JSON text (`{"key": "value"}`).
  public var options: String
  /// The seed.
  public var seed: UInt64
  /// The label of the utility model, if any.
  public var label: String?
  /// Where the job stands.
  public var state: State
  /// Progress of the current stage in [0, 1].
  public var progress: Double
  /// The current stage, such as `fitting`.
  public var stage: String
  /// Why the job failed, without data values.
  public var error: String?
  /// The model made, once succeeded.
  public var modelID: String?
  /// How many times a worker started the job (a restart after a crash starts it again).
  public var attempts: Int
  /// When it was created.
  public var createdAt: Date
  /// When it last changed.
  public var updatedAt: Date

  /// Creates a queued job.
  /// - Parameters:
  ///   - id: The id.
  ///   - owner: The owning token's id.
  ///   - datasetID: The dataset.
  ///   - synthesizer: The synthesizer kind or `nil`.
  ///   - options: Hyper-parameters as JSON.
  ///   - seed: The seed.
  ///   - label: The label column.
  ///   - now: Creation time.
  public init(
    id: String, owner: String, datasetID: String, synthesizer: String?, options: String,
    seed: UInt64, label: String?, now: Date
  ) {
    self.id = id
    self.owner = owner
    self.datasetID = datasetID
    self.synthesizer = synthesizer
    self.options = options
    self.seed = seed
    self.label = label
    state = .queued
    progress = 0
    stage = "queued"
    attempts = 0
    createdAt = now
    updatedAt = now
  }
}

/// A fitted model that can be sampled.
public struct ModelRecord: Sendable, Codable, Equatable {
  /// The model's id, such as `mdl_…`.
  public var id: String
  /// The owning token's id.
  public var owner: String
  /// The job that made it.
  public var jobID: String
  /// The dataset it learned from.
  public var datasetID: String
  /// The synthesizer kind.
  public var synthesizer: String
  /// Hyper-parameters as JSON text.
  public var options: String
  /// Why the synthesizer was chosen.
  public var reason: String
  /// Bytes of the model file.
  public var bytes: Int
  /// When it was made.
  public var createdAt: Date

  /// Creates a record.
  /// - Parameters:
  ///   - id: The id.
  ///   - owner: The owning token's id.
  ///   - jobID: The job.
  ///   - datasetID: The dataset.
  ///   - synthesizer: The kind.
  ///   - options: Hyper-parameters.
  ///   - reason: Why it was chosen.
  ///   - bytes: File size.
  ///   - createdAt: Creation time.
  public init(
    id: String, owner: String, jobID: String, datasetID: String, synthesizer: String,
    options: String, reason: String, bytes: Int, createdAt: Date
  ) {
    self.id = id
    self.owner = owner
    self.jobID = jobID
    self.datasetID = datasetID
    self.synthesizer = synthesizer
    self.options = options
    self.reason = reason
    self.bytes = bytes
    self.createdAt = createdAt
  }
}

/// Makes ids: a prefix and 128 random bits in hexadecimal.
enum Identifier {
  static func make(_ prefix: String) -> String {
    var generator = SystemRandomNumberGenerator()
    let high = generator.next() as UInt64
    let low = generator.next() as UInt64
    return prefix + "_" + String(format: "%016llx%016llx", high, low)
  }

  /// Whether text has an id's shape; anything else is an unknown id (and never reaches a path).
  static func isValid(_ text: String, prefix: String) -> Bool {
    guard text.hasPrefix(prefix + "_") else { return false }
    let rest = text.dropFirst(prefix.count + 1)
    return rest.count == 32
      && rest.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
  }
}
