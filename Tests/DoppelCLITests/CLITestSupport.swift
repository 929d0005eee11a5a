import ArgumentParser
import Doppel
import Foundation
import Testing

@testable import DoppelCLI

/// A fresh temporary folder for one test.
struct Scratch {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("doppel-cli-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { path + "/" + name }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    try write(name, bytes: Array(text.utf8))
  }

  @discardableResult
  func write(_ name: String, bytes: [UInt8]) throws -> String {
    let target = file(name)
    try Data(bytes).write(to: URL(fileURLWithPath: target))
    return target
  }

  func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

  /// Every file in the folder, for checking that no temporary or partial file is left behind.
  func listing() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
  }
}

/// Parses and runs a `doppel` command line in-process.
func doppel(_ arguments: [String]) async throws {
  let command = try DoppelCommand.parseAsRoot(arguments)
  if var asyncCommand = command as? any AsyncParsableCommand {
    try await asyncCommand.run()
  } else {
    var syncCommand = command
    try syncCommand.run()
  }
}

/// The path of a file in the repository's Examples/data folder.
func exampleData(_ name: String) -> String {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Examples/data/\(name)").path
}

/// Runs a command that must fail with a DoppelError of `code`; returns the error.
@discardableResult
func expectDoppelError(
  _ code: DoppelError.Code, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
) async -> DoppelError? {
  do {
    try await doppel(arguments)
    Issue.record("expected \(code) but the command succeeded", sourceLocation: sourceLocation)
  } catch let error as DoppelError {
    #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    return error
  } catch {
    Issue.record("expected DoppelError \(code), got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}
