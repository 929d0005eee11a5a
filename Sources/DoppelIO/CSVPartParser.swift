/// Parses the records in one range of the reader's buffer into column buffers.
///
/// The reader splits a large buffer into parts at likely record boundaries and parses them on
/// several threads, one parser per part. Each parser has its own span buffer, scratch space and
/// staging columns, and is used by one thread at a time, which is why it is `@unchecked Sendable`.
///
/// When parts run in parallel, fields that need heap storage (more than 15 bytes, non-ASCII or
/// with doubled quotes) are left empty and listed in ``deferred``; the reader's thread makes them
/// after the parts finish. The caller frees the strings of a chunk, and memory allocated and freed
/// on the same thread is much cheaper with the common allocators than memory passed between
/// threads.
final class CSVPartParser: @unchecked Sendable {
  private var spans: UnsafeMutablePointer<FieldSpan>
  private var spanCapacity: Int
  private var scratch: [UInt8] = []
  /// Rows parsed by a part other than the first, waiting to be moved to the chunk.
  let staging: FieldColumns
  /// For each staged row, the position after it.
  var rowEnds: [Int] = []
  /// For each staged row, the line feeds from the part's start to the end of the row.
  var rowBreaks: [Int] = []
  /// Fields left empty by a parallel parse, to be made by
  /// ``resolveDeferred(_:into:rowOffset:rows:)``.
  var deferred: [DeferredField] = []
  /// Whether short ASCII fields may be built by ``FieldText/smallASCII(_:count:)``; the buffer
  /// must then have 16 readable bytes after its end.
  private let fastSmall = FieldText.smallStringsMatch
  /// The result of the latest parse.
  var result = CSVPartResult(next: 0)

  /// Creates a parser for records of `columnCount` fields.
  /// - Parameter columnCount: The header's number of fields.
  init(columnCount: Int) {
    spanCapacity = max(columnCount, 1)
    spans = .allocate(capacity: spanCapacity)
    staging = FieldColumns(columnCount: columnCount, capacity: 64)
  }

  deinit {
    spans.deallocate()
  }

  /// Parses records that start before `stopAt` and appends their fields to `output`.
  /// - Parameters:
  ///   - bytes: The reader's buffer.
  ///   - from: A record boundary where parsing starts.
  ///   - stopAt: No record starting at or after this position is parsed.
  ///   - end: One past the last valid byte.
  ///   - atEnd: Whether the input ends at `end`.
  ///   - delimiter: The field separator.
  ///   - limit: The most rows to parse.
  ///   - output: The columns to append rows to.
  ///   - tracksRows: Whether to record each row's end in ``rowEnds`` and ``rowBreaks``.
  ///   - defersLongFields: Whether to list fields that need heap storage in ``deferred`` and
  ///     append an empty string for now.
  func parse(
    _ bytes: UnsafePointer<UInt8>, from: Int, stopAt: Int, end: Int, atEnd: Bool,
    delimiter: UInt8, limit: Int, into output: FieldColumns, tracksRows: Bool,
    defersLongFields: Bool
  ) {
    let columnCount = output.columnCount
    var row = output.count
    var capacity = output.capacity
    var columns = output.bases
    let spans = self.spans
    let spanCapacity = self.spanCapacity
    let fastSmall = self.fastSmall
    var result = CSVPartResult(next: from)
    var position = from
    var lineBreaks = 0
    // Local copies of the lists, so appends in the loop need no exclusivity checks.
    var deferred = self.deferred
    var rowEnds = self.rowEnds
    var rowBreaks = self.rowBreaks
    self.deferred = []
    self.rowEnds = []
    self.rowBreaks = []
    defer {
      output.setCount(row)
      result.next = position
      result.lineBreaks = lineBreaks
      self.result = result
      self.deferred = deferred
      self.rowEnds = rowEnds
      self.rowBreaks = rowBreaks
    }
    while true {
      if position >= end {
        result.stop = atEnd ? .endOfInput : .needData
        return
      }
      if position >= stopAt {
        result.stop = .reachedStop
        return
      }
      if result.rows >= limit {
        result.stop = .rowLimit
        return
      }
      // Blank lines are skipped one at a time, so a part never runs past its stop position.
      let first = bytes[position]
      if first == CSVScanner.lineFeed || first == CSVScanner.carriageReturn {
        if first == CSVScanner.lineFeed {
          position += 1
          lineBreaks += 1
          if result.rows == 0 { result.breaksBeforeFirstRow = lineBreaks }
          continue
        }
        if position + 1 < end {
          if bytes[position + 1] == CSVScanner.lineFeed {
            position += 2
            lineBreaks += 1
            if result.rows == 0 { result.breaksBeforeFirstRow = lineBreaks }
            continue
          }
        } else if atEnd {
          position += 1
          continue
        } else {
          result.stop = .needData
          return
        }
      }
      let scanned = CSVScanner.scanRecord(
        bytes, at: position, end: end, atEnd: atEnd, delimiter: delimiter, spans: spans,
        spanCapacity: spanCapacity)
      switch scanned {
      case .needMoreData:
        result.stop = .needData
        return
      case .unterminatedQuote(let quoteOffset, let breaks, let field):
        result.failure = .unterminatedQuote(
          lineBreaks: lineBreaks + breaks, offset: quoteOffset, field: field)
        return
      case .record(let next, let fieldCount, let breaks, let hasNonASCII):
        guard fieldCount == columnCount else {
          result.failure = .ragged(lineBreaks: lineBreaks, offset: position, found: fieldCount)
          return
        }
        if hasNonASCII,
          let bad = UTF8Check.firstInvalidByte(in: bytes, from: position, to: next)
        {
          var badBreaks = lineBreaks
          for index in position..<bad where bytes[index] == CSVScanner.lineFeed { badBreaks += 1 }
          var field = 0
          for index in 0..<fieldCount where spans[index].start <= bad { field = index }
          result.failure = .invalidUTF8(lineBreaks: badBreaks, offset: bad, field: field)
          return
        }
        if row == capacity {
          output.setCount(row)
          output.reserve(row * 2)
          capacity = output.capacity
          columns = output.bases
        }
        if defersLongFields {
          for index in 0..<columnCount {
            let span = spans[index]
            let count = span.end &- span.start
            let field: String
            if count == 0 {
              field = ""
            } else if fastSmall && !hasNonASCII && count < 16 && !span.needsUnescape {
              field = FieldText.smallASCII(bytes + span.start, count: count)
            } else {
              deferred.append(DeferredField(column: index, row: row, span: span))
              field = ""
            }
            (columns[index] + row).initialize(to: field)
          }
        } else if fastSmall && !hasNonASCII {
          for index in 0..<columnCount {
            let span = spans[index]
            let count = span.end &- span.start
            let field: String
            if count > 0 && count < 16 && !span.needsUnescape {
              field = FieldText.smallASCII(bytes + span.start, count: count)
            } else {
              field = value(bytes, span)
            }
            (columns[index] + row).initialize(to: field)
          }
        } else {
          for index in 0..<columnCount {
            (columns[index] + row).initialize(to: value(bytes, spans[index]))
          }
        }
        row += 1
        result.rows += 1
        position = next
        lineBreaks += breaks
        if tracksRows {
          rowEnds.append(position)
          rowBreaks.append(lineBreaks)
        }
      }
    }
  }

  /// Scans the header record at `position`, growing the span buffer when it has more fields.
  /// - Parameters:
  ///   - bytes: The reader's buffer.
  ///   - position: The first byte of the header (not a blank line).
  ///   - end: One past the last valid byte.
  ///   - atEnd: Whether the input ends at `end`.
  ///   - delimiter: The field separator.
  /// - Returns: The scan result, and the names when a whole record was found.
  func scanHeader(
    _ bytes: UnsafePointer<UInt8>, at position: Int, end: Int, atEnd: Bool, delimiter: UInt8
  ) -> (ScanResult, [String]) {
    while true {
      let scanned = CSVScanner.scanRecord(
        bytes, at: position, end: end, atEnd: atEnd, delimiter: delimiter, spans: spans,
        spanCapacity: spanCapacity)
      guard case .record(_, let fieldCount, _, _) = scanned else { return (scanned, []) }
      if fieldCount > spanCapacity {
        spans.deallocate()
        spanCapacity = fieldCount
        spans = .allocate(capacity: spanCapacity)
        continue
      }
      return (scanned, (0..<fieldCount).map { value(bytes, spans[$0]) })
    }
  }

  /// The start of field `index` of the last scanned record.
  /// - Parameter index: A field index below the last record's field count.
  /// - Returns: The position of the field's first byte (or opening quote).
  func fieldStart(_ index: Int) -> Int {
    spans[index].start
  }

  /// Makes the fields listed in ``deferred`` whose rows were kept, and empties the list.
  /// - Parameters:
  ///   - bytes: The reader's buffer, unchanged since the parse.
  ///   - columns: The columns the rows now live in.
  ///   - rowOffset: Where row 0 of the parse's output now is in `columns`.
  ///   - rows: How many parsed rows were kept; fields of later rows are dropped.
  func resolveDeferred(
    _ bytes: UnsafePointer<UInt8>, into columns: FieldColumns, rowOffset: Int, rows: Int
  ) {
    let bases = columns.bases
    for field in deferred where field.row < rows {
      (bases[field.column] + rowOffset + field.row).pointee = value(bytes, field.span)
    }
    deferred.removeAll(keepingCapacity: true)
  }

  /// Empties ``staging``, ``rowEnds``, ``rowBreaks`` and ``deferred``, keeping their capacity.
  func clearStaging() {
    staging.truncate(to: 0)
    rowEnds.removeAll(keepingCapacity: true)
    rowBreaks.removeAll(keepingCapacity: true)
    deferred.removeAll(keepingCapacity: true)
  }

  @inline(__always)
  private func value(_ bytes: UnsafePointer<UInt8>, _ span: FieldSpan) -> String {
    if span.needsUnescape { return CSVScanner.unescape(bytes, span, scratch: &scratch) }
    if span.start == span.end { return "" }
    return String(
      decoding: UnsafeBufferPointer(start: bytes + span.start, count: span.end - span.start),
      as: UTF8.self)
  }
}
