import Doppel
import DoppelPipeline
import DoppelStores
import DoppelTesting
import Foundation
import Testing

private func exampleData(_ name: String) -> String {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Examples/data/\(name)").path
}

@Suite("Watching folders and S3 prefixes")
struct WatcherTests {
  @Test("each new file of a folder is processed once, also after a restart")
  func folderOnce() async throws {
    let scratch = try Scratch()
    let inbox = scratch.file("inbox")
    try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: exampleData("arthritis.csv"), toPath: inbox + "/arthritis.csv")
    func watcher() throws -> ObjectWatcher {
      ObjectWatcher(
        source: .folder(path: inbox, output: scratch.file("out")),
        ledger: try ProcessedLedger(path: scratch.file("ledger.sqlite")), client: nil,
        workFolder: scratch.path)
    }
    #expect(try await watcher().poll().count == 1)
    let synthetic = try CSVReader.readAll(path: scratch.file("out/arthritis/synthetic.csv"))
    #expect(synthetic.columnNames == ["ID", "Treatment", "Sex", "Age", "Improved"])
    #expect(FileManager.default.fileExists(atPath: scratch.file("out/arthritis/report.html")))
    // A new watcher on the same ledger (a restart) finds nothing new.
    #expect(try await watcher().poll().isEmpty)
    // A new file is picked up; a bad file is recorded as failed and not retried.
    try FileManager.default.copyItem(atPath: exampleData("pbc.csv"), toPath: inbox + "/pbc.csv")
    try Data("a,b\n1\n".utf8).write(to: URL(fileURLWithPath: inbox + "/bad.csv"))
    #expect(try await watcher().poll().count == 2)
    #expect(try await watcher().poll().isEmpty)
    let entries = try ProcessedLedger(path: scratch.file("ledger.sqlite")).entries()
    #expect(entries.map(\.state).sorted() == ["done", "done", "failed"])
  }

  @Test("a claim a killed run left is processed again on the next start")
  func unfinishedClaims() async throws {
    let scratch = try Scratch()
    let inbox = scratch.file("inbox")
    try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: exampleData("arthritis.csv"), toPath: inbox + "/arthritis.csv")
    let watcher = ObjectWatcher(
      source: .folder(path: inbox, output: scratch.file("out")),
      ledger: try ProcessedLedger(path: scratch.file("ledger.sqlite")), client: nil,
      workFolder: scratch.path)
    // Claim the file as a run that died before finishing would have.
    let attributes = try FileManager.default.attributesOfItem(atPath: inbox + "/arthritis.csv")
    let size = try #require(attributes[.size] as? Int)
    let modified = try #require(attributes[.modificationDate] as? Date)
    let id = "file://\(inbox)/arthritis.csv#\(size)-\(Int64(modified.timeIntervalSince1970 * 1000))"
    #expect(try watcher.ledger.claim(id))
    #expect(try await watcher.poll() == [id])
    #expect(try watcher.ledger.unfinished().isEmpty)
  }

  @Test("new objects under an S3 prefix are processed once and written back")
  func s3Once() async throws {
    guard let endpoint = try TestServices.s3Endpoint() else { return }
    let client = S3Client(
      endpoint: endpoint, region: "us-east-1",
      credentials: S3Credentials(accessKeyID: "testing", secretAccessKey: "testing"))
    let bucket = "doppel-watch-\(UInt32.random(in: 0...UInt32.max))"
    try await client.createBucket(bucket)
    let csv = try Data(contentsOf: URL(fileURLWithPath: exampleData("arthritis.csv")))
    try await client.putObject(bucket: bucket, key: "in/arthritis.csv", bytes: [UInt8](csv))
    try await client.putObject(bucket: bucket, key: "in/notes.txt", bytes: Array("x".utf8))
    let scratch = try Scratch()
    func watcher() throws -> ObjectWatcher {
      ObjectWatcher(
        source: .s3(bucket: bucket, prefix: "in/", outputPrefix: "in/synthetic/"),
        ledger: try ProcessedLedger(path: scratch.file("ledger.sqlite")), client: client,
        workFolder: scratch.path)
    }
    #expect(try await watcher().poll().count == 1)
    // Outputs under the watched prefix do not trigger runs of their own.
    #expect(try await watcher().poll().isEmpty)
    let keys = try await client.listObjects(bucket: bucket, prefix: "in/synthetic/").map(\.key)
    #expect(keys.contains("in/synthetic/arthritis/synthetic.csv"))
    #expect(keys.contains("in/synthetic/arthritis/report.html"))
  }
}
