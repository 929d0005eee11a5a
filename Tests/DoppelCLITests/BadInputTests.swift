import ArgumentParser
import Doppel
import Foundation
import Testing

@testable import DoppelCLI

@Suite("Bad input gets a clear error and leaves no output")
struct BadInputTests {
  @Test("an empty file is refused")
  func emptyFile() async throws {
    let scratch = try Scratch()
    let input = try scratch.write("empty.csv", "")
    await expectDoppelError(.emptyInput, ["fit", input, "-o", scratch.file("model.json"), "-q"])
    #expect(!scratch.exists("model.json"))
  }

  @Test("a header without rows is refused")
  func headerOnly() async throws {
    let scratch = try Scratch()
    let input = try scratch.write("header.csv", "a,b,c\n")
    await expectDoppelError(.noRows, ["fit", input, "-o", scratch.file("model.json"), "-q"])
    #expect(!scratch.exists("model.json"))
  }

  @Test("a ragged row is refused with its line number")
  func raggedRow() async throws {
    let scratch = try Scratch()
    let input = try scratch.write("ragged.csv", "a,b\n1,2\n3,4\n5,6,7\n8,9\n")
    let error = await expectDoppelError(
      .raggedRow, ["fit", input, "-o", scratch.file("m.json"), "-q"])
    #expect(error?.context.line == 4)
    #expect(error?.context.file == input)
    #expect(!scratch.exists("m.json"))
  }

  @Test("an unterminated quote is refused with the line where it opened")
  func unterminatedQuote() async throws {
    let scratch = try Scratch()
    let input = try scratch.write("quote.csv", "a,b\n1,2\n3,\"open\n4,5\n")
    let error = await expectDoppelError(
      .unterminatedQuote, ["fit", input, "-o", scratch.file("m.json"), "-q"])
    #expect(error?.context.line == 3)
  }

  @Test("invalid UTF-8 is refused with line and byte offset, without the bytes")
  func invalidUTF8() async throws {
    let scratch = try Scratch()
    // "a,b\n1,x" then 0xFF at byte offset 7 on line 2.
    let input = try scratch.write(
      "bad.csv", bytes: Array("a,b\n1,x".utf8) + [0xFF] + Array("\n2,y\n".utf8))
    let error = await expectDoppelError(
      .invalidUTF8, ["inspect", input, "-o", scratch.file("m.json"), "-q"])
    #expect(error?.context.line == 2)
    #expect(error?.context.byteOffset == 7)
    #expect(!scratch.exists("m.json"))
  }

  @Test("duplicate and empty column names are refused")
  func badNames() async throws {
    let scratch = try Scratch()
    let duplicate = try scratch.write("dup.csv", "a,b,a\n1,2,3\n")
    let error = await expectDoppelError(
      .duplicateColumnName, ["inspect", duplicate, "-o", scratch.file("m.json"), "-q"])
    #expect(error?.context.column == "a")
    let empty = try scratch.write("empty-name.csv", "a,,c\n1,2,3\n")
    await expectDoppelError(
      .emptyColumnName, ["inspect", empty, "-o", scratch.file("m.json"), "-q"])
  }

  @Test("metadata naming unknown columns lists every unknown name")
  func unknownColumnInMetadata() async throws {
    let scratch = try Scratch()
    let input = try scratch.write("t.csv", "a,b\n1,x\n2,y\n3,x\n")
    let metadata = try scratch.write(
      "meta.json",
      #"{"columns": {"nope": {"sdtype": "numerical"}, "zilch": {"sdtype": "categorical"}}}"#)
    let error = await expectDoppelError(
      .unknownColumn, ["fit", input, "--metadata", metadata, "-o", scratch.file("m.json"), "-q"])
    #expect(error?.message.contains("nope") == true)
    #expect(error?.message.contains("zilch") == true)
  }

  @Test("a negative row count is rejected before anything runs")
  func negativeRows() throws {
    #expect(throws: (any Error).self) {
      _ = try DoppelCommand.parseAsRoot(["sample", "model.json", "--rows", "-1"])
    }
    #expect(throws: (any Error).self) {
      _ = try DoppelCommand.parseAsRoot(["sample", "model.json", "--shard", "4/4"])
    }
    #expect(throws: (any Error).self) {
      _ = try DoppelCommand.parseAsRoot(["fit", "data.csv", "--synthesizer", "nonsense"])
    }
  }

  @Test("an unwritable output path is refused and nothing is written")
  func unwritableOutput() async throws {
    let scratch = try Scratch()
    let input = try scratch.write("t.csv", "a,b\n1,x\n2,y\n3,x\n4,y\n")
    await expectDoppelError(
      .io, ["fit", input, "-o", scratch.file("no/such/dir/model.json"), "-q"])
    #expect(try scratch.listing() == ["t.csv"])
  }

  @Test("corrupt, truncated, foreign and newer model files are refused")
  func corruptModels() async throws {
    let scratch = try Scratch()
    let input = try scratch.write("t.csv", "a,b\n1,x\n2,y\n3,x\n4,y\n5,x\n")
    try await doppel(["fit", input, "-o", scratch.file("model.json"), "-q"])
    let good = try Data(contentsOf: URL(fileURLWithPath: scratch.file("model.json")))
    let truncated = try scratch.write("truncated.json", bytes: Array(good.prefix(good.count / 2)))
    await expectDoppelError(
      .corruptModel, ["sample", truncated, "-o", scratch.file("out.csv"), "-q"])
    let foreign = try scratch.write("foreign.json", #"{"hello": "world"}"#)
    await expectDoppelError(
      .corruptModel, ["sample", foreign, "-o", scratch.file("out.csv"), "-q"])
    var text = String(decoding: good, as: UTF8.self)
    text = text.replacingOccurrences(of: #""formatVersion":1"#, with: #""formatVersion":99"#)
    let newer = try scratch.write("newer.json", text)
    await expectDoppelError(
      .unsupportedVersion, ["sample", newer, "-o", scratch.file("out.csv"), "-q"])
    let damaged = String(decoding: good, as: UTF8.self).replacingOccurrences(
      of: #""trainingRowCount":5"#, with: #""trainingRowCount":"five""#)
    let wrongType = try scratch.write("damaged.json", damaged)
    await expectDoppelError(
      .corruptModel, ["sample", wrongType, "-o", scratch.file("out.csv"), "-q"])
    #expect(!scratch.exists("out.csv"))
  }
}
