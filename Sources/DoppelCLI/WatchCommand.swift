import ArgumentParser
import Doppel
import DoppelPipeline
import DoppelStores
import Foundation

/// `doppel watch`: synthesize every new CSV file of a folder or an S3 prefix, exactly once.
struct WatchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Synthesize every new CSV file in a folder or under an S3 prefix, exactly once.",
    discussion: """
      SOURCE is a folder or s3://BUCKET/PREFIX. Each new .csv or .csv.gz object is synthesized \
      (synthesizer chosen by the pipeline's rule) and synthetic.csv, report.html, \
      evaluation.json and the summaries are written to OUT/NAME/ (folder) or to \
      OUTPUT-PREFIX/NAME/ in the same bucket (S3). A ledger (--state) records every object \
      version, so a restart neither repeats nor skips one; an object a killed run left half \
      done is processed again. S3 settings come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, \
      AWS_REGION and AWS_ENDPOINT_URL.
      """)

  @Argument(help: "A folder or s3://BUCKET/PREFIX.")
  var source: String

  @Option(name: .long, help: "Output folder when watching a folder (default: SOURCE/synthetic).")
  var out: String?

  @Option(name: .long, help: "Key prefix of outputs when watching S3.")
  var outputPrefix: String = "synthetic/"

  @Option(name: .long, help: "The ledger of processed objects (an SQLite file).")
  var state: String?

  @Option(name: .long, help: "Seconds between polls.")
  var interval: Double = 10

  @Option(name: .long, help: "Seed of every run.")
  var seed: UInt64 = 0

  @Flag(name: .long, help: "Poll once and exit.")
  var once = false

  func validate() throws {
    guard interval > 0 else { throw ValidationError("--interval must be above 0") }
    if source.hasPrefix("s3://") && ObjectWatcher.parseS3(source) == nil {
      throw ValidationError("an S3 source reads s3://BUCKET/PREFIX")
    }
  }

  func run() async throws {
    let watcherSource: ObjectWatcher.Source
    let client: S3Client?
    let statePath: String
    if let (bucket, prefix) = ObjectWatcher.parseS3(source) {
      client = try S3Client.fromEnvironment()
      watcherSource = .s3(bucket: bucket, prefix: prefix, outputPrefix: outputPrefix)
      statePath = state ?? "doppel-watch-\(bucket).sqlite"
    } else {
      client = nil
      let output = out ?? source + "/synthetic"
      watcherSource = .folder(path: source, output: output)
      statePath = state ?? source + "/.doppel-processed.sqlite"
    }
    let work = FileManager.default.temporaryDirectory
      .appendingPathComponent("doppel-watch-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    let watcher = ObjectWatcher(
      source: watcherSource, ledger: try ProcessedLedger(path: statePath), client: client,
      workFolder: work, seed: seed)
    if once {
      let done = try await watcher.poll { print($0) }
      print("\(done.count) objects processed")
    } else {
      print("watching \(source) every \(interval) s (ledger \(statePath))")
      try await watcher.run(interval: interval) { print($0) }
    }
  }
}
