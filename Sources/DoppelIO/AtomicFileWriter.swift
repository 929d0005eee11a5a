import DoppelCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that it appears whole or not at all.
///
/// Bytes go to a hidden temporary file in the destination's directory (so the final rename never
/// crosses file systems), through a buffer. ``finish()`` flushes, syncs the file to disk and
/// renames it into place, replacing any file already there. If the writer is discarded, or is
/// destroyed without being finished (for example because an error was thrown while writing), the
/// temporary file is removed and the destination is left as it was.
///
/// ```swift
/// var output = try AtomicFileWriter(path: "model.json")
/// try output.write(bytes)
/// try output.finish()
/// ```
///
/// The writer owns an open file, so it cannot be copied.
public struct AtomicFileWriter: ~Copyable {
  /// The destination path.
  public let path: String
  /// The temporary file written until ``finish()`` renames it to ``path``.
  public let temporaryPath: String

  private var descriptor: Int32 = -1
  private var buffer: [UInt8] = []
  private let bufferCapacity: Int

  /// Creates the temporary file next to `path`.
  /// - Parameters:
  ///   - path: Where the finished file goes.
  ///   - bufferSize: Bytes gathered before each write to the file; 1 MiB by default.
  /// - Throws: ``DoppelError`` `io` naming `path` when its directory is missing or not writable.
  public init(path: String, bufferSize: Int = 1 << 20) throws {
    self.path = path
    bufferCapacity = max(1, bufferSize)
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[...$0]) } ?? ""
    // Keep the temporary name within the usual 255-byte limit on file names.
    let file = String((slash.map { String(path[path.index(after: $0)...]) } ?? path).prefix(100))
    var random = SystemRandomNumberGenerator()
    var candidate = ""
    var opened: Int32 = -1
    for _ in 0..<16 {
      let tag = String(random.next() & 0xFFFF_FFFF_FFFF, radix: 36)
      candidate = "\(directory).\(file).\(getpid())-\(tag).tmp"
      opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
      if opened >= 0 || (errno != EEXIST && errno != EINTR) { break }
    }
    temporaryPath = candidate
    guard opened >= 0 else {
      throw DoppelError(
        .io,
        "cannot create the output file (\(POSIX.lastErrorText())); check that the directory "
          + "exists and is writable",
        context: .init(file: path))
    }
    descriptor = opened
    buffer.reserveCapacity(bufferCapacity)
  }

  deinit {
    if descriptor >= 0 {
      close(descriptor)
      unlink(temporaryPath)
    }
  }

  /// Appends bytes.
  /// - Parameter bytes: The bytes to append.
  /// - Throws: ``DoppelError`` `io` when writing fails (for example, a full disk).
  public mutating func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  /// Appends the UTF-8 bytes of a string.
  /// - Parameter text: The text to append.
  /// - Throws: ``DoppelError`` `io` when writing fails.
  public mutating func write(_ text: String) throws {
    var text = text
    try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
  }

  /// Appends bytes from memory.
  /// - Parameter bytes: The bytes to append.
  /// - Throws: ``DoppelError`` `io` when writing fails.
  public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard descriptor >= 0 else {
      throw DoppelError(.io, "the output file is already closed", context: .init(file: path))
    }
    if buffer.count + bytes.count > bufferCapacity { try flush() }
    if bytes.count >= bufferCapacity {
      guard let base = bytes.baseAddress else { return }
      try POSIX.writeFully(descriptor, from: base, count: bytes.count, name: path)
    } else {
      buffer.append(contentsOf: bytes)
    }
  }

  /// Writes out the buffer, syncs the file and renames it to ``path``.
  ///
  /// On failure the temporary file is removed and the destination is left as it was.
  /// - Throws: ``DoppelError`` `io` naming ``path`` when writing, syncing or renaming fails.
  public consuming func finish() throws {
    guard descriptor >= 0 else { return }
    try flush()
    if fsync(descriptor) != 0 && errno != EINVAL && errno != EROFS {
      throw DoppelError(
        .io, "syncing the output file to disk failed (\(POSIX.lastErrorText()))",
        context: .init(file: path))
    }
    let closed = close(descriptor)
    descriptor = -1
    guard closed == 0 else {
      let reason = POSIX.lastErrorText()
      unlink(temporaryPath)
      throw DoppelError(
        .io, "closing the output file failed (\(reason))", context: .init(file: path))
    }
    guard rename(temporaryPath, path) == 0 else {
      let reason = POSIX.lastErrorText()
      unlink(temporaryPath)
      throw DoppelError(
        .io, "cannot move the finished file into place (\(reason)); check the path",
        context: .init(file: path))
    }
  }

  /// Abandons the output: closes and removes the temporary file, leaving ``path`` as it was.
  public consuming func discard() {
    if descriptor >= 0 {
      close(descriptor)
      unlink(temporaryPath)
      descriptor = -1
    }
  }

  /// Writes a whole file at once, atomically.
  /// - Parameters:
  ///   - bytes: The file's contents.
  ///   - path: Where the file goes; an existing file is replaced.
  /// - Throws: ``DoppelError`` `io` naming `path` when the file cannot be written.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    var output = try AtomicFileWriter(path: path, bufferSize: 1)
    try output.write(bytes)
    try output.finish()
  }

  /// Writes a whole file at once, atomically.
  /// - Parameters:
  ///   - data: The file's contents.
  ///   - path: Where the file goes; an existing file is replaced.
  /// - Throws: ``DoppelError`` `io` naming `path` when the file cannot be written.
  public static func write(_ data: Data, to path: String) throws {
    try write([UInt8](data), to: path)
  }

  private mutating func flush() throws {
    guard !buffer.isEmpty else { return }
    try buffer.withUnsafeBytes { bytes in
      guard let base = bytes.baseAddress else { return }
      try POSIX.writeFully(descriptor, from: base, count: bytes.count, name: path)
    }
    buffer.removeAll(keepingCapacity: true)
  }
}
