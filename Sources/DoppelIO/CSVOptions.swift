/// How a delimited text file is read and written.
///
/// The quote character is always `"` and a quote inside a quoted field is written twice, as
/// RFC 4180 says. Both LF and CRLF line endings are read; LF is written.
public struct CSVOptions: Sendable, Equatable {
  /// The field separator.
  public var delimiter: CSVDelimiter
  /// The most rows in one chunk returned by ``CSVReader/nextChunk()``; at least 1.
  public var rowsPerChunk: Int
  /// The number of bytes read from the file at a time; from 1 to ``maximumBlockSize``. Lines
  /// longer than this are still read whole: the buffer grows to hold them.
  public var blockSize: Int
  /// The most threads that parse one block at once; at least 1. The rows read are the same
  /// whatever the number.
  ///
  /// Only tokenizing and short fields run in parallel; making long fields, building the chunk's
  /// arrays and freeing them stay on one thread, so extra threads help most on idle machines
  /// with many cores, and cost time when other processes keep the cores busy. The default is 1.
  public var threads: Int
  /// Blocks with fewer unparsed bytes than this are parsed on one thread.
  var parallelThreshold = 128 << 10

  /// The quote character, `"`.
  public static let quote = UInt8(ascii: "\"")
  /// The default number of rows per chunk, 65,536.
  public static let defaultRowsPerChunk = 65_536
  /// The default read size, 4 MiB.
  public static let defaultBlockSize = 4 << 20
  /// The largest block size accepted, 1 GiB.
  public static let maximumBlockSize = 1 << 30
  /// The default number of parsing threads, 1 (see ``threads``).
  public static let defaultThreads = 1

  /// Creates options.
  /// - Parameters:
  ///   - delimiter: The field separator; a comma by default.
  ///   - rowsPerChunk: The most rows per chunk; must be at least 1.
  ///   - blockSize: The number of bytes read at a time; must be at least 1.
  ///   - threads: The most threads that parse at once; must be at least 1.
  public init(
    delimiter: CSVDelimiter = .comma,
    rowsPerChunk: Int = CSVOptions.defaultRowsPerChunk,
    blockSize: Int = CSVOptions.defaultBlockSize,
    threads: Int = CSVOptions.defaultThreads
  ) {
    self.delimiter = delimiter
    self.rowsPerChunk = rowsPerChunk
    self.blockSize = blockSize
    self.threads = threads
  }
}
