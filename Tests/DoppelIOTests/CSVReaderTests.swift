import DoppelCore
import Foundation
import Testing

@testable import DoppelIO

@Suite("CSVReader")
struct CSVReaderTests {
  @Test("reads the header and plain fields")
  func plainFields() throws {
    var reader = try CSVReader(data: bytes("a,b,c\n1,2,3\n4,5,6\n"), name: "plain.csv")
    #expect(reader.columnNames == ["a", "b", "c"])
    let chunk = try #require(try reader.nextChunk())
    #expect(chunk.columns == [["1", "4"], ["2", "5"], ["3", "6"]])
    #expect(chunk.firstLine == 2)
    #expect(try reader.nextChunk() == nil)
    #expect(try reader.nextChunk() == nil)
  }

  @Test("quoted fields keep delimiters, doubled quotes and line breaks")
  func quotedFields() throws {
    let text =
      "name,note\n\"Smith, John\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"\"\n\"\"\"\",plain\n"
    let rows = try readRows(bytes(text))
    #expect(rows == [["Smith, John", "say \"hi\""], ["two\nlines", ""], ["\"", "plain"]])
  }

  @Test("a quote inside an unquoted field and text after a closing quote are kept")
  func lenientQuotes() throws {
    let rows = try readRows(bytes("a,b\nab\"c,\"x\"yz\n"))
    #expect(rows == [["ab\"c", "xyz"]])
  }

  @Test("empty fields, quoted or not, are empty strings")
  func emptyFields() throws {
    let rows = try readRows(bytes("a,b,c\n,\"\",\n\"\",,x\n"))
    #expect(rows == [["", "", ""], ["", "", "x"]])
  }

  @Test("CRLF line endings are read like LF, and a CR inside a quoted field is kept")
  func crlf() throws {
    let rows = try readRows(bytes("a,b\r\n1,2\r\n\"x\r\ny\",3\r\n"))
    #expect(rows == [["1", "2"], ["x\r\ny", "3"]])
  }

  @Test("a CR that is not before an LF is an ordinary character")
  func loneCarriageReturn() throws {
    let rows = try readRows(bytes("a,b\n1\r2,3\n"))
    #expect(rows == [["1\r2", "3"]])
  }

  @Test("the last line may lack a line break, with LF, CRLF or a trailing CR file")
  func finalLineWithoutBreak() throws {
    #expect(try readRows(bytes("a,b\n1,2")) == [["1", "2"]])
    #expect(try readRows(bytes("a,b\r\n1,2\r\n3,\"4\"")) == [["1", "2"], ["3", "4"]])
    #expect(try readRows(bytes("a,b\n1,2\r")) == [["1", "2"]])
    #expect(try readRows(bytes("a,b\n1,")) == [["1", ""]])
  }

  @Test("blank lines are skipped but counted in line numbers")
  func blankLines() throws {
    let chunks = try readChunks(
      bytes("\na,b\n\n1,2\r\n\r\n\n3,4\n\n"), options: CSVOptions(rowsPerChunk: 1))
    #expect(chunks.map(\.columns) == [[["1"], ["2"]], [["3"], ["4"]]])
    #expect(chunks.map(\.firstLine) == [4, 7])
  }

  @Test("a UTF-8 byte order mark at the start is skipped")
  func byteOrderMark() throws {
    var reader = try CSVReader(data: [0xEF, 0xBB, 0xBF] + bytes("id,name\n1,Zoë\n"))
    #expect(reader.columnNames == ["id", "name"])
    let chunk = try #require(try reader.nextChunk())
    #expect(chunk.columns == [["1"], ["Zoë"]])
  }

  @Test("a file of only a byte order mark is empty")
  func onlyByteOrderMark() {
    let error = doppelError { _ = try CSVReader(data: [0xEF, 0xBB, 0xBF]) }
    #expect(error?.code == .emptyInput)
  }

  @Test("semicolon, tab and pipe delimiters", arguments: [CSVDelimiter.semicolon, .tab, .pipe])
  func otherDelimiters(delimiter: CSVDelimiter) throws {
    let d = String(UnicodeScalar(delimiter.rawValue))
    let text = "x\(d)y\n1,5\(d)\"a\(d)b\"\n2\(d)c\n"
    let rows = try readRows(bytes(text), options: CSVOptions(delimiter: delimiter))
    #expect(rows == [["1,5", "a\(d)b"], ["2", "c"]])
  }

  @Test("a comma is ordinary text when the delimiter is a semicolon")
  func commaInSemicolonFile() throws {
    let rows = try readRows(bytes("a;b\n1,5;2,5\n"), options: CSVOptions(delimiter: .semicolon))
    #expect(rows == [["1,5", "2,5"]])
  }

  @Test("chunks hold at most rowsPerChunk rows and record their first physical line")
  func chunking() throws {
    let text = "a,b\n1,\"x\ny\"\n2,z\n3,w\n4,\"p\n\nq\"\n5,v\n"
    let chunks = try readChunks(bytes(text), options: CSVOptions(rowsPerChunk: 2))
    #expect(chunks.map(\.rowCount) == [2, 2, 1])
    #expect(chunks.map(\.firstLine) == [2, 5, 9])
    #expect(chunks.flatMap(\.columns[0]) == ["1", "2", "3", "4", "5"])
    #expect(chunks[1].columns[1] == ["w", "p\n\nq"])
  }

  @Test("records crossing block edges read the same for every block size", arguments: [1, 2, 3, 7])
  func tinyBlocks(blockSize: Int) throws {
    let text =
      "\u{FEFF}id,text,n\r\n1,\"a,b\",3\r\n2,\"quoted \"\"x\"\"\nacross\r\nlines\",4\r\n"
      + "3,plain,\r\n\r\n4,\"\",5\r\n5,é€𝄞,6"
    let expected = try readRows(bytes(text))
    #expect(expected.count == 5)
    #expect(expected[1] == ["2", "quoted \"x\"\nacross\r\nlines", "4"])
    let options = CSVOptions(rowsPerChunk: 2, blockSize: blockSize)
    #expect(try readRows(bytes(text), options: options) == expected)
  }

  @Test("a quoted line break exactly at a block edge")
  func quotedNewlineAtBlockEdge() throws {
    // "a\n" is 2 bytes and the quoted field opens at byte 2, so with 4-byte blocks the line
    // feed inside the quotes (byte 4 of "\"x\ny\"") is the first byte of the second block.
    let text = "a\n\"x\ny\"\n\"\"\"\"\n"
    for blockSize in 1...8 {
      let rows = try readRows(bytes(text), options: CSVOptions(blockSize: blockSize))
      #expect(rows == [["x\ny"], ["\""]], "block size \(blockSize)")
    }
  }

  @Test("readAll joins every chunk")
  func readAllJoinsChunks() throws {
    let text = "a\n" + (1...10).map { "\($0)\n" }.joined()
    let table = try CSVReader.readAll(
      data: bytes(text), options: CSVOptions(rowsPerChunk: 3, blockSize: 5))
    #expect(table.columns == [(1...10).map(String.init)])
    #expect(table.firstLine == 2)
  }

  @Test("a single-column file keeps a quoted empty value")
  func singleColumnEmptyValue() throws {
    #expect(try readRows(bytes("a\n1\n\"\"\n2\n")) == [["1"], [""], ["2"]])
  }

  @Test("reads a file from disk and reports the bytes read")
  func readsFile() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/data.csv"
    let content = bytes("x,y\n1,2\n3,4\n")
    try Data(content).write(to: URL(fileURLWithPath: path))
    var reader = try CSVReader(path: path, options: CSVOptions(blockSize: 4))
    #expect(reader.name == path)
    let compressedInput = reader.isCompressed
    #expect(!compressedInput)
    var rows = 0
    while let chunk = try reader.nextChunk() { rows += chunk.rowCount }
    #expect(rows == 2)
    #expect(reader.bytesRead == content.count)
  }

  @Test("reads the pbc fixture: 418 rows of 20 columns with missing values")
  func pbcFixture() throws {
    let table = try CSVReader.readAll(path: try fixturePath("pbc.csv"))
    #expect(table.columnNames.count == 20)
    #expect(table.columnNames.first == "id")
    #expect(table.rowCount == 418)
    let trt = try #require(table.columnNames.firstIndex(of: "trt"))
    // README of shared/data: trt is missing for the 106 patients outside the trial.
    #expect(table.columns[trt].filter(\.isEmpty).count == 106)
    #expect(table.columns[0].last == "418")
  }
}
