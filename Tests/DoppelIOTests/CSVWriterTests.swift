import DoppelCore
import Foundation
import Testing

@testable import DoppelIO

@Suite("CSVWriter")
struct CSVWriterTests {
  /// Reads `path` chunk by chunk and writes every chunk to `output`.
  func copy(_ path: String, to output: String, options: CSVOptions = CSVOptions()) throws {
    var reader = try CSVReader(path: path, options: options)
    var writer = try CSVWriter(path: output, columnNames: reader.columnNames, options: options)
    while let chunk = try reader.nextChunk() { try writer.write(chunk) }
    try writer.finish()
  }

  @Test("fields are quoted only when they hold the delimiter, a quote, CR or LF")
  func minimalQuoting() throws {
    let table = TextTable(
      columnNames: ["a", "b", "c"],
      columns: [["plain", "a,b", ""], ["say \"hi\"", "x\ny", "r\rs"], ["é", "  spaced ", ";"]])
    let text = String(decoding: CSVWriter.encode(table), as: UTF8.self)
    #expect(text == "a,b,c\nplain,\"say \"\"hi\"\"\",é\n\"a,b\",\"x\ny\",  spaced \n,\"r\rs\",;\n")
  }

  @Test("the chosen delimiter decides what is quoted")
  func delimiterDecidesQuoting() throws {
    let table = TextTable(columnNames: ["x", "y"], columns: [["1,5"], ["a;b"]])
    let semicolon = CSVWriter.encode(table, options: CSVOptions(delimiter: .semicolon))
    #expect(String(decoding: semicolon, as: UTF8.self) == "x;y\n1,5;\"a;b\"\n")
    let tab = CSVWriter.encode(
      TextTable(columnNames: ["x", "y"], columns: [["a\tb"], ["c"]]),
      options: CSVOptions(delimiter: .tab))
    #expect(String(decoding: tab, as: UTF8.self) == "x\ty\n\"a\tb\"\tc\n")
  }

  @Test("an empty value in a one-column table is quoted so it is not a blank line")
  func singleColumnEmptyValue() throws {
    let table = TextTable(columnNames: ["a"], columns: [["1", "", "2"]])
    let encoded = CSVWriter.encode(table)
    #expect(String(decoding: encoded, as: UTF8.self) == "a\n1\n\"\"\n2\n")
    #expect(try CSVReader.readAll(data: encoded) == table)
  }

  @Test("a first column name starting with a byte order mark survives a round trip")
  func headerWithByteOrderMark() throws {
    let table = TextTable(columnNames: ["\u{FEFF}id", "b"], columns: [["1"], ["2"]])
    let encoded = CSVWriter.encode(table)
    #expect(try CSVReader.readAll(data: encoded).columnNames == table.columnNames)
  }

  @Test("read then write gives the same bytes for the pbc fixture", arguments: [2, 4096, 1 << 22])
  func pbcRoundTrip(blockSize: Int) throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let source = try fixturePath("pbc.csv")
    let output = directory + "/pbc-copy.csv"
    try copy(source, to: output, options: CSVOptions(rowsPerChunk: 100, blockSize: blockSize))
    let original = try Data(contentsOf: URL(fileURLWithPath: source))
    let written = try Data(contentsOf: URL(fileURLWithPath: output))
    #expect(written == original)
  }

  @Test("read, write, read gives the same fields for irregular input")
  func irregularRoundTrip() throws {
    let inputs = [
      "\u{FEFF}a;b\r\n\"x\"\"y\";\"p\r\nq\"\r\n\r\n\"\"\"\";z\r\n\"ab\"cd;e\"f\n",
      "a\n\"\"\n1\n\n2\r\n",
      "a\tb\n1\t\"2\t3\"\n4\t5",
    ]
    let delimiters: [CSVDelimiter] = [.semicolon, .comma, .tab]
    for (input, delimiter) in zip(inputs, delimiters) {
      let options = CSVOptions(delimiter: delimiter)
      let first = try CSVReader.readAll(data: bytes(input), options: options)
      let second = try CSVReader.readAll(
        data: CSVWriter.encode(first, options: options), options: options)
      #expect(second.columnNames == first.columnNames)
      #expect(second.columns == first.columns)
    }
  }

  @Test("rows written one by one equal the chunk encoding")
  func writeRows() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/rows.csv"
    var writer = try CSVWriter(path: path, columnNames: ["k", "v"])
    try writer.writeRow(["1", "a,b"])
    try writer.writeRow(["2", ""])
    #expect(writer.path == path)
    try writer.finish()
    let written = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(String(decoding: written, as: UTF8.self) == "k,v\n1,\"a,b\"\n2,\n")
  }

  @Test("a large output is written through several buffer flushes")
  func largeOutput() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/large.csv"
    let rows = 40_000
    let table = TextTable(
      columnNames: ["n", "text"],
      columns: [(0..<rows).map(String.init), (0..<rows).map { "value \($0), quoted" }])
    var writer = try CSVWriter(path: path, columnNames: table.columnNames)
    try writer.write(table)
    try writer.finish()
    let read = try CSVReader.readAll(path: path, options: CSVOptions(rowsPerChunk: 999))
    #expect(read.columns == table.columns)
  }

  @Test("a row or chunk of the wrong shape is schemaMismatch")
  func wrongShape() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var writer = try CSVWriter(path: directory + "/x.csv", columnNames: ["a", "b"])
    #expect(doppelError { try writer.writeRow(["1"]) }?.code == .schemaMismatch)
    let other = TextTable(columnNames: ["a", "c"], columns: [["1"], ["2"]])
    #expect(doppelError { try writer.write(other) }?.code == .schemaMismatch)
    writer.discard()
  }

  @Test("bad header names are rejected before any file is created")
  func badHeader() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/x.csv"
    let empty = doppelError { _ = try CSVWriter(path: path, columnNames: ["a", ""]) }
    #expect(empty?.code == .emptyColumnName)
    let duplicate = doppelError { _ = try CSVWriter(path: path, columnNames: ["a", "a"]) }
    #expect(duplicate?.code == .duplicateColumnName)
    #expect(duplicate?.context.column == "a")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }

  @Test("a discarded writer leaves no file, and an existing file untouched")
  func discardLeavesNothing() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let fresh = directory + "/fresh.csv"
    var writer = try CSVWriter(path: fresh, columnNames: ["a"])
    try writer.writeRow(["1"])
    writer.discard()
    #expect(!FileManager.default.fileExists(atPath: fresh))

    let existing = directory + "/existing.csv"
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: existing))
    var replacing = try CSVWriter(path: existing, columnNames: ["a"])
    try replacing.writeRow(["new"])
    replacing.discard()
    #expect(try String(contentsOfFile: existing, encoding: .utf8) == "old\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["existing.csv"])
  }

  @Test("a writer abandoned by a thrown error leaves no file")
  func abandonedByError() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/out.csv"
    let error = doppelError {
      var writer = try CSVWriter(path: path, columnNames: ["a", "b"])
      try writer.writeRow(["1", "2"])
      try writer.writeRow(["only one"])
      try writer.finish()
    }
    #expect(error?.code == .schemaMismatch)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
  }

  @Test("an unwritable output path is an io error naming the path")
  func unwritablePath() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    // A regular file where a directory should be: unwritable even for root.
    let blocker = directory + "/not-a-directory"
    try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
    for path in [blocker + "/out.csv", directory + "/missing/out.csv"] {
      let error = try #require(doppelError { _ = try CSVWriter(path: path, columnNames: ["a"]) })
      #expect(error.code == .io)
      #expect(error.context.file == path)
      #expect(error.description.contains(path))
    }
  }
}
