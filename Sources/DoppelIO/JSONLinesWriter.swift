import DoppelCore

/// Writes rows as JSON Lines: one JSON object per line, with keys in column order.
///
/// Each column has a ``JSONFieldStyle`` that says whether its fields are numbers, strings or
/// booleans; an empty field is written as `null`. Keys and strings are escaped as RFC 8259
/// requires (quote, backslash and control characters); other characters are written as UTF-8.
///
/// Like ``CSVWriter``, the output appears at `path` only when ``finish()`` succeeds; a writer
/// discarded or destroyed unfinished leaves no file behind.
///
/// ```swift
/// var writer = try JSONLinesWriter(
///   path: "rows.jsonl", columnNames: ["age", "name"], styles: [.number, .string])
/// try writer.writeRow(["42", "Ada"])  // {"age":42,"name":"Ada"}
/// try writer.finish()
/// ```
public struct JSONLinesWriter: ~Copyable {
  /// The column names, used as keys.
  public let columnNames: [String]
  /// How each column's fields are written.
  public let styles: [JSONFieldStyle]
  /// The destination path.
  public var path: String { output.path }

  private let encoder: JSONLinesEncoder
  private var output: AtomicFileWriter
  private var pending: [UInt8] = []
  private var rowsWritten = 0
  private static let flushSize = 256 << 10

  /// Creates the output.
  /// - Parameters:
  ///   - path: Where the finished file goes; an existing file is replaced by ``finish()``.
  ///   - columnNames: The keys, in order; non-empty and unique.
  ///   - styles: One style per column.
  /// - Throws: ``DoppelError``: `invalidArgument` if the counts differ, `emptyColumnName` or
  ///   `duplicateColumnName` for bad names, `io` naming `path` when the file cannot be created.
  public init(path: String, columnNames: [String], styles: [JSONFieldStyle]) throws {
    guard styles.count == columnNames.count else {
      throw DoppelError(
        .invalidArgument,
        "there are \(styles.count) styles for \(columnNames.count) columns; give one per column",
        context: .init(file: path))
    }
    try CSVWriter.checkNames(columnNames, path: path)
    let output = try AtomicFileWriter(path: path)
    self.output = output
    self.columnNames = columnNames
    self.styles = styles
    encoder = JSONLinesEncoder(columnNames: columnNames, styles: styles)
    pending.reserveCapacity(JSONLinesWriter.flushSize + 4096)
  }

  /// Appends the rows of a chunk.
  /// - Parameter chunk: Rows whose columns match ``columnNames``.
  /// - Throws: ``DoppelError``: `schemaMismatch` if the chunk's columns differ, `invalidValue`
  ///   for a field of a number column that is not a number, `io` when writing fails.
  public mutating func write(_ chunk: TextTable) throws {
    guard chunk.columnNames == columnNames else {
      throw DoppelError(
        .schemaMismatch,
        "the chunk's columns differ from the writer's; write chunks of the same table",
        context: .init(file: output.path))
    }
    for row in 0..<chunk.rowCount {
      try appendRow { chunk.columns[$0][row] }
    }
  }

  /// Appends one row.
  /// - Parameter fields: One field per column; an empty field is written as `null`.
  /// - Throws: ``DoppelError``: `schemaMismatch` for the wrong number of fields, `invalidValue`
  ///   for a field of a number column that is not a number, `io` when writing fails.
  public mutating func writeRow(_ fields: [String]) throws {
    guard fields.count == columnNames.count else {
      throw DoppelError(
        .schemaMismatch,
        "a row has \(fields.count) fields but there are \(columnNames.count) columns",
        context: .init(file: output.path))
    }
    try appendRow { fields[$0] }
  }

  /// Writes out what is buffered and moves the finished file to ``path``.
  /// - Throws: ``DoppelError`` `io` when writing or renaming fails; the destination is then left
  ///   as it was.
  public consuming func finish() throws {
    try output.write(pending)
    try output.finish()
  }

  /// Abandons the output, leaving ``path`` as it was.
  public consuming func discard() {
    output.discard()
  }

  private mutating func appendRow(_ field: (Int) -> String) throws {
    guard encoder.appendRow(field, to: &pending) else {
      throw DoppelError(
        .invalidValue,
        "a field of a number column is not a number; write the column as a string instead",
        context: .init(
          file: output.path, line: rowsWritten + 1,
          column: columnNames[encoder.firstNonNumberColumn(field) ?? 0]))
    }
    rowsWritten += 1
    if pending.count >= JSONLinesWriter.flushSize {
      try output.write(pending)
      pending.removeAll(keepingCapacity: true)
    }
  }
}

/// Encodes rows as JSON Lines in memory: one object per row, keys in column order, each column
/// written in its ``JSONFieldStyle``; ``JSONLinesWriter`` and the service's streamed samples both
/// use it, so a file and a stream of the same rows are byte for byte equal.
public struct JSONLinesEncoder: Sendable {
  /// For each column, `{"name":` for the first and `,"name":` for the others.
  private let keyPrefixes: [[UInt8]]
  private let styles: [JSONFieldStyle]
  /// For each boolean column, its `trueText`.
  private let trueTexts: [String?]

  /// Creates an encoder for rows of these columns.
  /// - Parameters:
  ///   - columnNames: The keys, in order.
  ///   - styles: One style per column.
  public init(columnNames: [String], styles: [JSONFieldStyle]) {
    keyPrefixes = columnNames.enumerated().map { index, name in
      var prefix: [UInt8] = [index == 0 ? UInt8(ascii: "{") : UInt8(ascii: ",")]
      JSONLinesWriter.appendString(name, to: &prefix)
      prefix.append(UInt8(ascii: ":"))
      return prefix
    }
    self.styles = styles
    trueTexts = styles.map {
      if case .boolean(let trueText) = $0 { return trueText }
      return nil
    }
  }

  /// Appends the rows of a table whose columns are the encoder's, in order.
  /// - Parameters:
  ///   - table: The rows.
  ///   - bytes: Where to append.
  /// - Throws: ``DoppelError`` `invalidValue` naming the column when a field of a number column
  ///   is not a number.
  public func encode(_ table: TextTable, to bytes: inout [UInt8]) throws {
    for row in 0..<table.rowCount {
      guard appendRow({ table.columns[$0][row] }, to: &bytes) else {
        let column = firstNonNumberColumn { table.columns[$0][row] } ?? 0
        throw DoppelError(
          .invalidValue, "a field of a number column is not a number",
          context: .init(line: row + 1, column: table.columnNames[column]))
      }
    }
  }

  /// Appends one row; returns `false`, leaving a partial row, when a field of a number column
  /// is not a number.
  func appendRow(_ field: (Int) -> String, to bytes: inout [UInt8]) -> Bool {
    for column in 0..<keyPrefixes.count {
      bytes.append(contentsOf: keyPrefixes[column])
      let value = field(column)
      if value.isEmpty {
        bytes.append(contentsOf: "null".utf8)
        continue
      }
      switch styles[column] {
      case .string:
        JSONLinesWriter.appendString(value, to: &bytes)
      case .boolean:
        bytes.append(contentsOf: (value == trueTexts[column] ? "true" : "false").utf8)
      case .number:
        if JSONLinesWriter.isJSONNumber(value) {
          bytes.append(contentsOf: value.utf8)
        } else if let number = Double(value), number.isFinite {
          bytes.append(contentsOf: number.description.utf8)
        } else {
          return false
        }
      }
    }
    bytes.append(contentsOf: "}\n".utf8)
    return true
  }

  /// The first column of a row whose number field is not a number.
  func firstNonNumberColumn(_ field: (Int) -> String) -> Int? {
    styles.indices.first { column in
      guard case .number = styles[column] else { return false }
      let value = field(column)
      return !value.isEmpty && !JSONLinesWriter.isJSONNumber(value)
        && !(Double(value)?.isFinite ?? false)
    }
  }
}

extension JSONLinesWriter {
  /// Whether `text` follows JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
  /// - Parameter text: The field.
  /// - Returns: `true` when it can be written as a bare JSON number.
  static func isJSONNumber(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { utf8 in
      var index = 0
      func digits() -> Int {
        let begin = index
        while index < utf8.count && utf8[index] >= 0x30 && utf8[index] <= 0x39 { index += 1 }
        return index - begin
      }
      if index < utf8.count && utf8[index] == UInt8(ascii: "-") { index += 1 }
      guard index < utf8.count else { return false }
      if utf8[index] == UInt8(ascii: "0") {
        index += 1
      } else if digits() == 0 {
        return false
      }
      if index < utf8.count && utf8[index] == UInt8(ascii: ".") {
        index += 1
        guard digits() > 0 else { return false }
      }
      if index < utf8.count && (utf8[index] | 0x20) == UInt8(ascii: "e") {
        index += 1
        if index < utf8.count
          && (utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: "-"))
        {
          index += 1
        }
        guard digits() > 0 else { return false }
      }
      return index == utf8.count
    }
  }

  /// Appends `text` as a quoted, escaped JSON string.
  /// - Parameters:
  ///   - text: The text.
  ///   - bytes: Where to append.
  static func appendString(_ text: String, to bytes: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    bytes.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
      case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
      case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
      case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
      case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
      case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
      case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
      case 0..<0x20:
        bytes.append(contentsOf: #"\u00"#.utf8)
        bytes.append(hex[Int(byte >> 4)])
        bytes.append(hex[Int(byte & 0x0F)])
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
