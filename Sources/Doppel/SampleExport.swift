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
    return try write(
      metadata: model.metadata, range: shard?.range(of: rows) ?? 0..<rows, format: format,
      to: path, options: options, progress: progress
    ) { try model.sample(range: $0, seed: seed) }
  }

  /// Partially synthesizes real rows with a partial CART model and writes them, atomically.
  ///
  /// The output has one row per real row (`shard.range(of: real.rowCount)` of them with a
  /// shard): kept columns copied, the others drawn given the kept values.
  /// - Parameters:
  ///   - model: A fitted CART model.
  ///   - real: The real rows.
  ///   - seed: The sampling seed.
  ///   - shard: Which slice to write, or `nil` for all.
  ///   - format: CSV or JSON Lines.
  ///   - path: The output file.
  ///   - options: The CSV delimiter.
  ///   - progress: Receives rows written.
  /// - Returns: The number of rows written.
  /// - Throws: ``DoppelError`` when the real rows lack a kept column, or sampling or writing
  ///   fails; nothing is left at `path` then.
  @discardableResult
  public static func write(
    model: CARTModel, conditionedOn real: Table, seed: UInt64, shard: ShardSpec? = nil,
    format: SampleFormat = .csv, to path: String, options: CSVOptions = CSVOptions(),
    progress: ProgressReporter? = nil
  ) throws -> Int {
    let range = shard?.range(of: real.rowCount) ?? 0..<real.rowCount
    // Checks the kept columns before any file is created.
    _ = try model.sample(
      conditionedOn: real, range: range.lowerBound..<range.lowerBound, seed: seed)
    return try write(
      metadata: model.metadata, range: range, format: format, to: path, options: options,
      progress: progress
    ) { try model.sample(conditionedOn: real, range: $0, seed: seed) }
  }

  private static func write(
    metadata: TableMetadata, range: Range<Int>, format: SampleFormat, to path: String,
    options: CSVOptions, progress: ProgressReporter?,
    sampler: @escaping @Sendable (Range<Int>) throws -> Table
  ) throws -> Int {
    let names = metadata.columnNames
    // The writers are non-copyable and remove their temporary file when dropped unfinished.
    switch format {
    case .csv:
      var writer = try CSVWriter(path: path, columnNames: names, options: options)
      try forEachEncodedBatch(
        sampler: sampler, range: range, options: options, progress: progress
      ) { try writer.writeEncodedRows($0) }
      try writer.finish()
    case .jsonl:
      var writer = try JSONLinesWriter(
        path: path, columnNames: names, styles: metadata.columns.map(\.jsonStyle))
      try forEachChunk(sampler: sampler, range: range, progress: progress) {
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
    sampler: @escaping @Sendable (Range<Int>) throws -> Table, range: Range<Int>,
    options: CSVOptions, progress: ProgressReporter?, _ body: ([UInt8]) throws -> Void
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
              TextTable(table: sampler(batch[index])), options: options)
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
    sampler: (Range<Int>) throws -> Table, range: Range<Int>, progress: ProgressReporter?,
    _ body: (TextTable) throws -> Void
  ) throws {
    var start = range.lowerBound
    while start < range.upperBound {
      let end = min(start + chunkRows, range.upperBound)
      try body(TextTable(table: sampler(start..<end)))
      start = end
      progress?.report("sampling rows", start - range.lowerBound, of: range.count)
    }
  }
}

extension ColumnMetadata {
  /// How the column's values are written in JSON Lines: numbers bare, booleans as `true` or
  /// `false`, everything else as strings.
  public var jsonStyle: JSONFieldStyle {
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
