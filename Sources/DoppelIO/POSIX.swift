import DoppelCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the POSIX calls DoppelIO uses, retrying on `EINTR` and turning failures into
/// ``DoppelError`` values with code `io`.
enum POSIX {
  /// The text of the current `errno`, such as `No such file or directory`.
  static func lastErrorText() -> String {
    String(cString: strerror(errno))
  }

  /// Opens a file for reading.
  /// - Parameter path: The file's path.
  /// - Returns: An open file descriptor.
  /// - Throws: ``DoppelError`` `io` naming the path when the file cannot be opened.
  static func openForReading(_ path: String) throws -> Int32 {
    while true {
      let descriptor = open(path, O_RDONLY | O_CLOEXEC)
      if descriptor >= 0 { return descriptor }
      if errno == EINTR { continue }
      throw DoppelError(
        .io,
        "cannot open the file for reading (\(lastErrorText())); check the path and permissions",
        context: .init(file: path))
    }
  }

  /// Reads up to `count` bytes, returning fewer only at the end of the file.
  /// - Parameters:
  ///   - descriptor: An open file descriptor.
  ///   - destination: Where to put the bytes.
  ///   - count: The most bytes to read.
  ///   - name: The file name for error messages.
  /// - Returns: The number of bytes read; less than `count` only at the end of the file.
  /// - Throws: ``DoppelError`` `io` when reading fails.
  static func readFully(
    _ descriptor: Int32, into destination: UnsafeMutableRawPointer, count: Int, name: String
  ) throws -> Int {
    var total = 0
    while total < count {
      let result = read(descriptor, destination + total, count - total)
      if result > 0 {
        total += result
      } else if result == 0 {
        break
      } else if errno != EINTR {
        throw DoppelError(
          .io, "reading the file failed (\(lastErrorText()))", context: .init(file: name))
      }
    }
    return total
  }

  /// Writes all `count` bytes.
  /// - Parameters:
  ///   - descriptor: An open file descriptor.
  ///   - source: The bytes to write.
  ///   - count: How many bytes to write.
  ///   - name: The file name for error messages.
  /// - Throws: ``DoppelError`` `io` when writing fails (for example, a full disk).
  static func writeFully(
    _ descriptor: Int32, from source: UnsafeRawPointer, count: Int, name: String
  ) throws {
    var written = 0
    while written < count {
      let result = write(descriptor, source + written, count - written)
      if result >= 0 {
        written += result
      } else if errno != EINTR {
        throw DoppelError(
          .io, "writing the file failed (\(lastErrorText())); check free space and permissions",
          context: .init(file: name))
      }
    }
  }
}
