import DoppelCore
import Foundation
import Testing

@testable import DoppelIO

@Suite("AtomicFileWriter")
struct AtomicFileWriterTests {
  @Test("the file appears only when finished, and the temporary file is gone")
  func appearsOnFinish() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/model.json"
    var writer = try AtomicFileWriter(path: path, bufferSize: 4)
    try writer.write("{\"a\":")
    try writer.write(bytes("1}"))
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(FileManager.default.fileExists(atPath: writer.temporaryPath))
    let temporary = writer.temporaryPath
    try writer.finish()
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"a\":1}")
    #expect(!FileManager.default.fileExists(atPath: temporary))
  }

  @Test("the temporary file is in the destination's directory")
  func temporaryBesideDestination() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let writer = try AtomicFileWriter(path: directory + "/out.csv")
    #expect(writer.temporaryPath.hasPrefix(directory + "/."))
    writer.discard()
  }

  @Test("a writer dropped without finishing removes its temporary file")
  func droppedWriter() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    do {
      var writer = try AtomicFileWriter(path: directory + "/out.bin")
      try writer.write(bytes("partial"))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }

  @Test("write(_:to:) replaces an existing file whole")
  func replacesExisting() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/state.json"
    try AtomicFileWriter.write(bytes("first version, longer"), to: path)
    try AtomicFileWriter.write(Data("second".utf8), to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["state.json"])
  }

  @Test("a relative path in the working directory works")
  func relativePath() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let manager = FileManager.default
    let previous = manager.currentDirectoryPath
    #expect(manager.changeCurrentDirectoryPath(directory))
    defer { _ = manager.changeCurrentDirectoryPath(previous) }
    try AtomicFileWriter.write(bytes("x"), to: "relative.txt")
    #expect(manager.fileExists(atPath: directory + "/relative.txt"))
  }

  @Test("renaming onto a directory fails with an io error and removes the temporary file")
  func renameFailure() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let target = directory + "/occupied"
    try FileManager.default.createDirectory(
      atPath: target + "/child", withIntermediateDirectories: true)
    let error = try #require(doppelError { try AtomicFileWriter.write(bytes("x"), to: target) })
    #expect(error.code == .io)
    #expect(error.context.file == target)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["occupied"])
  }

  @Test("an unwritable directory is an io error naming the path")
  func unwritableDirectory() throws {
    let path = "/proc/doppel-\(UUID().uuidString).json"
    let error = try #require(doppelError { try AtomicFileWriter.write(bytes("x"), to: path) })
    #expect(error.code == .io)
    #expect(error.context.file == path)
  }
}
