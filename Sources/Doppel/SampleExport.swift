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
      try forEachChunk(model: model, range: range, seed: seed, progress: progress) {
        try writer.write($0)
      }
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
