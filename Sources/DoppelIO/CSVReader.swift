import Dispatch
import DoppelCore
import Foundation

/// A streaming reader of delimited text (RFC 4180 CSV, semicolon-, tab- or pipe-separated) that
/// yields rows in chunks of text fields.
///
/// The reader reads its input in blocks (4 MiB by default) and holds one block (more only while a
/// single record is longer), the chunk being built and room for the next chunk, so files larger
/// than memory can be scanned. It reads:
/// - quoted fields holding delimiters, line breaks and doubled quotes (`""`);
/// - LF and CRLF line endings, and a last line without one; blank lines are skipped;
/// - a UTF-8 byte order mark at the start, which is skipped;
/// - gzip-compressed input, recognised by its first two bytes whatever the file is called.
///
/// An empty field, quoted or not, is the empty string, which Doppel treats as a missing value.
///
/// ```swift
/// var reader = try CSVReader(path: "data.csv")
/// while let chunk = try reader.nextChunk() {
///   // chunk.columns[c][r] is the field in column c of row r.
/// }
/// ```
///
/// Large blocks are split at likely record boundaries and parsed on up to
/// ``CSVOptions/threads`` threads; a wrong guess (a boundary inside a quoted field) is detected
/// and that part parsed again, so the rows are the same whatever the number of threads.
///
/// The reader owns an open file, so it cannot be copied; pass it `inout` or give it away.
/// Errors are ``DoppelError`` values that name the file, the line, the column and the byte offset
/// where known, and never contain field values.
public struct CSVReader: ~Copyable {
  /// The header's column names, in order; unique and non-empty.
  public private(set) var columnNames: [String] = []
  /// The name used in error messages: the path, or the name given for in-memory data.
  public let name: String
  /// The options the reader was created with.
  public let options: CSVOptions

  private var input: ByteInput
  private var buffer: UnsafeMutableRawPointer
  private var capacity: Int
  /// The first unconsumed byte: the start of the next record or blank line.
  private var start = 0
  /// One past the last valid byte.
  private var end = 0
  /// The input offset of `buffer[0]`.
  private var baseOffset = 0
  private var inputEnded = false
  /// The 1-based physical line at `start`.
  private var line = 1
  /// The parsers of a block's parts: one, or several per thread.
  private var parts: [CSVPartParser] = []
  private var finished = false
  /// The error that stopped reading; later calls throw it again.
  private var failure: DoppelError?
  private var parsedBytes = 0
  private var parsedRows = 0
  /// The rows of the chunk being read.
  private var chunk = FieldColumns(columnCount: 0, capacity: 1)
  /// Empty arrays with room for the next chunk's rows.
  private var nextColumns: [[String]] = []

  /// Opens a file and reads its header row.
  /// - Parameters:
  ///   - path: The file's path; gzip files are decompressed whatever their name.
  ///   - options: The delimiter, chunk size, block size and threads.
  /// - Throws: ``DoppelError``: `io` if the file cannot be read, `invalidArgument` for options
  ///   out of range, `emptyInput` if there is no header row, and the header's own errors
  ///   (`emptyColumnName`, `duplicateColumnName`, `invalidUTF8`, `unterminatedQuote`).
  public init(path: String, options: CSVOptions = CSVOptions()) throws {
    try CSVReader.check(options, name: path)
    let input = try ByteInput(path: path, stagingSize: CSVReader.stagingSize(options))
    try self.init(input: input, options: options)
  }

  /// Reads in-memory bytes, such as an upload, and their header row.
  /// - Parameters:
  ///   - data: The bytes of the file; gzip data is decompressed.
  ///   - name: The name to use in error messages.
  ///   - options: The delimiter, chunk size, block size and threads.
  /// - Throws: The same errors as ``init(path:options:)``.
  public init(data: [UInt8], name: String = "input", options: CSVOptions = CSVOptions()) throws {
    try CSVReader.check(options, name: name)
    let input = try ByteInput(bytes: data, name: name, stagingSize: CSVReader.stagingSize(options))
    try self.init(input: input, options: options)
  }

  /// Reads in-memory bytes, such as an upload, and their header row.
  /// - Parameters:
  ///   - data: The bytes of the file; gzip data is decompressed.
  ///   - name: The name to use in error messages.
  ///   - options: The delimiter, chunk size, block size and threads.
  /// - Throws: The same errors as ``init(path:options:)``.
  public init(data: Data, name: String = "input", options: CSVOptions = CSVOptions()) throws {
    try self.init(data: [UInt8](data), name: name, options: options)
  }

  private init(input: consuming ByteInput, options: CSVOptions) throws {
    self.name = input.name
    self.options = options
    self.input = input
    capacity = options.blockSize + (64 << 10)
    buffer = CSVReader.allocateBuffer(capacity)
    try readHeader()
  }

  deinit {
    buffer.deallocate()
  }

  /// Whether the input is gzip-compressed.
  public var isCompressed: Bool { input.isGzip }

  /// The number of bytes read from the file or buffer so far (compressed bytes for gzip input),
  /// for showing progress against the file's size.
  public var bytesRead: Int { input.rawBytesRead }

  /// Reads the next chunk of up to ``CSVOptions/rowsPerChunk`` rows.
  ///
  /// Each chunk's ``TextTable/firstLine`` is the physical line where its first record starts
  /// (line breaks inside quoted fields count), so later errors can point into the file. After an
  /// error, every later call throws the same error.
  /// - Returns: The rows, or `nil` once every row has been read.
  /// - Throws: ``DoppelError``: `raggedRow`, `unterminatedQuote`, `invalidUTF8` or `io`.
  /// - Complexity: O(*n*) in the bytes of the chunk.
  public mutating func nextChunk() throws -> TextTable? {
    if let failure { throw failure }
    if finished { return nil }
    do {
      return try readChunk()
    } catch let error as DoppelError {
      failure = error
      throw error
    }
  }

  /// Reads a whole file into one table.
  /// - Parameters:
  ///   - path: The file's path; gzip files are decompressed whatever their name.
  ///   - options: The delimiter, block size and threads; chunks are joined.
  /// - Returns: Every row of the file.
  /// - Throws: ``DoppelError``: `noRows` if the file has a header but no rows, and every error of
  ///   ``init(path:options:)`` and ``nextChunk()``.
  public static func readAll(path: String, options: CSVOptions = CSVOptions()) throws -> TextTable {
    var reader = try CSVReader(path: path, options: options)
    return try reader.readRemaining()
  }

  /// Reads in-memory bytes into one table.
  /// - Parameters:
  ///   - data: The bytes of the file; gzip data is decompressed.
  ///   - name: The name to use in error messages.
  ///   - options: The delimiter, block size and threads; chunks are joined.
  /// - Returns: Every row.
  /// - Throws: The same errors as ``readAll(path:options:)``.
  public static func readAll(
    data: [UInt8], name: String = "input", options: CSVOptions = CSVOptions()
  ) throws -> TextTable {
    var reader = try CSVReader(data: data, name: name, options: options)
    return try reader.readRemaining()
  }

  private mutating func readRemaining() throws -> TextTable {
    let headerEnd = line
    guard var table = try nextChunk() else {
      throw DoppelError(
        .noRows, "the file has a header row but no data rows; add rows or choose another file",
        context: .init(file: name, line: headerEnd))
    }
    while let chunk = try nextChunk() {
      for index in table.columns.indices {
        table.columns[index].append(contentsOf: chunk.columns[index])
      }
    }
    return table
  }
}

extension CSVReader {
  private static func check(_ options: CSVOptions, name: String) throws {
    try checkAtLeastOne(options.rowsPerChunk, "rowsPerChunk", name: name)
    try checkAtLeastOne(options.blockSize, "blockSize", name: name)
    try checkAtLeastOne(options.threads, "threads", name: name)
    guard options.blockSize <= CSVOptions.maximumBlockSize else {
      throw DoppelError(
        .invalidArgument,
        "blockSize must be at most \(CSVOptions.maximumBlockSize) (it is \(options.blockSize))",
        context: .init(file: name))
    }
  }

  private static func checkAtLeastOne(_ value: Int, _ label: String, name: String) throws {
    guard value >= 1 else {
      throw DoppelError(
        .invalidArgument, "\(label) must be at least 1 (it is \(value))", context: .init(file: name)
      )
    }
  }

  /// A buffer of `capacity` bytes plus 16 zeroed ones, so that 16 bytes can be read at any
  /// position below `capacity` (see ``FieldText/smallASCII(_:count:)``).
  private static func allocateBuffer(_ capacity: Int) -> UnsafeMutableRawPointer {
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity + 16, alignment: 16)
    buffer.initializeMemory(as: UInt8.self, repeating: 0, count: capacity + 16)
    return buffer
  }

  /// How many parts each thread's share of a block is cut into.
  private static let partsPerThread = 4

  private static func stagingSize(_ options: CSVOptions) -> Int {
    min(options.blockSize, 1 << 20)
  }

  /// Moves unconsumed bytes to the front of the buffer and reads at least one more block after
  /// them; the buffer grows when a record is longer than a block.
  private mutating func fill() throws {
    if start > 0 {
      let pending = end - start
      if pending > 0 { buffer.copyMemory(from: buffer + start, byteCount: pending) }
      baseOffset += start
      start = 0
      end = pending
    }
    // Asking for at least as much as is already buffered makes rescans of a long record cheap.
    let request = max(options.blockSize, end)
    if end + request > capacity {
      let grown = CSVReader.allocateBuffer(end + request)
      grown.copyMemory(from: buffer, byteCount: end)
      buffer.deallocate()
      buffer = grown
      capacity = end + request
    }
    let got = try input.read(
      into: UnsafeMutableRawBufferPointer(start: buffer + end, count: request))
    end += got
    if got < request { inputEnded = true }
  }

  /// Reads the header row, skipping a byte order mark and blank lines, and checks the names.
  private mutating func readHeader() throws {
    while end - start < 3 && !inputEnded { try fill() }
    let bytes = buffer.assumingMemoryBound(to: UInt8.self)
    if end - start >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
    let parser = CSVPartParser(columnCount: 1)
    while true {
      let base = UnsafePointer(buffer.assumingMemoryBound(to: UInt8.self))
      guard let position = skipBlankLines(base) else {
        try fill()
        continue
      }
      if position >= end {
        throw DoppelError(
          .emptyInput, "the file is empty: it has no header row; check that it is the right file",
          context: .init(file: name))
      }
      let (scanned, names) = parser.scanHeader(
        base, at: position, end: end, atEnd: inputEnded, delimiter: options.delimiter.rawValue)
      switch scanned {
      case .needMoreData:
        try fill()
      case .unterminatedQuote(let quoteOffset, let lineBreaks, _):
        throw DoppelError(
          .unterminatedQuote, CSVReader.unterminatedQuoteMessage,
          context: .init(file: name, line: line + lineBreaks, byteOffset: baseOffset + quoteOffset))
      case .record(let next, _, let lineBreaks, let hasNonASCII):
        if hasNonASCII, let bad = UTF8Check.firstInvalidByte(in: base, from: position, to: next) {
          var badLine = line
          for index in position..<bad where base[index] == CSVScanner.lineFeed { badLine += 1 }
          throw DoppelError(
            .invalidUTF8, CSVReader.invalidUTF8Message,
            context: .init(file: name, line: badLine, byteOffset: baseOffset + bad))
        }
        try checkNames(names)
        columnNames = names
        start = next
        line += lineBreaks
        // Several parts per thread, so that threads can share the work of a block evenly.
        let partCount = options.threads == 1 ? 1 : options.threads * CSVReader.partsPerThread
        parts = (0..<partCount).map { _ in CSVPartParser(columnCount: names.count) }
        chunk = FieldColumns(
          columnCount: names.count, capacity: min(options.rowsPerChunk, 4096))
        return
      }
    }
  }

  /// Skips blank lines at `start`, returning the start of the next record (or `end` at the end of
  /// the input), or `nil` when more data is needed to tell.
  private mutating func skipBlankLines(_ base: UnsafePointer<UInt8>) -> Int? {
    while start < end {
      let c = base[start]
      if c == CSVScanner.lineFeed {
        start += 1
        line += 1
      } else if c == CSVScanner.carriageReturn {
        if start + 1 < end {
          guard base[start + 1] == CSVScanner.lineFeed else { return start }
          start += 2
          line += 1
        } else if inputEnded {
          start += 1
        } else {
          return nil
        }
      } else {
        return start
      }
    }
    return inputEnded ? end : nil
  }

  private func checkNames(_ names: [String]) throws {
    var positions: [String: Int] = [:]
    for (index, name) in names.enumerated() {
      if name.isEmpty {
        throw DoppelError(
          .emptyColumnName,
          "column \(index + 1) of the header has an empty name; give every column a name",
          context: .init(file: self.name, line: line))
      }
      if let first = positions[name] {
        throw DoppelError(
          .duplicateColumnName,
          "columns \(first + 1) and \(index + 1) of the header have the same name; rename one",
          context: .init(file: self.name, line: line, column: name))
      }
      positions[name] = index
    }
  }

  private mutating func readChunk() throws -> TextTable? {
    let limit = options.rowsPerChunk
    chunk.truncate(to: 0)
    var firstLine = line
    while chunk.count < limit {
      let stop = try parseBlock(firstLine: &firstLine)
      if stop == .needData {
        try fill()
      } else if stop == .endOfInput {
        finished = true
        break
      }
    }
    let rows = chunk.count
    if rows == 0 { return nil }
    var columns =
      nextColumns.isEmpty ? Array(repeating: [], count: columnNames.count) : nextColumns
    chunk.moveRows(appendingTo: &columns, threads: options.threads)
    // Room for the next chunk is taken now, while this chunk's arrays are still alive: memory
    // the caller frees stays with the allocator for the next chunk instead of going back to the
    // system and being faulted in again (about a third of the time of reading otherwise).
    nextColumns = []
    if !finished {
      nextColumns = (0..<columnNames.count).map { _ in
        var column: [String] = []
        column.reserveCapacity(rows)
        return column
      }
    }
    return TextTable(columnNames: columnNames, columns: columns, firstLine: firstLine)
  }

  /// Parses the buffered bytes, on several threads when there are many, and appends the rows to
  /// the chunk.
  /// - Parameter firstLine: Set to the line of the chunk's first row when it is parsed.
  /// - Returns: Why parsing stopped.
  /// - Throws: ``DoppelError`` for the first bad record.
  private mutating func parseBlock(firstLine: inout Int) throws -> CSVPartResult.Stop {
    let bytes = UnsafePointer(buffer.assumingMemoryBound(to: UInt8.self))
    let rowsBefore = chunk.count
    let needed = options.rowsPerChunk - rowsBefore
    let delimiter = options.delimiter.rawValue
    let atEnd = inputEnded
    let bounds = partBounds(bytes, needed: needed)
    let partCount = bounds.count - 1
    let parts = self.parts
    let chunk = self.chunk
    let end = self.end
    // The first part is parsed on this thread; then this thread and the workers take the other
    // parts one at a time, so a thread that is slow (or not scheduled on a busy machine) takes
    // fewer. Workers leave fields that need heap storage to this thread (see CSVPartParser).
    let workers = DispatchGroup()
    let claims = PartClaims(first: 1, count: partCount)
    if partCount > 1 {
      nonisolated(unsafe) let bytes = bytes
      for _ in 1..<min(options.threads, partCount) {
        DispatchQueue.global().async(group: workers) {
          while let index = claims.claim() {
            let part = parts[index]
            part.parse(
              bytes, from: bounds[index], stopAt: bounds[index + 1], end: end, atEnd: atEnd,
              delimiter: delimiter, limit: needed, into: part.staging, tracksRows: true,
              defersLongFields: true)
          }
        }
      }
    }
    parts[0].parse(
      bytes, from: bounds[0], stopAt: partCount == 1 ? end : bounds[1], end: end, atEnd: atEnd,
      delimiter: delimiter, limit: needed, into: chunk, tracksRows: false,
      defersLongFields: false)
    if partCount > 1 && (parts[0].result.stop != .reachedStop || parts[0].result.next != bounds[1])
    {
      // Later parts are of no use when the first did not end where the second begins.
      claims.cancel()
    }
    while let index = claims.claim() {
      let part = parts[index]
      part.parse(
        bytes, from: bounds[index], stopAt: bounds[index + 1], end: end, atEnd: atEnd,
        delimiter: delimiter, limit: needed, into: part.staging, tracksRows: true,
        defersLongFields: false)
    }
    workers.wait()
    defer {
      for part in parts.dropFirst() { part.clearStaging() }
    }
    // Accept the parts in order while each starts where the one before it ended.
    var stop = CSVPartResult.Stop.reachedStop
    let startBefore = start
    for index in 0..<partCount {
      let part = parts[index]
      let result = part.result
      if index > 0 {
        let previous = parts[index - 1].result
        guard previous.stop == .reachedStop, previous.next == bounds[index] else { break }
      }
      if let failure = result.failure {
        chunk.truncate(to: 0)
        throw error(for: failure, partLine: line)
      }
      var taken = result.rows
      var next = result.next
      var lineBreaks = result.lineBreaks
      stop = result.stop
      if index > 0 && chunk.count + taken > options.rowsPerChunk {
        taken = options.rowsPerChunk - chunk.count
        next = taken > 0 ? part.rowEnds[taken - 1] : bounds[index]
        lineBreaks = taken > 0 ? part.rowBreaks[taken - 1] : 0
        stop = .rowLimit
      }
      let rowsBeforePart = index == 0 ? rowsBefore : chunk.count
      if taken > 0 && rowsBeforePart == 0 { firstLine = line + result.breaksBeforeFirstRow }
      if index > 0 && taken > 0 {
        let offset = chunk.count
        chunk.append(movingFrom: part.staging, rows: taken)
        part.resolveDeferred(bytes, into: chunk, rowOffset: offset, rows: taken)
      }
      start = next
      line += lineBreaks
      if stop == .rowLimit { break }
    }
    parsedBytes += start - startBefore
    parsedRows += chunk.count - rowsBefore
    return stop
  }

  /// Where the parts of the next parse begin, and where the last one stops: one part unless the
  /// buffer holds many bytes and many rows are wanted, else one per parser (several per thread),
  /// split after line feeds that are outside quotes (judged by the parity of the quotes since
  /// `start`).
  private func partBounds(_ bytes: UnsafePointer<UInt8>, needed: Int) -> [Int] {
    let partCount = parts.count
    var regionEnd = end
    if parsedRows > 0 {
      // Stop near the row limit, so other threads parse few rows that are not needed.
      let estimate = Double(parsedBytes) / Double(parsedRows) * Double(needed) * 1.02 + 4096
      if estimate < Double(end - start) { regionEnd = start + Int(estimate) }
    }
    guard partCount > 1, regionEnd - start >= options.parallelThreshold else {
      return [start, end]
    }
    var bounds = [start]
    var position = start
    var insideQuotes = false
    for part in 1..<partCount {
      let target = start + (regionEnd - start) * part / partCount
      guard target > position else { continue }
      insideQuotes = insideQuotes != CSVReader.hasOddQuotes(bytes, from: position, to: target)
      position = target
      while position < regionEnd {
        let c = bytes[position]
        position += 1
        if c == CSVOptions.quote {
          insideQuotes.toggle()
        } else if c == CSVScanner.lineFeed && !insideQuotes {
          break
        }
      }
      guard position < regionEnd else { break }
      bounds.append(position)
    }
    bounds.append(bounds.count == 1 ? end : regionEnd)
    return bounds
  }

  /// Whether `from..<to` holds an odd number of quote bytes (counted eight bytes at a time).
  private static func hasOddQuotes(_ bytes: UnsafePointer<UInt8>, from: Int, to: Int) -> Bool {
    var count = 0
    var index = from
    let raw = UnsafeRawPointer(bytes)
    let quotes: UInt64 = 0x2222_2222_2222_2222
    let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    while index + 8 <= to {
      let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ quotes
      // Exactly the zero bytes of `word` (the quotes) get their high bit set.
      let zeros = ~(((word & low7) &+ low7) | word | low7)
      count += zeros.nonzeroBitCount
      index += 8
    }
    while index < to {
      if bytes[index] == CSVOptions.quote { count += 1 }
      index += 1
    }
    return count & 1 == 1
  }

  /// The error for a failure in a part that starts at physical line `partLine`.
  private func error(for failure: CSVPartFailure, partLine: Int) -> DoppelError {
    switch failure {
    case .ragged(let lineBreaks, let offset, let found):
      return DoppelError(
        .raggedRow,
        "the row has \(found) fields but the header has \(columnNames.count); quote fields "
          + "that contain the delimiter, or add the missing fields",
        context: .init(file: name, line: partLine + lineBreaks, byteOffset: baseOffset + offset))
    case .unterminatedQuote(let lineBreaks, let offset, let field):
      return DoppelError(
        .unterminatedQuote, CSVReader.unterminatedQuoteMessage,
        context: .init(
          file: name, line: partLine + lineBreaks, column: columnName(field),
          byteOffset: baseOffset + offset))
    case .invalidUTF8(let lineBreaks, let offset, let field):
      return DoppelError(
        .invalidUTF8, CSVReader.invalidUTF8Message,
        context: .init(
          file: name, line: partLine + lineBreaks, column: columnName(field),
          byteOffset: baseOffset + offset))
    }
  }

  private func columnName(_ field: Int) -> String? {
    field < columnNames.count ? columnNames[field] : nil
  }

  private static let unterminatedQuoteMessage =
    "a quoted field starts here but its closing quote is missing; add the quote, or double "
    + "each quote inside the field"

  private static let invalidUTF8Message =
    "the bytes are not valid UTF-8; convert the file to UTF-8 (for example with iconv)"
}
