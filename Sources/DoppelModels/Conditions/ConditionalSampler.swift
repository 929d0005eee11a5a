import DoppelCore
import Foundation

/// A fitted model that can propose rows already shaped by conditions, which is much faster than
/// rejecting unconditional rows when a condition is rare.
///
/// Proposals must be deterministic by position, like ``FittedModel/sample(range:seed:)``: the
/// rows proposed for a range are the same however the positions are split into calls.
public protocol ConditionalSampling: FittedModel {
  /// The labels a categorical or boolean column can take, if the model knows them.
  /// - Parameter column: The column index.
  /// - Returns: The labels, or `nil` for other columns.
  func conditionLabels(ofColumn column: Int) -> [String]?

  /// Throws when the conditions cannot be met under this model at all.
  /// - Parameter conditions: Resolved conditions.
  /// - Throws: ``DoppelError`` `impossibleCondition`.
  func checkConditions(_ conditions: [ResolvedCondition]) throws

  /// Proposes the rows at positions `range` of the conditional stream for `seed`, returning only
  /// those that the model's own acceptance step kept, in position order.
  /// - Parameters:
  ///   - range: Proposal positions.
  ///   - seed: The sampling seed.
  ///   - conditions: Resolved conditions.
  /// - Returns: The kept rows (at most `range.count`).
  /// - Throws: ``DoppelError`` when sampling fails.
  func proposeRows(range: Range<Int>, seed: UInt64, given conditions: [ResolvedCondition]) throws
    -> Table
}

/// Samples rows that meet conditions such as `smoker=yes` or `age>=60`, from any fitted model.
///
/// Models that conform to ``ConditionalSampling`` propose rows that already (or nearly) meet the
/// conditions; for others, rows of the model's ordinary sample are kept when they meet every
/// condition (rejection sampling; von Neumann, "Various techniques used in connection with random
/// digits", 1951). Either way each kept row is checked against every condition, proposals are
/// made in batches sized from the acceptance rate seen so far, and the rows returned are the
/// first matching rows of a fixed proposal sequence — so the result depends only on the model,
/// the conditions, the seed and the number of rows, not on batch sizes or thread count.
///
/// When no proposal out of ``zeroAcceptanceLimit`` matches, or the rows needed would take more
/// than ``proposalLimit`` proposals, sampling stops with an `impossibleCondition` error that says
/// how many rows were found.
public struct ConditionalSampler: Sendable {
  /// The proposals tried before giving up when none has matched.
  public static let zeroAcceptanceLimit = 1_000_000
  /// The most proposals tried for one sampler.
  public static let proposalLimit = 50_000_000
  /// The smallest batch of proposals.
  static let minimumBatch = 4096
  /// The largest batch of proposals.
  static let maximumBatch = 1 << 20

  /// The model sampled from.
  public let model: any FittedModel
  /// The conditions, resolved against the model's metadata.
  public let conditions: [ResolvedCondition]
  /// The sampling seed.
  public let seed: UInt64

  private var position = 0
  private var acceptedTotal = 0
  private var buffer: Table?

  /// Resolves conditions against a model and checks that they can be met.
  /// - Parameters:
  ///   - model: A fitted model.
  ///   - conditions: At least one condition.
  ///   - seed: The sampling seed.
  /// - Throws: ``DoppelError`` from ``SamplingCondition/resolve(in:)``, or `impossibleCondition`
  ///   when the model can tell at once that no row can match.
  public init(model: any FittedModel, conditions: [SamplingCondition], seed: UInt64) throws {
    self.model = model
    self.seed = seed
    let resolved = try conditions.map { try $0.resolve(in: model.metadata) }
    self.conditions = resolved
    try Self.checkLabels(model: model, conditions: resolved)
    if let conditional = model as? any ConditionalSampling {
      try conditional.checkConditions(resolved)
    }
  }

  /// The number of proposals made so far.
  public var proposalsMade: Int { position }

  /// Returns the next `rows` rows that meet every condition.
  /// - Parameter rows: The rows wanted, at least 0.
  /// - Returns: A table of exactly `rows` rows.
  /// - Throws: ``DoppelError`` `impossibleCondition` when matching rows are too rare to find.
  public mutating func next(_ rows: Int) throws -> Table {
    var have = buffer?.rowCount ?? 0
    while have < rows {
      let needed = rows - have
      if acceptedTotal == 0 && position >= Self.zeroAcceptanceLimit {
        throw DoppelError(
          .impossibleCondition,
          "no sampled row met the conditions in \(position) tries; the conditions are impossible or rarer than 1 in \(position) under this model — loosen them"
        )
      }
      if position >= Self.proposalLimit {
        let rate = Double(acceptedTotal) / Double(max(position, 1))
        throw DoppelError(
          .impossibleCondition,
          "only \(acceptedTotal) rows met the conditions in \(position) tries (about 1 in \(Int((1 / max(rate, 1e-12)).rounded()))); ask for fewer rows or loosen the conditions"
        )
      }
      let rate = Double(acceptedTotal + 1) / Double(position + 1)
      var batch = Int(min(Double(Self.maximumBatch), Double(needed) / rate * 1.25))
      batch = min(max(batch, Self.minimumBatch), Self.maximumBatch)
      batch = (batch + Self.minimumBatch - 1) / Self.minimumBatch * Self.minimumBatch
      let range = position..<(position + batch)
      let kept = try propose(range)
      position = range.upperBound
      acceptedTotal += kept.rowCount
      if buffer == nil {
        buffer = kept
      } else {
        try buffer?.append(kept)
      }
      have = buffer?.rowCount ?? 0
    }
    guard let full = buffer else {
      return try model.sample(range: 0..<0, seed: seed)
    }
    let result = full.slice(0..<rows)
    buffer = full.slice(rows..<full.rowCount)
    return result
  }

  /// Proposes a batch on all cores, in fixed sub-ranges, and keeps the rows meeting every
  /// condition.
  private func propose(_ range: Range<Int>) throws -> Table {
    let pieceSize = 65_536
    var pieces: [Range<Int>] = []
    var start = range.lowerBound
    while start < range.upperBound {
      let end = min(start + pieceSize, range.upperBound)
      pieces.append(start..<end)
      start = end
    }
    let results = PieceResults(count: pieces.count)
    let model = self.model
    let conditions = self.conditions
    let seed = self.seed
    let work = pieces
    DispatchQueue.concurrentPerform(iterations: work.count) { index in
      results.set(
        index,
        Result {
          let proposed: Table
          if let conditional = model as? any ConditionalSampling {
            proposed = try conditional.proposeRows(
              range: work[index], seed: seed, given: conditions)
          } else {
            proposed = try model.sample(range: work[index], seed: seed)
          }
          return Self.keep(proposed, conditions: conditions)
        })
    }
    var combined = try results.get(0)
    for index in 1..<pieces.count {
      try combined.append(results.get(index))
    }
    return combined
  }

  /// The rows of `table` that meet every condition.
  /// - Parameters:
  ///   - table: Sampled rows with the model's columns.
  ///   - conditions: Resolved conditions.
  /// - Returns: The matching rows, in order.
  public static func keep(_ table: Table, conditions: [ResolvedCondition]) -> Table {
    var pass = [Bool](repeating: true, count: table.rowCount)
    for condition in conditions where condition.column < table.columns.count {
      let flags = condition.matches(table.columns[condition.column])
      for row in 0..<pass.count where !flags[row] { pass[row] = false }
    }
    return table.selectingRows(pass.indices.filter { pass[$0] })
  }

  /// Fails early when a label condition names a label the model never produces, or two
  /// conditions on one column contradict each other.
  private static func checkLabels(model: any FittedModel, conditions: [ResolvedCondition]) throws {
    var labelByColumn: [Int: String] = [:]
    for condition in conditions {
      guard case .label(let label) = condition.test else { continue }
      if let earlier = labelByColumn[condition.column], earlier != label {
        throw DoppelError(
          .impossibleCondition, "two conditions ask this column for different values",
          context: .init(column: condition.name))
      }
      labelByColumn[condition.column] = label
      if let conditional = model as? any ConditionalSampling,
        let labels = conditional.conditionLabels(ofColumn: condition.column),
        ResolvedCondition.code(of: label, in: labels) == nil
      {
        throw DoppelError(
          .impossibleCondition,
          "the condition asks for a value this column never takes in the model (it has \(labels.count) values; see the metadata or a sample)",
          context: .init(column: condition.name))
      }
    }
  }
}

/// Results of pieces computed on several threads, each slot written by exactly one thread.
final class PieceResults: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<Table, any Error>?]

  init(count: Int) {
    slots = Array(repeating: nil, count: count)
  }

  func set(_ index: Int, _ result: Result<Table, any Error>) {
    lock.lock()
    slots[index] = result
    lock.unlock()
  }

  func get(_ index: Int) throws -> Table {
    lock.lock()
    let slot = slots[index]
    lock.unlock()
    guard let slot else {
      throw DoppelError(.io, "a sampled piece was not produced; sample again")
    }
    return try slot.get()
  }
}
