import CZlib
import DoppelCore
import Foundation
import Testing

@testable import DoppelIO

/// A fresh, empty directory under the system's temporary directory.
func makeTemporaryDirectory() throws -> String {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("doppel-io-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url.path
}

/// The bytes of a string's UTF-8 encoding.
func bytes(_ text: String) -> [UInt8] {
  Array(text.utf8)
}

/// Every row of in-memory CSV, read chunk by chunk, as rows of fields.
func readRows(_ data: [UInt8], options: CSVOptions = CSVOptions()) throws -> [[String]] {
  var reader = try CSVReader(data: data, name: "test.csv", options: options)
  var rows: [[String]] = []
  while let chunk = try reader.nextChunk() {
    for row in 0..<chunk.rowCount {
      rows.append(chunk.columns.map { $0[row] })
    }
  }
  return rows
}

/// The chunks of in-memory CSV.
func readChunks(_ data: [UInt8], options: CSVOptions) throws -> [TextTable] {
  var reader = try CSVReader(data: data, name: "test.csv", options: options)
  var chunks: [TextTable] = []
  while let chunk = try reader.nextChunk() { chunks.append(chunk) }
  return chunks
}

/// The `DoppelError` thrown by `body`, or `nil` if it throws none (or another error).
func doppelError(_ body: () throws -> Void) -> DoppelError? {
  do {
    try body()
    return nil
  } catch let error as DoppelError {
    return error
  } catch {
    return nil
  }
}

/// Gzip-compresses bytes with zlib (one gzip member).
func gzip(_ input: [UInt8], level: Int32 = 6) throws -> [UInt8] {
  var stream = z_stream()
  // windowBits 15 + 16 writes a gzip header and trailer.
  let status = deflateInit2_(
    &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
    Int32(MemoryLayout<z_stream>.size))
  try #require(status == Z_OK)
  defer { deflateEnd(&stream) }
  var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
  var input = input
  let result = input.withUnsafeMutableBufferPointer { source in
    output.withUnsafeMutableBufferPointer { target in
      stream.next_in = source.baseAddress
      stream.avail_in = uInt(source.count)
      stream.next_out = target.baseAddress
      stream.avail_out = uInt(target.count)
      return deflate(&stream, Z_FINISH)
    }
  }
  try #require(result == Z_STREAM_END)
  output.removeLast(Int(stream.avail_out))
  return output
}

/// The path of a fixture file in the test bundle.
func fixturePath(_ name: String) throws -> String {
  let url = try #require(
    Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
  return url.path
}
