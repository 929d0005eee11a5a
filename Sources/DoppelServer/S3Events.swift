import DoppelPipeline
import DoppelStores
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The S3 event notification an upload sends to a Lambda function (or any webhook):
/// `{"Records": [{"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": …},
/// "object": {"key": …, "eTag": …}}}]}`. Keys arrive URL-encoded, with `+` for spaces.
public struct S3EventNotification: Codable, Sendable {
  /// One record.
  public struct Record: Codable, Sendable {
    /// The bucket.
    public struct Bucket: Codable, Sendable {
      /// Its name.
      public var name: String
    }
    /// The object.
    public struct Object: Codable, Sendable {
      /// The URL-encoded key.
      public var key: String
      /// The entity tag.
      public var eTag: String?
    }
    /// The S3 part.
    public struct S3: Codable, Sendable {
      /// The bucket.
      public var bucket: Bucket
      /// The object.
      public var object: Object
    }
    /// Such as `ObjectCreated:Put`.
    public var eventName: String?
    /// The bucket and object.
    public var s3: S3
  }
  /// The records.
  public var records: [Record]

  private enum CodingKeys: String, CodingKey {
    case records = "Records"
  }
}

/// What the event route did with one record.
public struct S3EventResult: Codable, Sendable, Equatable {
  /// The bucket.
  public var bucket: String
  /// The decoded key.
  public var key: String
  /// `accepted` (processing in the background), `duplicate` (already processed or in progress)
  /// or `ignored` (not an object creation, not a CSV file, or under the output prefix).
  public var status: String
  /// Where the outputs go, for accepted and duplicate records.
  public var output: String?
}

/// Processes S3 upload events in the background, each object version exactly once (a
/// ``ProcessedLedger`` in the data folder), resuming claims a killed server left.
actor S3EventProcessor {
  let client: S3Client?
  let outputPrefix: String
  let ledger: ProcessedLedger
  let workFolder: String
  let logger: Logger
  private var tasks: [String: Task<Void, Never>] = [:]

  init(client: S3Client?, outputPrefix: String, paths: DataPaths, logger: Logger) throws {
    self.client = client
    self.outputPrefix = outputPrefix
    ledger = try ProcessedLedger(path: paths.root + "/s3-events.sqlite")
    workFolder = paths.uploads
    self.logger = logger
  }

  /// Starts claims a killed server left running.
  func resume() throws {
    for id in try ledger.unfinished() {
      guard let (bucket, key) = S3EventProcessor.location(of: id) else { continue }
      start(id, bucket: bucket, key: key)
    }
  }

  func accept(_ notification: S3EventNotification) throws -> [S3EventResult] {
    guard client != nil else {
      throw APIError(
        .serviceUnavailable, "s3_not_configured",
        "the server has no S3 settings; start it with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY "
          + "and (for S3-compatible stores) AWS_ENDPOINT_URL")
    }
    var results: [S3EventResult] = []
    for record in notification.records {
      let bucket = record.s3.bucket.name
      let key =
        record.s3.object.key.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        ?? record.s3.object.key
      let created = record.eventName.map { $0.hasPrefix("ObjectCreated") } ?? true
      guard created, ObjectSynthesis.isInput(key, outputPrefix: outputPrefix) else {
        results.append(S3EventResult(bucket: bucket, key: key, status: "ignored"))
        continue
      }
      let output =
        "s3://\(bucket)/" + ObjectSynthesis.outputPrefix(for: key, under: outputPrefix)
      let id = "s3://\(bucket)/\(key)#\(record.s3.object.eTag ?? "")"
      if try ledger.claim(id) {
        start(id, bucket: bucket, key: key)
        results.append(S3EventResult(bucket: bucket, key: key, status: "accepted", output: output))
      } else {
        results.append(
          S3EventResult(bucket: bucket, key: key, status: "duplicate", output: output))
      }
    }
    return results
  }

  private func start(_ id: String, bucket: String, key: String) {
    guard let client else { return }
    let ledger = self.ledger
    let outputPrefix = self.outputPrefix
    let workFolder = self.workFolder
    let logger = self.logger
    tasks[id] = Task.detached {
      do {
        let prefix = try await ObjectSynthesis.processS3(
          bucket: bucket, key: key, client: client, outputPrefix: outputPrefix,
          workFolder: workFolder)
        try ledger.finish(id, result: "s3://\(bucket)/\(prefix)")
        logger.info("S3 object synthesized", metadata: ["object": "\(id)"])
      } catch is CancellationError {
        return
      } catch {
        try? ledger.fail(id, error: APIErrorText.describe(error))
        logger.warning("S3 object failed", metadata: ["object": "\(id)"])
      }
      await self.done(id)
    }
  }

  private func done(_ id: String) {
    tasks[id] = nil
  }

  /// Waits for running work to end (graceful shutdown); unfinished claims resume next start.
  func shutdown() async {
    let running = tasks
    for (_, task) in running { task.cancel() }
    for (_, task) in running { await task.value }
  }

  func entries() throws -> [ProcessedLedger.Entry] {
    try ledger.entries()
  }

  static func location(of id: String) -> (String, String)? {
    guard let hash = id.lastIndex(of: "#"),
      let parsed = ObjectWatcher.parseS3(String(id[..<hash]))
    else { return nil }
    return parsed
  }
}
