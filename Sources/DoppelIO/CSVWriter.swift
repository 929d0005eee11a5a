import DoppelCore

/// Writes delimited text: a header row, then rows given as ``TextTable`` chunks or field arrays.
///
/// Fields are quoted only when they must be: when they contain the delimiter, a quote, a carriage
/// return or a line feed; a quote inside a quoted field is doubled. Lines end with LF. Two more
/// cases are quoted so that reading the file back gives the same fields: the empty field of a
/// one-column row (an empty line would be skipped as blank) and a first header name that starts
/// with a byte order mark. A file that follows these rules (such as those in `shared/data`) is
/// written back byte for byte after ``CSVReader`` reads it.
///
/// The output goes through an ``AtomicFileWriter``: it appears at `path` only when ``finish()``
/// succeeds. If the writer is discarded or destroyed unfinished, for example because an error was
/// thrown, no file is left behind and an existing file at `path` is untouched.
///
/// ```swift
/// var writer = try CSVWriter(path: "synthetic.csv", columnNames: table.columnNames)
/// try writer.write(chunk)
/// try writer.finish()
/// ```
public struct CSVWriter: ~Copyable {
  /// The header's column names.
  public let columnNames: [String]
  /// The destination path.
  public var path: String { output.path }

  private let delimiter: UInt8
  private var output: AtomicFileWriter
  private var pending: [UInt8]
  private static let flushSize = 256 << 10

  /// Creates the output and writes the header row.
  /// - Parameters:
  ///   - path: Where the finished file goes; an existing file is replaced by ``finish()``.
  ///   - columnNames: The header; names must be non-empty and unique.
  ///   - options: The delimiter; other options are ignored.
  /// - Throws: ``DoppelError``: `emptyColumnName` or `duplicateColumnName` for a bad header, `io`
  ///   naming `path` when the file cannot be created.
  public init(path: String, columnNames: [String], options: CSVOptions = CSVOptions()) throws {
    try CSVWriter.checkNames(columnNames, path: path)
    let output = try AtomicFileWriter(path: path)
    var header: [UInt8] = []
    header.reserveCapacity(CSVWriter.flushSize + 4096)
    CSVWriter.appendHeader(columnNames, delimiter: options.delimiter.rawValue, to: &header)
    self.columnNames = columnNames
    self.delimiter = options.delimiter.rawValue
    self.output = output
    self.pending = header
  }

  /// Appends the rows of a chunk.
  /// - Parameter chunk: Rows whose columns match ``columnNames``.
  /// - Throws: ``DoppelError``: `schemaMismatch` if the chunk's columns differ, `io` when writing
  ///   fails.
  public mutating func write(_ chunk: TextTable) throws {
    guard chunk.columnNames == columnNames else {
      throw DoppelError(
        .schemaMismatch,
        "the chunk's columns differ from the header's; write chunks of the same table",
        context: .init(file: output.path))
    }
    for row in 0..<chunk.rowCount {
      CSVWriter.appendRow(
        columnCount: chunk.columns.count, delimiter: delimiter, to: &pending
      ) { chunk.columns[$0][row] }
      if pending.count >= CSVWriter.flushSize { try flush() }
    }
  }

  /// Appends rows already encoded by ``encodeRows(_:options:)`` with this writer's delimiter.
  ///
  /// This lets callers encode chunks on several threads and write them in order.
  /// - Parameter bytes: Whole rows, each ending in a line feed.
  /// - Throws: ``DoppelError`` `io` when writing fails.
  public mutating func writeEncodedRows(_ bytes: [UInt8]) throws {
    if pending.count + bytes.count < CSVWriter.flushSize {
      pending.append(contentsOf: bytes)
      return
    }
    try flush()
    try output.write(bytes)
  }

  /// Appends one row.
  /// - Parameter fields: One field per column; an empty field is a missing value.
  /// - Throws: ``DoppelError``: `schemaMismatch` for the wrong number of fields, `io` when writing
  ///   fails.
  public mutating func writeRow(_ fields: [String]) throws {
    guard fields.count == columnNames.count else {
      throw DoppelError(
        .schemaMismatch,
        "a row has \(fields.count) fields but the header has \(columnNames.count)",
        context: .init(file: output.path))
    }
    CSVWriter.appendRow(columnCount: fields.count, delimiter: delimiter, to: &pending) {
      fields[$0]
    }
    if pending.count >= CSVWriter.flushSize { try flush() }
  }

  /// Writes out what is buffered and moves the finished file to ``path``.
  /// - Throws: ``DoppelError`` `io` when writing or renaming fails; the destination is then left
  ///   as it was.
  public consuming func finish() throws {
    try flush()
    try output.finish()
  }

  /// Abandons the output, leaving ``path`` as it was.
  public consuming func discard() {
    output.discard()
  }

  /// The bytes of a whole table as delimited text, header first, for in-memory uses such as an
  /// HTTP response.
  /// - Parameters:
  ///   - table: The rows to write.
  ///   - options: The delimiter; other options are ignored.
  /// - Returns: The file's bytes, as ``CSVWriter`` would write them.
  public static func encode(_ table: TextTable, options: CSVOptions = CSVOptions()) -> [UInt8] {
    let delimiter = options.delimiter.rawValue
    var bytes: [UInt8] = []
    appendHeader(table.columnNames, delimiter: delimiter, to: &bytes)
    for row in 0..<table.rowCount {
      appendRow(columnCount: table.columns.count, delimiter: delimiter, to: &bytes) {
        table.columns[$0][row]
      }
    }
    return bytes
  }

  /// The rows of a table as delimited text, without the header, for
  /// ``writeEncodedRows(_:)``.
  /// - Parameters:
  ///   - table: The rows to encode.
  ///   - options: The delimiter; other options are ignored.
  /// - Returns: The rows' bytes, each row ending in a line feed.
  public static func encodeRows(_ table: TextTable, options: CSVOptions = CSVOptions()) -> [UInt8] {
    let delimiter = options.delimiter.rawValue
    var bytes: [UInt8] = []
    bytes.reserveCapacity(table.rowCount * table.columns.count * 8)
    let columns = table.columns
    for row in 0..<table.rowCount {
      appendRow(columnCount: columns.count, delimiter: delimiter, to: &bytes) {
        columns[$0][row]
      }
    }
    return bytes
  }

  private mutating func flush() throws {
    try output.write(pending)
    pending.removeAll(keepingCapacity: true)
  }

  /// Checks that header names are non-empty and unique (shared with ``JSONLinesWriter``).
  static func checkNames(_ names: [String], path: String) throws {
    var positions: [String: Int] = [:]
    for (index, name) in names.enumerated() {
      if name.isEmpty {
        throw DoppelError(
          .emptyColumnName, "column \(index + 1) has an empty name; give every column a name",
          context: .init(file: path))
      }
      if let first = positions[name] {
        throw DoppelError(
          .duplicateColumnName,
          "columns \(first + 1) and \(index + 1) have the same name; rename one",
          context: .init(file: path, column: name))
      }
      positions[name] = index
    }
  }

  private static func appendHeader(_ names: [String], delimiter: UInt8, to bytes: inout [UInt8]) {
    for (index, name) in names.enumerated() {
      if index > 0 { bytes.append(delimiter) }
      // A leading byte order mark would be taken for the file's own and dropped when read back.
      let startsWithMark = index == 0 && name.utf8.starts(with: [0xEF, 0xBB, 0xBF])
      appendField(name, delimiter: delimiter, forceQuotes: startsWithMark, to: &bytes)
    }
    bytes.append(CSVScanner.lineFeed)
  }

  @inline(__always)
  private static func appendRow(
    columnCount: Int, delimiter: UInt8, to bytes: inout [UInt8], field: (Int) -> String
  ) {
    if columnCount == 1 {
      // An empty line would be read back as a blank line and skipped, so quote the empty field.
      let value = field(0)
      appendField(value, delimiter: delimiter, forceQuotes: value.isEmpty, to: &bytes)
    } else {
      for column in 0..<columnCount {
        if column > 0 { bytes.append(delimiter) }
        appendField(field(column), delimiter: delimiter, forceQuotes: false, to: &bytes)
      }
    }
    bytes.append(CSVScanner.lineFeed)
  }

  @inline(__always)
  private static func appendField(
    _ value: String, delimiter: UInt8, forceQuotes: Bool, to bytes: inout [UInt8]
  ) {
    var value = value
    value.withUTF8 { utf8 in
      var needsQuotes = forceQuotes
      if !needsQuotes {
        for byte in utf8
        where byte == delimiter || byte == CSVOptions.quote || byte == CSVScanner.lineFeed
          || byte == CSVScanner.carriageReturn
        {
          needsQuotes = true
          break
        }
      }
      guard needsQuotes else {
        bytes.append(contentsOf: utf8)
        return
      }
      bytes.append(CSVOptions.quote)
      for byte in utf8 {
        if byte == CSVOptions.quote { bytes.append(CSVOptions.quote) }
        bytes.append(byte)
      }
      bytes.append(CSVOptions.quote)
    }
  }
}
