import CZlib
import DoppelCore
import Foundation
import Testing

@testable import DoppelIO

@Suite("gzip input")
struct GzipInputTests {
  let text = "id,name,note\n" + (1...500).map { "\($0),n\($0),\"x, \"\"\($0)\"\"\"\n" }.joined()

  @Test("gzip data is recognised by its magic bytes and read like the plain text")
  func inMemory() throws {
    let compressed = try gzip(bytes(text))
    #expect(compressed.starts(with: [0x1F, 0x8B]))
    var reader = try CSVReader(data: compressed)
    let compressedInput = reader.isCompressed
    #expect(compressedInput)
    var rows = 0
    while let chunk = try reader.nextChunk() { rows += chunk.rowCount }
    #expect(rows == 500)
    #expect(try readRows(compressed) == readRows(bytes(text)))
  }

  @Test(
    "a gzip file named .csv is decompressed, with tiny blocks and chunks", arguments: [1, 7, 4096])
  func fileWithCSVName(blockSize: Int) throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/plain-name.csv"
    try Data(try gzip(bytes(text))).write(to: URL(fileURLWithPath: path))
    let options = CSVOptions(rowsPerChunk: 64, blockSize: blockSize)
    let table = try CSVReader.readAll(path: path, options: options)
    #expect(table.rowCount == 500)
    #expect(table.columns[2][41] == "x, \"42\"")
  }

  @Test("a file written by zlib's gzwrite is read")
  func gzwriteFile() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/data.csv.gz"
    let file = try #require(gzopen(path, "wb9"))
    let content = bytes(text)
    let written = content.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
    #expect(gzclose(file) == Z_OK)
    #expect(written == Int32(content.count))
    #expect(try CSVReader.readAll(path: path).rowCount == 500)
  }

  @Test("concatenated gzip members are read as one stream")
  func concatenatedMembers() throws {
    let first = try gzip(bytes("a,b\n1,2\n"))
    let second = try gzip(bytes("3,4\n"), level: 1)
    #expect(
      try readRows(first + second, options: CSVOptions(blockSize: 3)) == [["1", "2"], ["3", "4"]])
  }

  @Test("bytes after the last gzip member are ignored")
  func trailingBytes() throws {
    let data = try gzip(bytes("a,b\n1,2\n")) + [0, 0, 0, 0]
    #expect(try readRows(data) == [["1", "2"]])
  }

  @Test("a file starting with the bytes 1f 8b but too short is an io error")
  func tooShortForGzip() {
    #expect(doppelError { _ = try CSVReader(data: [0x1F, 0x8B]) }?.code == .io)
  }
}
