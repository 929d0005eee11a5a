import Foundation
import HTTPTypes
import Hummingbird

/// A column of a dataset as the API shows it.
public struct ColumnView: Codable, Sendable, Equatable {
  /// The column's name.
  public var name: String
  /// Its kind: numerical, categorical, boolean, datetime, id, text or pii.
  public var kind: String
  /// Share of missing values, if known.
  public var missingRate: Double?
  /// Distinct values, if known.
  public var distinctCount: Int?
}

/// A dataset as the API shows it.
public struct DatasetView: Codable, Sendable, Equatable, ResponseEncodable {
  /// The id.
  public var id: String
  /// The name given at upload.
  public var name: String
  /// File size in bytes.
  public var bytes: Int
  /// Data rows.
  public var rows: Int
  /// The detected columns.
  public var columns: [ColumnView]
  /// Upload time.
  public var createdAt: Date
}

/// A job as the API shows it.
public struct JobView: Codable, Sendable, Equatable, ResponseEncodable {
  /// The id.
  public var id: String
  /// The dataset trained on.
  public var dataset: String
  /// The synthesizer asked for, or `null` for the automatic choice.
  public var synthesizer: String?
  /// Hyper-parameters asked for.
  public var options: [String: String]
  /// The seed.
  public var seed: UInt64
  /// The label column, if given.
  public var label: String?
  /// queued, running, succeeded, failed or cancelled.
  public var state: String
  /// The current stage.
  public var stage: String
  /// Progress in [0, 1].
  public var progress: Double
  /// Why the job failed.
  public var error: String?
  /// The model made, once succeeded.
  public var model: String?
  /// Starts by a worker.
  public var attempts: Int
  /// Creation time.
  public var createdAt: Date
  /// Last change.
  public var updatedAt: Date

  init(_ job: JobRecord) {
    id = job.id
    dataset = job.datasetID
    synthesizer = job.synthesizer
    options =
      (try? JSONDecoder().decode([String: String].self, from: Data(job.options.utf8))) ?? [:]
    seed = job.seed
    label = job.label
    state = job.state.rawValue
    stage = job.stage
    progress = job.progress
    error = job.error
    model = job.modelID
    attempts = job.attempts
    createdAt = job.createdAt
    updatedAt = job.updatedAt
  }
}

/// A model as the API shows it.
public struct ModelView: Codable, Sendable, Equatable, ResponseEncodable {
  /// The id.
  public var id: String
  /// The job that made it.
  public var job: String
  /// The dataset it learned from.
  public var dataset: String
  /// The synthesizer kind.
  public var synthesizer: String
  /// The hyper-parameters used.
  public var options: [String: String]
  /// Why the synthesizer was chosen.
  public var reason: String
  /// Model file size.
  public var bytes: Int
  /// Creation time.
  public var createdAt: Date

  init(_ model: ModelRecord) {
    id = model.id
    job = model.jobID
    dataset = model.datasetID
    synthesizer = model.synthesizer
    options =
      (try? JSONDecoder().decode([String: String].self, from: Data(model.options.utf8))) ?? [:]
    reason = model.reason
    bytes = model.bytes
    createdAt = model.createdAt
  }
}

/// A list answer: `{"items": [...]}`.
public struct ListView<Item: Codable & Sendable>: Codable, Sendable, ResponseEncodable {
  /// The items.
  public var items: [Item]
}

/// The body of `POST /v1/jobs`.
public struct CreateJobRequest: Codable, Sendable {
  /// The dataset's id.
  public var dataset: String
  /// The synthesizer kind; absent for the automatic choice.
  public var synthesizer: String?
  /// Hyper-parameters.
  public var options: [String: String]?
  /// The seed, 0 to 2⁶³−1; default 0.
  public var seed: UInt64?
  /// The label column of the utility model.
  public var label: String?
}

/// The body of `POST /v1/models/{id}/sample`.
public struct SampleRequest: Codable, Sendable {
  /// Rows to return; default 100.
  public var rows: Int?
  /// The sampling seed; default 0.
  public var seed: UInt64?
  /// `csv` (default) or `jsonl`.
  public var format: String?
  /// Column = value conditions every returned row meets (rejection sampling).
  public var conditions: [String: String]?
}
