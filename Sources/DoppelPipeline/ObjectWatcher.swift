import Doppel
import DoppelStores
import Foundation

/// Watches a folder or an S3 prefix and synthesizes every new CSV object exactly once, surviving
/// restarts (``ProcessedLedger``).
///
/// A folder's file is known by its path, size and modification time; an S3 object by its key and
/// ETag, so a replaced object is a new one. Outputs go to `out/NAME/` (folder) or
/// `OUTPUT-PREFIX/NAME/` (S3).
public struct ObjectWatcher: Sendable {
  /// What is watched.
  public enum Source: Sendable, Equatable {
    /// A local folder; outputs go to the `output` folder.
    case folder(path: String, output: String)
    /// An S3 bucket and prefix; outputs go under `outputPrefix` in the same bucket.
    case s3(bucket: String, prefix: String, outputPrefix: String)
  }

  /// What is watched.
  public let source: Source
  /// The ledger of processed objects.
  public let ledger: ProcessedLedger
  /// The S3 client, for S3 sources.
  public let client: S3Client?
  /// A scratch folder.
  public let workFolder: String
  /// The seed of every run.
  public let seed: UInt64

  /// Creates a watcher.
  /// - Parameters:
  ///   - source: What is watched.
  ///   - ledger: The ledger.
  ///   - client: The S3 client (S3 sources).
  ///   - workFolder: A scratch folder.
  ///   - seed: The seed.
  public init(
    source: Source, ledger: ProcessedLedger, client: S3Client?, workFolder: String,
    seed: UInt64 = 0
  ) {
    self.source = source
    self.ledger = ledger
    self.client = client
    self.workFolder = workFolder
    self.seed = seed
  }

  /// Parses `s3://bucket/prefix`.
  /// - Parameter url: The URL.
  /// - Returns: Bucket and prefix, or `nil` when `url` is not an S3 URL.
  public static func parseS3(_ url: String) -> (bucket: String, prefix: String)? {
    guard url.hasPrefix("s3://") else { return nil }
    let rest = url.dropFirst(5)
    let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    guard let bucket = parts.first, !bucket.isEmpty else { return nil }
    return (String(bucket), parts.count > 1 ? String(parts[1]) : "")
  }

  /// One poll: processes every object not yet in the ledger (and claims a killed run left),
  /// one at a time.
  /// - Parameter log: Receives one line per object.
  /// - Returns: The ids processed in this poll.
  /// - Throws: ``DoppelError`` when the source cannot be listed.
  @discardableResult
  public func poll(log: @Sendable (String) -> Void = { _ in }) async throws -> [String] {
    var processed: [String] = []
    let leftover = Set(try ledger.unfinished())
    for (id, object) in try await listing() {
      let fresh = try ledger.claim(id)
      guard fresh || leftover.contains(id) else { continue }
      do {
        let result = try await process(object)
        try ledger.finish(id, result: result)
        log("\(id): done → \(result)")
      } catch {
        var text = String(describing: error)
        if var doppel = error as? DoppelError {
          doppel.context.file = nil
          text = doppel.description
        }
        try ledger.fail(id, error: text)
        log("\(id): failed: \(text)")
      }
      processed.append(id)
    }
    return processed
  }

  /// Polls until the task is cancelled.
  /// - Parameters:
  ///   - interval: Seconds between polls.
  ///   - log: Receives one line per object.
  /// - Throws: ``DoppelError`` when the source cannot be listed.
  public func run(interval: Double, log: @escaping @Sendable (String) -> Void) async throws {
    while !Task.isCancelled {
      try await poll(log: log)
      try? await Task.sleep(for: .seconds(interval))
    }
  }

  private func listing() async throws -> [(String, String)] {
    switch source {
    case .folder(let path, _):
      let names: [String]
      do {
        names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
      } catch {
        throw DoppelError(.io, "cannot list the watched folder", context: .init(file: path))
      }
      return names.filter { ObjectSynthesis.isInput($0, outputPrefix: "") }.compactMap { name in
        let file = path + "/" + name
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
          let size = attributes[.size] as? Int,
          let modified = attributes[.modificationDate] as? Date
        else { return nil }
        return ("file://\(file)#\(size)-\(Int64(modified.timeIntervalSince1970 * 1000))", file)
      }
    case .s3(let bucket, let prefix, let outputPrefix):
      guard let client else {
        throw DoppelError(.invalidArgument, "watching S3 needs an S3 client")
      }
      return try await client.listObjects(bucket: bucket, prefix: prefix)
        .filter { ObjectSynthesis.isInput($0.key, outputPrefix: outputPrefix) }
        .map { ("s3://\(bucket)/\($0.key)#\($0.etag)", $0.key) }
    }
  }

  private func process(_ object: String) async throws -> String {
    switch source {
    case .folder(_, let output):
      var name = URL(fileURLWithPath: object).lastPathComponent
      for suffix in [".gz", ".csv"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
      let folder = output + "/" + name
      try await ObjectSynthesis.synthesize(csv: object, into: folder, seed: seed)
      return folder
    case .s3(let bucket, _, let outputPrefix):
      guard let client else {
        throw DoppelError(.invalidArgument, "watching S3 needs an S3 client")
      }
      let prefix = try await ObjectSynthesis.processS3(
        bucket: bucket, key: object, client: client, outputPrefix: outputPrefix,
        workFolder: workFolder, seed: seed)
      return "s3://\(bucket)/\(prefix)"
    }
  }
}
