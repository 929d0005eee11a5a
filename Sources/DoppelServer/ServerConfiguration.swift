import DoppelStores
import Foundation

/// Settings of `doppel serve`.
public struct ServerConfiguration: Sendable {
  /// The address to listen on; default `127.0.0.1`.
  public var host: String
  /// The port; default 8080.
  public var port: Int
  /// The folder of datasets, models, reports and (by default) the SQLite job store.
  public var dataDirectory: String
  /// A PostgreSQL URL for the job store instead of SQLite, if set.
  public var databaseURL: String?
  /// The largest upload in bytes; default 100 MiB.
  public var maxUploadBytes: Int
  /// The most rows one sample request may ask for; default 1,000,000.
  public var maxSampleRows: Int
  /// Jobs trained at once; default 2.
  public var workers: Int
  /// Share of rows held out of training for utility and privacy; default 0.2.
  public var holdoutFraction: Double
  /// Times a job interrupted by a crash is started again before it is marked failed; default 2.
  public var maxAttempts: Int
  /// The S3 client of upload events, or `nil` when S3 is not configured.
  public var s3: S3Client?
  /// The key prefix under which synthetic tables and reports of S3 uploads are written; default
  /// `synthetic/`.
  public var s3OutputPrefix: String

  /// Creates a configuration.
  /// - Parameters:
  ///   - host: Listen address.
  ///   - port: Port.
  ///   - dataDirectory: Data folder.
  ///   - databaseURL: PostgreSQL URL of the job store, or `nil` for SQLite.
  ///   - maxUploadBytes: Largest upload.
  ///   - maxSampleRows: Most rows per sample request.
  ///   - workers: Jobs at once.
  ///   - holdoutFraction: Share of rows held out.
  ///   - maxAttempts: Starts of an interrupted job.
  ///   - s3: The S3 client of upload events.
  ///   - s3OutputPrefix: Where outputs of S3 uploads go.
  public init(
    host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String,
    databaseURL: String? = nil, maxUploadBytes: Int = 100 << 20, maxSampleRows: Int = 1_000_000,
    workers: Int = 2, holdoutFraction: Double = 0.2, maxAttempts: Int = 2, s3: S3Client? = nil,
    s3OutputPrefix: String = "synthetic/"
  ) {
    self.s3 = s3
    self.s3OutputPrefix = s3OutputPrefix
    self.host = host
    self.port = port
    self.dataDirectory = dataDirectory
    self.databaseURL = databaseURL
    self.maxUploadBytes = maxUploadBytes
    self.maxSampleRows = maxSampleRows
    self.workers = workers
    self.holdoutFraction = holdoutFraction
    self.maxAttempts = maxAttempts
  }
}

/// Where the service keeps its files inside the data folder.
public struct DataPaths: Sendable {
  /// The data folder.
  public let root: String

  /// Uses a data folder, creating its subfolders.
  /// - Parameter root: The data folder.
  /// - Throws: An error when a folder cannot be created.
  public init(root: String) throws {
    self.root = root
    for folder in [root, datasets, jobs, uploads] {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
  }

  /// The SQLite job store.
  public var database: String { root + "/doppel.sqlite" }
  /// Uploaded CSV files.
  public var datasets: String { root + "/datasets" }
  /// Per-job folders (model, evaluation, report).
  public var jobs: String { root + "/jobs" }
  /// Uploads in progress.
  public var uploads: String { root + "/uploads" }

  /// A dataset's file; `id` must be a checked id.
  func dataset(_ id: String) -> String { datasets + "/" + id + ".csv" }
  /// A job's folder; `id` must be a checked id.
  func job(_ id: String) -> String { jobs + "/" + id }
}
