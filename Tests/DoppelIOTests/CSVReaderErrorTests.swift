import DoppelCore
import Foundation
import Testing

@testable import DoppelIO

@Suite("CSVReader errors")
struct CSVReaderErrorTests {
  /// Reads every chunk of `text`, returning the error thrown.
  func readError(_ data: [UInt8], options: CSVOptions = CSVOptions()) -> DoppelError? {
    doppelError { _ = try readRows(data, options: options) }
  }

  @Test("an empty file is emptyInput")
  func emptyFile() throws {
    let error = try #require(doppelError { _ = try CSVReader(data: [], name: "empty.csv") })
    #expect(error.code == .emptyInput)
    #expect(error.context.file == "empty.csv")
  }

  @Test("a file of blank lines has no header and is emptyInput")
  func blankFile() {
    #expect(doppelError { _ = try CSVReader(data: bytes("\n\r\n\n")) }?.code == .emptyInput)
  }

  @Test("a header without rows is noRows from readAll and no chunk from nextChunk")
  func headerOnly() throws {
    let error = try #require(doppelError { _ = try CSVReader.readAll(data: bytes("a,b\n")) })
    #expect(error.code == .noRows)
    #expect(error.context.line == 2)
    var reader = try CSVReader(data: bytes("a,b\n\n"))
    #expect(try reader.nextChunk() == nil)
  }

  @Test("a ragged row names its physical line, byte offset and both field counts")
  func raggedRow() throws {
    let error = try #require(readError(bytes("a,b\n1,2\n3\n")))
    #expect(error.code == .raggedRow)
    #expect(error.context.line == 3)
    #expect(error.context.byteOffset == 8)
    #expect(error.message.contains("1 fields"))
    #expect(error.message.contains("header has 2"))
  }

  @Test("a ragged row after a quoted line break is on the right physical line")
  func raggedRowAfterQuotedBreak() throws {
    let text = "a,b\n\"x\ny\",2\n1,2,3\n"
    let error = try #require(readError(bytes(text), options: CSVOptions(blockSize: 3)))
    #expect(error.code == .raggedRow)
    #expect(error.context.line == 4)
    #expect(error.context.byteOffset == 12)
    #expect(error.message.contains("3 fields"))
  }

  @Test("a ragged row in a later chunk counts lines from the start of the file")
  func raggedRowInLaterChunk() throws {
    let text = "a,b\n" + (1...9).map { "\($0),x\n" }.joined() + "10\n"
    let error = try #require(readError(bytes(text), options: CSVOptions(rowsPerChunk: 4)))
    #expect(error.code == .raggedRow)
    #expect(error.context.line == 11)
  }

  @Test("after an error, later calls throw it again")
  func errorsAreSticky() throws {
    var reader = try CSVReader(data: bytes("a,b\n1,2\n3\n4,5\n"))
    let first = doppelError { _ = try reader.nextChunk() }
    let second = doppelError { _ = try reader.nextChunk() }
    #expect(first?.code == .raggedRow)
    #expect(second == first)
  }

  @Test("an unterminated quote names the line and offset where the field opens")
  func unterminatedQuote() throws {
    let error = try #require(readError(bytes("a,b\n1,2\n3,\"abc\n4,5\n")))
    #expect(error.code == .unterminatedQuote)
    #expect(error.context.line == 3)
    #expect(error.context.byteOffset == 10)
    #expect(error.context.column == "b")
  }

  @Test("an unterminated quote in the header")
  func unterminatedQuoteInHeader() throws {
    let error = try #require(doppelError { _ = try CSVReader(data: bytes("\n\na,\"b\n1,2\n")) })
    #expect(error.code == .unterminatedQuote)
    #expect(error.context.line == 3)
    #expect(error.context.byteOffset == 4)
  }

  @Test("invalid UTF-8 names the line, column and offset of the first bad byte")
  func invalidUTF8() throws {
    let data = bytes("a,b\n1,x") + [0xFF] + bytes("y\n")
    let error = try #require(readError(data))
    #expect(error.code == .invalidUTF8)
    #expect(error.context.line == 2)
    #expect(error.context.byteOffset == 7)
    #expect(error.context.column == "b")
  }

  @Test("invalid UTF-8 inside a multi-line quoted field is on its physical line")
  func invalidUTF8InQuotedField() throws {
    let data = bytes("a,b\n1,\"x\ny") + [0xC3, 0x28] + bytes("\"\n")
    for blockSize in [2, 5, 4096] {
      let error = try #require(readError(data, options: CSVOptions(blockSize: blockSize)))
      #expect(error.code == .invalidUTF8)
      #expect(error.context.line == 3)
      #expect(error.context.byteOffset == 10)
      #expect(error.context.column == "b")
    }
  }

  @Test(
    "ill-formed sequences are rejected",
    arguments: [
      [0xC0, 0x80],  // overlong NUL
      [0xED, 0xA0, 0x80],  // UTF-16 surrogate
      [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
      [0xE2, 0x82],  // truncated euro sign
      [0x80],  // lone continuation byte
    ] as [[UInt8]])
  func illFormedSequences(sequence: [UInt8]) throws {
    let error = try #require(readError(bytes("a\nok\n") + sequence + bytes("\n")))
    #expect(error.code == .invalidUTF8)
    #expect(error.context.line == 3)
    #expect(error.context.byteOffset == 5)
  }

  @Test("well-formed multi-byte characters are accepted")
  func wellFormedUTF8() throws {
    let rows = try readRows(bytes("a,b\n\u{7FF}\u{800},\u{FFFD}\u{10000}\u{10FFFF}\n"))
    #expect(rows == [["\u{7FF}\u{800}", "\u{FFFD}\u{10000}\u{10FFFF}"]])
  }

  @Test("invalid UTF-8 in the header")
  func invalidUTF8InHeader() throws {
    let error = try #require(
      doppelError { _ = try CSVReader(data: bytes("id,n") + [0xE9] + bytes("\n")) })
    #expect(error.code == .invalidUTF8)
    #expect(error.context.line == 1)
    #expect(error.context.byteOffset == 4)
  }

  @Test("a duplicate column name is named")
  func duplicateColumnName() throws {
    let error = try #require(doppelError { _ = try CSVReader(data: bytes("a,b,a\n1,2,3\n")) })
    #expect(error.code == .duplicateColumnName)
    #expect(error.context.column == "a")
    #expect(error.message.contains("columns 1 and 3"))
  }

  @Test("an empty column name is reported by its position", arguments: ["a,,c\n", "a,b,\"\"\n"])
  func emptyColumnName(header: String) throws {
    let error = try #require(doppelError { _ = try CSVReader(data: bytes(header)) })
    #expect(error.code == .emptyColumnName)
    #expect(error.context.line == 1)
    let position = header.hasPrefix("a,,") ? 2 : 3
    #expect(error.message.contains("column \(position) "))
  }

  @Test("a missing file is an io error naming the path")
  func missingFile() throws {
    let path = "/nonexistent-\(UUID().uuidString)/data.csv"
    let error = try #require(doppelError { _ = try CSVReader(path: path) })
    #expect(error.code == .io)
    #expect(error.context.file == path)
    #expect(error.description.contains(path))
  }

  @Test("a directory is an io error")
  func directoryPath() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let error = try #require(doppelError { _ = try CSVReader(path: directory) })
    #expect(error.code == .io)
  }

  @Test("options out of range are invalidArgument")
  func invalidOptions() {
    let zeroRows = CSVOptions(rowsPerChunk: 0)
    let zeroBlock = CSVOptions(blockSize: 0)
    let zeroThreads = CSVOptions(threads: 0)
    let hugeBlock = CSVOptions(blockSize: CSVOptions.maximumBlockSize + 1)
    for options in [zeroRows, zeroBlock, zeroThreads, hugeBlock] {
      #expect(
        doppelError { _ = try CSVReader(data: bytes("a\n1\n"), options: options) }?.code
          == .invalidArgument)
    }
  }

  @Test("error messages never contain field values")
  func messagesHideValues() throws {
    let secret = "SECRET-4111"
    let inputs: [[UInt8]] = [
      bytes("a,b\n\(secret),1,2\n"),
      bytes("a,b\n1,\"\(secret)\n"),
      bytes("a,b\n1,\(secret)") + [0xFF] + bytes("\n"),
    ]
    for input in inputs {
      let error = try #require(readError(input))
      #expect(!error.description.contains(secret))
    }
  }

  @Test("truncated gzip data is an io error")
  func truncatedGzip() throws {
    let compressed = try gzip(bytes("a,b\n" + String(repeating: "1,2\n", count: 1000)))
    let truncated = Array(compressed.prefix(compressed.count / 2))
    let error = try #require(readError(truncated))
    #expect(error.code == .io)
    #expect(error.message.contains("truncated"))
  }

  @Test("damaged gzip data is an io error")
  func damagedGzip() throws {
    var compressed = try gzip(bytes("a,b\n" + String(repeating: "1,2\n", count: 1000)))
    for index in 12..<compressed.count - 8 { compressed[index] ^= 0x5A }
    let error = try #require(readError(compressed))
    #expect(error.code == .io)
  }
}
