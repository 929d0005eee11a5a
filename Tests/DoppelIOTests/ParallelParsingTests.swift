import DoppelCore
import Testing

@testable import DoppelIO

@Suite("parallel parsing")
struct ParallelParsingTests {
  /// Options that split even small blocks between threads.
  func options(threads: Int, rowsPerChunk: Int = 50, blockSize: Int = 4096) -> CSVOptions {
    var options = CSVOptions(rowsPerChunk: rowsPerChunk, blockSize: blockSize, threads: threads)
    options.parallelThreshold = 64
    return options
  }

  /// Where two chunk lists first differ, or `nil` when they are equal (short failure messages).
  func firstDifference(_ left: [TextTable], _ right: [TextTable]) -> String? {
    guard left.count == right.count else { return "\(left.count) chunks, not \(right.count)" }
    for (index, (a, b)) in zip(left, right).enumerated() where a != b {
      guard a.firstLine == b.firstLine, a.rowCount == b.rowCount else {
        return
          "chunk \(index): line \(a.firstLine), \(a.rowCount) rows, not \(b.firstLine), \(b.rowCount)"
      }
      let row = (0..<a.rowCount).first { row in
        a.columns.map { $0[row] } != b.columns.map { $0[row] }
      }
      return "chunk \(index), row \(row ?? -1) differs"
    }
    return nil
  }

  /// A random CSV with quoted delimiters, quoted line breaks, doubled quotes, blank lines,
  /// CRLF endings, stray quotes inside unquoted fields, non-ASCII text and fields longer than
  /// 15 bytes (which parallel parts leave to the reader's thread).
  func randomCSV(seed: UInt64, rows: Int) -> String {
    var random = SeededGenerator(seed: seed)
    let pieces = [
      "plain", "1.5", "", "\"a,b\"", "\"two\nlines\"", "\"say \"\"hi\"\"\"", "x\"y", "\"\"",
      "\"\n\n\"", "é€", "\"r\r\nn\"", "a field longer than fifteen bytes",
      "\"quoted, and long enough\"",
    ]
    var text = "a,b,c\n"
    for _ in 0..<rows {
      let fields = (0..<3).map { _ in pieces[random.nextInt(below: pieces.count)] }
      text += fields.joined(separator: ",")
      text += random.nextInt(below: 4) == 0 ? "\r\n" : "\n"
      if random.nextInt(below: 20) == 0 { text += "\n" }
    }
    return text
  }

  @Test("any number of threads gives the same chunks as one thread", arguments: [1, 2, 3, 4])
  func sameChunks(seed: UInt64) throws {
    let data = bytes(randomCSV(seed: seed, rows: 2_000))
    let serial = try readChunks(data, options: options(threads: 1))
    #expect(serial.reduce(0) { $0 + $1.rowCount } == 2_000)
    for threads in [2, 3, 4] {
      for (rowsPerChunk, blockSize) in [(50, 4096), (700, 1000), (5000, 1 << 20)] {
        let parallel = try readChunks(
          data, options: options(threads: threads, rowsPerChunk: rowsPerChunk, blockSize: blockSize)
        )
        let serialSame = try readChunks(
          data, options: options(threads: 1, rowsPerChunk: rowsPerChunk, blockSize: blockSize))
        #expect(
          firstDifference(parallel, serialSame) == nil,
          "threads \(threads), chunk \(rowsPerChunk), block \(blockSize)")
      }
    }
  }

  @Test("large chunks are moved into their arrays by several threads with the same result")
  func largeChunks() throws {
    let data = bytes(randomCSV(seed: 5, rows: 30_000))
    let serial = try readChunks(data, options: options(threads: 1, rowsPerChunk: 25_000))
    let parallel = try readChunks(
      data, options: options(threads: 2, rowsPerChunk: 25_000, blockSize: 1 << 16))
    #expect(serial.map(\.rowCount) == [25_000, 5_000])
    #expect(firstDifference(parallel, serial) == nil)
  }

  @Test("an unbounded chunk size reads the whole input as one chunk")
  func unboundedChunk() throws {
    let data = bytes(randomCSV(seed: 6, rows: 3_000))
    for threads in [1, 2] {
      let chunks = try readChunks(
        data, options: options(threads: threads, rowsPerChunk: .max, blockSize: 1000))
      #expect(chunks.map(\.rowCount) == [3_000])
    }
  }

  @Test("a split guessed inside a quoted field is detected and parsed again")
  func wrongGuess() throws {
    // A stray quote in an unquoted field makes the quote parity wrong for everything after it.
    var text = "a,b\nx\"y,1\n"
    for index in 0..<300 { text += "\(index),\"q\nr\"\n" }
    let serial = try readChunks(bytes(text), options: options(threads: 1, rowsPerChunk: 1000))
    let parallel = try readChunks(bytes(text), options: options(threads: 2, rowsPerChunk: 1000))
    #expect(firstDifference(parallel, serial) == nil)
    #expect(serial.first?.rowCount == 301)
  }

  @Test("errors found by a later thread name the same line as one thread does")
  func errorLines() throws {
    var text = randomCSV(seed: 9, rows: 1_000)
    text += "only,two\n"
    text += randomCSV(seed: 10, rows: 50).dropFirst(6)
    let serial = doppelError { _ = try readChunks(bytes(text), options: options(threads: 1)) }
    let parallel = doppelError {
      _ = try readChunks(bytes(text), options: options(threads: 4, rowsPerChunk: 5000))
    }
    #expect(serial?.code == .raggedRow)
    #expect(parallel == serial)
  }
}
