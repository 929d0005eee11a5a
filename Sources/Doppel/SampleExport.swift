import DoppelCore
import DoppelIO
import DoppelModels
import Foundation

/// The file formats a sample can be written in.
public enum SampleFormat: String, Sendable, CaseIterable, Codable {
  /// Comma (or other delimiter) separated values with a header row.
  case csv
  /// JSON Lines: one JSON object per row.
  case jsonl
}

/// Writes samples to disk in chunks, so memory stays flat however many rows are asked for.
public enum SampleExport {
  /// The rows generated and written at a time.
  public static let chunkRows = 65_536

  /// Samples rows from a model and writes them to a file, atomically.
  ///
  /// The rows written are `shard.range(of: rows)` of the run (all rows without a shard); the
  /// output appears under `path` only when every row is written.
  /// - Parameters:
  ///   - model: A fitted model.
  ///   - rows: The rows of the whole run.
  ///   - seed: The sampling seed.
  ///   - shard: Which slice to write, or `nil` for all.
  ///   - format: CSV or JSON Lines.
  ///   - path: The output file.
  ///   - options: The CSV delimiter.
  ///   - progress: Receives rows written.
  /// - Returns: The number of rows written.
  /// - Throws: ``DoppelError`` when sampling or writing fails; nothing is left at `path` then.
  @discardableResult
  public static func write(
    model: any FittedModel, rows: Int, seed: UInt64, shard: ShardSpec? = nil,
    format: SampleFormat = .csv, to path: String, options: CSVOptions = CSVOptions(),
    progress: ProgressReporter? = nil
  ) throws -> Int {
    guard rows >= 0 else {
      throw DoppelError(.invalidArgument, "the number of rows must be 0 or more")
    }
    let range = shard?.range(of: rows) ?? 0..<rows
    let names = model.metadata.columnNames
    // The writers are non-copyable and remove their temporary file when dropped unfinished.
    switch format {
    case .csv:
      var writer = try CSVWriter(path: path, columnNames: names, options: options)
      try forEachEncodedBatch(
        model: model, range: range, seed: seed, options: options, progress: progress
      ) { try writer.writeEncodedRows($0) }
      try writer.finish()
    case .jsonl:
      var writer = try JSONLinesWriter(
        path: path, columnNames: names, styles: model.metadata.columns.map(\.jsonStyle))
      try forEachChunk(model: model, range: range, seed: seed, progress: progress) {
        try writer.write($0)
      }
      try writer.finish()
    }
    return range.count
  }

  /// Samples rows that meet conditions, or follow a rebalanced label distribution, and writes them
  /// to a file, atomically.
  ///
  /// Without conditions and rebalancing this is the ordinary ``write(model:rows:seed:shard:format:to:options:progress:)``.
  /// - Parameters:
  ///   - model: A fitted model.
  ///   - rows: The number of rows.
  ///   - seed: The sampling seed.
  ///   - conditions: Conditions every row must meet (see ``ConditionalSampler``).
  ///   - rebalance: A label column and class shares (see ``RebalancedSampler``), if any.
  ///   - format: CSV or JSON Lines.
  ///   - path: The output file.
  ///   - options: The CSV delimiter.
  ///   - progress: Receives rows written.
  /// - Returns: The number of rows written.
  /// - Throws: ``DoppelError`` when the conditions cannot be met or writing fails; nothing is left
  ///   at `path` then.
  @discardableResult
  public static func write(
    model: any FittedModel, rows: Int, seed: UInt64, conditions: [SamplingCondition],
    rebalance: RebalanceTarget?, format: SampleFormat = .csv, to path: String,
    options: CSVOptions = CSVOptions(), progress: ProgressReporter? = nil
  ) throws -> Int {
    if conditions.isEmpty && rebalance == nil {
      return try write(
        model: model, rows: rows, seed: seed, format: format, to: path, options: options,
        progress: progress)
    }
    guard rows >= 0 else {
      throw DoppelError(.invalidArgument, "the number of rows must be 0 or more")
    }
    // Resolve everything before creating the output file.
    var next: (Int) throws -> Table?
    if let rebalance {
      var sampler = try RebalancedSampler(
        model: model, target: rebalance, rows: rows, seed: seed, conditions: conditions)
      next = { try sampler.next($0) }
    } else {
      var sampler = try ConditionalSampler(model: model, conditions: conditions, seed: seed)
      var left = rows
      next = { limit in
        guard left > 0 else { return nil }
        let count = min(limit, left)
        left -= count
        return try sampler.next(count)
      }
    }
    let names = model.metadata.columnNames
    var written = 0
    switch format {
    case .csv:
      var writer = try CSVWriter(path: path, columnNames: names, options: options)
      while let chunk = try next(chunkRows) {
        try writer.write(TextTable(table: chunk))
        written += chunk.rowCount
        progress?.report("sampling rows", written, of: rows)
      }
      try writer.finish()
    case .jsonl:
      var writer = try JSONLinesWriter(
        path: path, columnNames: names, styles: model.metadata.columns.map(\.jsonStyle))
      while let chunk = try next(chunkRows) {
        try writer.write(TextTable(table: chunk))
        written += chunk.rowCount
        progress?.report("sampling rows", written, of: rows)
      }
      try writer.finish()
    }
    return written
  }

  /// Samples and encodes up to one chunk per processor at a time on separate threads, then hands
  /// the encoded chunks to `body` in row order. Output is identical whatever the thread count,
  /// because every chunk is a fixed row range of the deterministic sample.
  private static func forEachEncodedBatch(
    model: any FittedModel, range: Range<Int>, seed: UInt64, options: CSVOptions,
    progress: ProgressReporter?, _ body: ([UInt8]) throws -> Void
  ) throws {
    let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    var start = range.lowerBound
    while start < range.upperBound {
      var ranges: [Range<Int>] = []
      var next = start
      while ranges.count < workers && next < range.upperBound {
        let end = min(next + chunkRows, range.upperBound)
        ranges.append(next..<end)
        next = end
      }
      let results = ChunkResults(count: ranges.count)
      let batch = ranges
      DispatchQueue.concurrentPerform(iterations: batch.count) { index in
        results.set(
          index,
          Result {
            try CSVWriter.encodeRows(
              TextTable(table: model.sample(range: batch[index], seed: seed)), options: options)
          })
      }
      for index in 0..<ranges.count {
        try body(results.get(index))
      }
      start = next
      progress?.report("sampling rows", start - range.lowerBound, of: range.count)
    }
  }

  private static func forEachChunk(
    model: any FittedModel, range: Range<Int>, seed: UInt64, progress: ProgressReporter?,
    _ body: (TextTable) throws -> Void
  ) throws {
    var start = range.lowerBound
    while start < range.upperBound {
      let end = min(start + chunkRows, range.upperBound)
      try body(TextTable(table: model.sample(range: start..<end, seed: seed)))
      start = end
      progress?.report("sampling rows", start - range.lowerBound, of: range.count)
    }
  }
}

extension ColumnMetadata {
  /// How the column's values are written in JSON Lines.
  var jsonStyle: JSONFieldStyle {
    switch kind {
    case .numerical: return .number
    case .boolean(let spelling): return .boolean(trueText: spelling.trueText)
    default: return .string
    }
  }
}

/// Results of chunks encoded on several threads, each slot written by exactly one thread.
private final class ChunkResults: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<[UInt8], any Error>?]

  init(count: Int) {
    slots = Array(repeating: nil, count: count)
  }

  func set(_ index: Int, _ result: Result<[UInt8], any Error>) {
    lock.lock()
    slots[index] = result
    lock.unlock()
  }

  func get(_ index: Int) throws -> [UInt8] {
    lock.lock()
    let slot = slots[index]
    lock.unlock()
    guard let slot else {
      throw DoppelError(.io, "a sampled chunk was not produced; sample again")
    }
    return try slot.get()
  }
}
