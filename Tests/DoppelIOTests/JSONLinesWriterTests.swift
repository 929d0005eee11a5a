import DoppelCore
import Foundation
import Testing

@testable import DoppelIO

@Suite("JSONLinesWriter")
struct JSONLinesWriterTests {
  @Test("rows become objects with keys in column order, typed by style")
  func writesObjects() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/rows.jsonl"
    var writer = try JSONLinesWriter(
      path: path, columnNames: ["age", "name", "smoker", "z\"key"],
      styles: [.number, .string, .boolean(trueText: "yes"), .string])
    try writer.writeRow(["42", "Ada \"A\" \\ L\n\t\u{1}é", "yes", ""])
    try writer.write(
      TextTable(
        columnNames: ["age", "name", "smoker", "z\"key"],
        columns: [["", "-1.5e3"], ["", "Bo"], ["no", ""], ["x", "y"]]))
    try writer.finish()
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let expected = [
      #"{"age":42,"name":"Ada \"A\" \\ L\n\t\u0001é","smoker":true,"z\"key":null}"#,
      #"{"age":null,"name":null,"smoker":false,"z\"key":"x"}"#,
      #"{"age":-1.5e3,"name":"Bo","smoker":null,"z\"key":"y"}"#,
    ]
    #expect(text == expected.joined(separator: "\n") + "\n")
    // Every line is valid JSON that decodes to the same values.
    for line in text.split(separator: "\n") {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
      #expect(object is [String: Any])
    }
  }

  @Test(
    "numbers in JSON syntax are kept, other finite numbers are normalised",
    arguments: [
      ("0", "0"), ("-0.25", "-0.25"), ("1E+9", "1E+9"), ("+1", "1.0"), (".5", "0.5"),
      ("007", "7.0"), ("5.", "5.0"),
    ])
  func numbers(field: String, written: String) throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/n.jsonl"
    var writer = try JSONLinesWriter(path: path, columnNames: ["n"], styles: [.number])
    try writer.writeRow([field])
    try writer.finish()
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"n\":\(written)}\n")
  }

  @Test("a field that is not a number is invalidValue naming the column and row, and no file")
  func notANumber() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/bad.jsonl"
    let error = try #require(
      doppelError {
        var writer = try JSONLinesWriter(path: path, columnNames: ["n"], styles: [.number])
        try writer.writeRow(["1"])
        try writer.writeRow(["SECRET"])
        try writer.finish()
      })
    #expect(error.code == .invalidValue)
    #expect(error.context.column == "n")
    #expect(error.context.line == 2)
    #expect(!error.description.contains("SECRET"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    for text in ["nan", "inf", "1,5", "--1", "0x10"] {
      #expect(!JSONLinesWriter.isJSONNumber(text))
    }
  }

  @Test("styles must match the columns")
  func styleCount() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let error = doppelError {
      _ = try JSONLinesWriter(
        path: directory + "/x.jsonl", columnNames: ["a", "b"], styles: [.string])
    }
    #expect(error?.code == .invalidArgument)
  }

  @Test("a discarded writer leaves no file")
  func discard() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var writer = try JSONLinesWriter(
      path: directory + "/x.jsonl", columnNames: ["a"], styles: [.string])
    try writer.writeRow(["1"])
    writer.discard()
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }
}
