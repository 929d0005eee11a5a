import CZlib
import DoppelCore
import Foundation

/// Whole-buffer gzip and raw-deflate helpers over the system zlib.
///
/// Reading handles plain files, single gzip members and multi-member files such as BGZF; writing
/// produces raw deflate blocks that ``BGZFWriter`` wraps in BGZF headers.
public enum Gzip {
  /// Whether bytes start with the gzip magic number.
  /// - Parameter bytes: The first bytes of a file.
  /// - Returns: `true` for gzip (and so BGZF) data.
  public static func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
  }

  /// Reads a file and decompresses it if it is gzip or BGZF.
  /// - Parameter path: The file to read.
  /// - Returns: The uncompressed bytes.
  /// - Throws: ``DoppelError`` `io` when the file cannot be read or its gzip data is damaged.
  public static func readFile(_ path: String) throws -> [UInt8] {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw DoppelError(
        .io, "cannot read the file; check that it exists and is readable",
        context: .init(file: path))
    }
    let bytes = [UInt8](data)
    guard isGzip(bytes) else { return bytes }
    do {
      return try inflateAll(bytes)
    } catch let error as DoppelError {
      throw error.inFile(path)
    }
  }

  /// Decompresses all gzip members of a buffer, one after another.
  /// - Parameter input: Gzip or BGZF bytes.
  /// - Returns: The concatenated uncompressed bytes.
  /// - Throws: ``DoppelError`` `io` when the data is damaged or truncated.
  public static func inflateAll(_ input: [UInt8]) throws -> [UInt8] {
    var stream = z_stream()
    let initStatus = inflateInit2_(
      &stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard initStatus == Z_OK else {
      throw DoppelError(.io, "zlib could not start decompressing (status \(initStatus))")
    }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    output.reserveCapacity(input.count * 4)
    var chunk = [UInt8](repeating: 0, count: 1 << 18)
    var offset = 0
    try input.withUnsafeBufferPointer { inputBuffer in
      guard let inputBase = inputBuffer.baseAddress else { return }
      while offset < input.count {
        stream.next_in = UnsafeMutablePointer(mutating: inputBase + offset)
        stream.avail_in = uInt(min(input.count - offset, 1 << 30))
        let before = Int(stream.avail_in)
        var status: Int32 = Z_OK
        repeat {
          let produced = chunk.withUnsafeMutableBufferPointer { out -> Int in
            stream.next_out = out.baseAddress
            stream.avail_out = uInt(out.count)
            status = inflate(&stream, Z_NO_FLUSH)
            return out.count - Int(stream.avail_out)
          }
          output.append(contentsOf: chunk[0..<produced])
        } while status == Z_OK && stream.avail_out == 0
        offset += before - Int(stream.avail_in)
        switch status {
        case Z_STREAM_END:
          // Another member may follow (BGZF is many members); padding after the last is ignored.
          if offset + 1 < input.count && input[offset] == 0x1f && input[offset + 1] == 0x8b {
            inflateReset(&stream)
          } else {
            return
          }
        case Z_OK, Z_BUF_ERROR:
          if stream.avail_in == 0 && offset >= input.count {
            throw DoppelError(.io, "the gzip data ends early; the file is truncated")
          }
        default:
          throw DoppelError(.io, "the gzip data is damaged (zlib status \(status)); check the file")
        }
      }
    }
    return output
  }

  /// Compresses bytes into one raw deflate stream (no header), as a BGZF block body.
  /// - Parameters:
  ///   - input: The bytes to compress.
  ///   - level: zlib compression level, 0–9.
  /// - Returns: The raw deflate bytes, or `nil` if zlib fails.
  static func deflateRaw(_ input: UnsafeRawBufferPointer, level: Int32) -> [UInt8]? {
    var stream = z_stream()
    guard
      deflateInit2_(
        &stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
        Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else { return nil }
    defer { deflateEnd(&stream) }
    let bound = Int(deflateBound(&stream, uLong(input.count))) + 16
    var output = [UInt8](repeating: 0, count: bound)
    let status = output.withUnsafeMutableBufferPointer { out -> Int32 in
      stream.next_in = UnsafeMutablePointer(
        mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
      stream.avail_in = uInt(input.count)
      stream.next_out = out.baseAddress
      stream.avail_out = uInt(out.count)
      return deflate(&stream, Z_FINISH)
    }
    guard status == Z_STREAM_END else { return nil }
    output.removeSubrange(Int(stream.total_out)...)
    return output
  }

  /// The CRC-32 of bytes, as gzip stores it.
  static func crc32(_ input: UnsafeRawBufferPointer) -> UInt32 {
    let value = CZlib.crc32(
      0, input.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(input.count))
    return UInt32(truncatingIfNeeded: value)
  }
}
