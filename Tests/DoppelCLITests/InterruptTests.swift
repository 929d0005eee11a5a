import Doppel
import Foundation
import Testing

@testable import DoppelCLI

/// Ctrl-C during `doppel fit --checkpoint`: the built binary is interrupted once its first
/// checkpoint exists, so the outcome does not depend on timing (only how many epochs are saved
/// does, and the test reads that number from the file).
@Suite("Ctrl-C during training")
struct InterruptTests {
  @Test("SIGINT ends fit cleanly, keeps the last epoch's checkpoint, and --resume continues it")
  func interruptKeepsCheckpoint() async throws {
    let binary = BinaryTests.binary
    try #require(
      FileManager.default.isExecutableFile(atPath: binary.path), "build the doppel product first")
    let scratch = try Scratch()
    let common = [
      "fit", exampleData("jasa.csv"), "--synthesizer", "tvae", "--batch-size", "50",
      "--option", "hiddenWidth=16", "--option", "threads=1", "--seed", "3", "--quiet",
    ]
    let process = Process()
    process.executableURL = binary
    process.arguments =
      common + [
        "--epochs", "1000000", "--checkpoint", scratch.file("state.json"), "-o",
        scratch.file("never.json"),
      ]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = Pipe()
    try process.run()
    // Wait for the first checkpoint (written atomically, so it is whole once it exists). The
    // limit only keeps a broken build from hanging the suite; nothing is measured.
    let limit = Date().addingTimeInterval(300)
    while !scratch.exists("state.json") && process.isRunning && Date() < limit {
      try await Task.sleep(for: .milliseconds(20))
    }
    try #require(scratch.exists("state.json"), "no checkpoint appeared")
    process.interrupt()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit, "killed by the signal instead of exiting")
    #expect(process.terminationStatus != 0)
    #expect(stderr.contains("interrupted"), "\(stderr)")
    #expect(stderr.contains("--resume"), "\(stderr)")
    #expect(!scratch.exists("never.json"))
    // The checkpoint is whole; resuming to one more epoch equals a straight run of that many.
    let saved = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: scratch.file("state.json"))))
    let done = try #require((saved as? [String: Any])?["epochsDone"] as? Int)
    #expect(done >= 1)
    try await doppel(
      common + [
        "--epochs", "\(done + 1)", "--checkpoint", scratch.file("state.json"), "--resume", "-o",
        scratch.file("resumed.json"),
      ])
    try await doppel(common + ["--epochs", "\(done + 1)", "-o", scratch.file("straight.json")])
    let resumed = try Data(contentsOf: URL(fileURLWithPath: scratch.file("resumed.json")))
    let straight = try Data(contentsOf: URL(fileURLWithPath: scratch.file("straight.json")))
    #expect(resumed == straight)
  }
}
