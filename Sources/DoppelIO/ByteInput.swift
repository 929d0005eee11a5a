import CZlib
import DoppelCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file or an in-memory buffer, decompressed on the fly when they are gzip data.
///
/// Gzip input is recognised by its magic bytes `1f 8b`, whatever the file is called. Several
/// concatenated gzip members (as `cat a.gz b.gz` makes) are read as one stream; bytes after the
/// last member that do not start another member are ignored, as `gzip -d` does.
///
/// The value owns its file descriptor and zlib state and releases them when it is destroyed, so
/// it cannot be copied.
struct ByteInput: ~Copyable {
  /// The file name (or the caller's name for in-memory data), for error messages.
  let name: String
  /// Whether the input is gzip-compressed.
  private(set) var isGzip = false
  /// Bytes read from the underlying file or buffer so far (compressed bytes for gzip input).
  private(set) var rawBytesRead = 0

  private var descriptor: Int32 = -1
  private var memory: [UInt8] = []
  private var rawEnded = false
  /// Raw bytes read ahead: the sniffed first bytes of plain input, or compressed input.
  private var staging: UnsafeMutableRawBufferPointer
  private var stagingStart = 0
  private var stagingEnd = 0
  private var stream: UnsafeMutablePointer<z_stream>?
  private var streamEnded = false
  private var finished = false

  /// Opens a file.
  /// - Parameters:
  ///   - path: The file's path.
  ///   - stagingSize: The size of the read-ahead buffer for compressed input.
  /// - Throws: ``DoppelError`` `io` when the file cannot be opened or read, or is not valid gzip.
  init(path: String, stagingSize: Int) throws {
    name = path
    staging = .allocate(byteCount: max(16, stagingSize), alignment: 16)
    descriptor = try POSIX.openForReading(path)
    try sniff()
  }

  /// Wraps bytes already in memory.
  /// - Parameters:
  ///   - bytes: The input; gzip data is decompressed.
  ///   - name: A name for error messages.
  ///   - stagingSize: The size of the read-ahead buffer for compressed input.
  /// - Throws: ``DoppelError`` `io` when gzip data is invalid.
  init(bytes: [UInt8], name: String, stagingSize: Int) throws {
    self.name = name
    memory = bytes
    staging = .allocate(byteCount: max(16, stagingSize), alignment: 16)
    try sniff()
  }

  deinit {
    if descriptor >= 0 { close(descriptor) }
    if let stream {
      inflateEnd(stream)
      stream.deinitialize(count: 1)
      stream.deallocate()
    }
    staging.deallocate()
  }

  /// Reads the first bytes and starts decompression if they are the gzip magic.
  private mutating func sniff() throws {
    while stagingEnd - stagingStart < 2 && !rawEnded { try refillStaging() }
    guard stagingEnd - stagingStart >= 2, staging[stagingStart] == 0x1f,
      staging[stagingStart + 1] == 0x8b
    else { return }
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    // windowBits 15 + 32: accept gzip (and zlib) headers, with the largest window.
    let status = inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else {
      stream.deinitialize(count: 1)
      stream.deallocate()
      throw DoppelError(
        .io, "cannot start gzip decompression (zlib status \(status))", context: .init(file: name))
    }
    self.stream = stream
    isGzip = true
  }

  /// Reads raw bytes from the file or the in-memory buffer.
  private mutating func readRaw(into destination: UnsafeMutableRawPointer, count: Int) throws -> Int
  {
    let got: Int
    if descriptor >= 0 {
      got = try POSIX.readFully(descriptor, into: destination, count: count, name: name)
    } else {
      got = min(count, memory.count - rawBytesRead)
      if got > 0 {
        memory.withUnsafeBytes { source in
          guard let base = source.baseAddress else { return }
          destination.copyMemory(from: base + rawBytesRead, byteCount: got)
        }
      }
    }
    rawBytesRead += got
    if got < count { rawEnded = true }
    return got
  }

  /// Moves unread staged bytes to the front and reads more raw bytes after them.
  private mutating func refillStaging() throws {
    if stagingStart > 0 {
      let pending = stagingEnd - stagingStart
      if pending > 0, let base = staging.baseAddress {
        base.copyMemory(from: base + stagingStart, byteCount: pending)
      }
      stagingStart = 0
      stagingEnd = pending
    }
    guard !rawEnded, stagingEnd < staging.count, let base = staging.baseAddress else { return }
    stagingEnd += try readRaw(into: base + stagingEnd, count: staging.count - stagingEnd)
  }

  /// Fills `destination` with input bytes, fewer only at the end of the input.
  /// - Parameter destination: Where to put the bytes.
  /// - Returns: The number of bytes written; 0 means the input is exhausted.
  /// - Throws: ``DoppelError`` `io` for a read error or damaged or truncated gzip data.
  mutating func read(into destination: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let target = destination.baseAddress, destination.count > 0 else { return 0 }
    if let stream {
      return try inflate(stream, into: target, count: destination.count)
    }
    var filled = 0
    let staged = stagingEnd - stagingStart
    if staged > 0, let base = staging.baseAddress {
      filled = min(staged, destination.count)
      target.copyMemory(from: base + stagingStart, byteCount: filled)
      stagingStart += filled
    }
    if filled < destination.count && !rawEnded {
      filled += try readRaw(into: target + filled, count: destination.count - filled)
    }
    return filled
  }

  private mutating func inflate(
    _ stream: UnsafeMutablePointer<z_stream>, into target: UnsafeMutableRawPointer, count: Int
  ) throws -> Int {
    var filled = 0
    while filled < count && !finished {
      if streamEnded {
        // Another gzip member may follow; anything else after the last member is ignored.
        if stagingEnd - stagingStart < 2 && !rawEnded { try refillStaging() }
        if stagingEnd - stagingStart >= 2 && staging[stagingStart] == 0x1f
          && staging[stagingStart + 1] == 0x8b
        {
          inflateReset(stream)
          streamEnded = false
        } else {
          finished = true
          break
        }
      }
      if stagingStart == stagingEnd {
        if rawEnded {
          throw DoppelError(
            .io, "the gzip data ends early; the file is truncated", context: .init(file: name))
        }
        try refillStaging()
        continue
      }
      guard let input = staging.baseAddress else { break }
      let available = stagingEnd - stagingStart
      let room = min(count - filled, 1 << 30)
      stream.pointee.next_in = (input + stagingStart).assumingMemoryBound(to: Bytef.self)
      stream.pointee.avail_in = uInt(available)
      stream.pointee.next_out = (target + filled).assumingMemoryBound(to: Bytef.self)
      stream.pointee.avail_out = uInt(room)
      let status = CZlib.inflate(stream, Z_NO_FLUSH)
      stagingStart += available - Int(stream.pointee.avail_in)
      filled += room - Int(stream.pointee.avail_out)
      switch status {
      case Z_OK, Z_BUF_ERROR:
        break
      case Z_STREAM_END:
        streamEnded = true
      default:
        throw DoppelError(
          .io, "the gzip data is damaged (zlib status \(status)); check the file",
          context: .init(file: name))
      }
    }
    return filled
  }
}
