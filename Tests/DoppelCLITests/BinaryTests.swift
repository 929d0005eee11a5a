import Foundation
import Testing

/// The one test that starts the built `doppel` binary, as a user would.
@Suite("The doppel binary")
struct BinaryTests {
  /// The built binary sits next to the test bundle.
  static var binary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("doppel")
  }

  @Test("doppel run on the bundled arthritis table succeeds and prints the fidelity table")
  func runEndToEnd() throws {
    let binary = BinaryTests.binary
    try #require(
      FileManager.default.isExecutableFile(atPath: binary.path), "build the doppel product first")
    let scratch = try Scratch()
    let process = Process()
    process.executableURL = binary
    process.arguments = [
      "run", exampleData("arthritis.csv"), "--out", scratch.file("out"), "--seed", "1",
    ]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    _ = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(stdout.contains("average shape score"))
    #expect(stdout.contains("Improved"))
    #expect(FileManager.default.fileExists(atPath: scratch.file("out/synthetic.csv")))
  }

  @Test("a bad input file makes the binary exit non-zero with a located message")
  func badInputExitCode() throws {
    let binary = BinaryTests.binary
    try #require(
      FileManager.default.isExecutableFile(atPath: binary.path), "build the doppel product first")
    let scratch = try Scratch()
    let input = try scratch.write("ragged.csv", "a,b\n1,2\n3\n")
    let process = Process()
    process.executableURL = binary
    process.arguments = ["fit", input, "-o", scratch.file("m.json"), "-q"]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = Pipe()
    try process.run()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus != 0)
    #expect(stderr.contains("line 3"), "\(stderr)")
    #expect(!stderr.contains("Fatal"))
  }
}
