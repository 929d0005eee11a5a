import DoppelCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shared pieces of the training loops: epoch orders, thread set-up, input checks.
enum Training {
  /// The rows of one epoch in a random order drawn from (seed, label, epoch).
  static func permutation(rows: Int, seed: UInt64, label: String, epoch: Int) -> [Int] {
    var order = Array(0..<rows)
    var random = SeededGenerator(seed: seed, label: label, index: UInt64(epoch))
    if rows > 1 {
      for i in stride(from: rows - 1, to: 0, by: -1) {
        order.swapAt(i, random.nextInt(below: i + 1))
      }
    }
    return order
  }

  /// Runs a fit with `requested` BLAS threads, or every core when 0, for this task only (see
  /// ``Kernels/threadCount``).
  static func withThreads<T>(_ requested: Int, _ body: () async throws -> T) async throws -> T {
    let count = requested > 0 ? requested : ProcessInfo.processInfo.activeProcessorCount
    return try await Kernels.$threadCount.withValue(count) { try await body() }
  }

  /// Checks that a table can be trained on.
  static func check(_ table: Table, metadata: TableMetadata, kind: String) throws {
    guard table.rowCount > 0 else {
      throw DoppelError(.noRows, "the table has no rows; \(kind) needs at least one row to train")
    }
    guard table.columnNames == metadata.columns.map(\.name) else {
      throw DoppelError(
        .schemaMismatch, "the table's columns do not match the metadata's columns")
    }
    for (column, entry) in zip(table.columns, metadata.columns)
    where column.kind.storage != entry.kind.storage {
      throw DoppelError(
        .schemaMismatch, "the column's storage does not match its kind in the metadata",
        context: .init(column: column.name))
    }
  }

  /// Checks that a model's encoded columns are its metadata's columns: the same names in the same
  /// order, each encoded for its storage, and any pooled categories usable (only on categorical
  /// columns, with one positive count per label).
  /// - Parameters:
  ///   - columns: Each encoded column's name, role and pooled categories.
  ///   - metadata: The model's metadata.
  /// - Throws: ``DoppelError`` `corruptModel`, naming the column when one does not match.
  static func checkEncoding(
    _ columns: [(name: String, role: EncodedColumn.Role, pooled: PooledCategories?)],
    against metadata: TableMetadata
  ) throws {
    guard columns.count == metadata.columns.count,
      zip(columns, metadata.columns).allSatisfy({ $0.name == $1.name })
    else {
      throw DoppelError(.corruptModel, "the model's columns do not match its metadata")
    }
    for (column, entry) in zip(columns, metadata.columns) {
      guard column.role.storage == entry.kind.storage else {
        throw DoppelError(
          .corruptModel, "a column's encoding does not match its kind",
          context: .init(column: column.name))
      }
      if let pooled = column.pooled {
        guard column.role == .categorical, pooled.isConsistent else {
          throw DoppelError(
            .corruptModel, "a column's pooled categories are damaged",
            context: .init(column: column.name))
        }
      }
    }
  }

  /// Stops a fit whose losses are no longer finite, before a diverged state is checkpointed or
  /// returned as a model.
  /// - Parameters:
  ///   - finite: Whether the epoch's losses are finite.
  ///   - epoch: The epoch just finished, counted from 1.
  /// - Throws: ``DoppelError`` `fitFailed` naming the epoch.
  static func checkFinite(_ finite: Bool, epoch: Int) throws {
    guard finite else {
      throw DoppelError(
        .fitFailed,
        "training diverged in epoch \(epoch): the loss is not a finite number; lower learningRate or use fewer epochs (the last checkpoint, if any, is from the epoch before)"
      )
    }
  }

  /// The processor time of the process so far, in seconds.
  static func processorSeconds() -> Double {
    Double(clock()) / Double(CLOCKS_PER_SEC)
  }

  /// The mean wall-clock and processor seconds per epoch so far, for progress details.
  static func secondsPerEpoch(_ started: Date, cpuStarted: Double, epochs: Int) -> String {
    guard epochs > 0 else { return "" }
    return String(
      format: ", %.2f s/epoch (cpu %.2f s/epoch)",
      Date().timeIntervalSince(started) / Double(epochs),
      (processorSeconds() - cpuStarted) / Double(epochs))
  }

  /// Rounds a loss for display.
  static func format(_ x: Float) -> String { String(format: "%.4f", Double(x)) }
}

/// A stack of fully connected layers with ReLU between them, as the TVAE encoder and decoder.
final class ReLUStack: @unchecked Sendable {
  let layers: [Linear]

  init(widths: [Int], random: inout SeededGenerator) {
    var layers: [Linear] = []
    for k in 0..<(widths.count - 1) {
      layers.append(Linear(widths[k], widths[k + 1], random: &random))
    }
    self.layers = layers
  }

  /// Applies the layers; ReLU after every layer but the last unless `reluLast`.
  func callAsFunction(_ x: Variable, reluLast: Bool = false) -> Variable {
    var h = x
    for (k, layer) in layers.enumerated() {
      h = layer(h)
      if k < layers.count - 1 || reluLast { h = relu(h) }
    }
    return h
  }

  var parameters: [Variable] { layers.flatMap(\.parameters) }
}
