import DoppelCore
import Foundation

/// The class distribution a rebalanced sample should have: `label` for equal shares of every
/// class, or `label=A:0.5,B:0.3,C:0.2` for given shares (normalised to sum to 1; classes not
/// named get none).
public struct RebalanceTarget: Sendable, Equatable {
  /// The label column.
  public var column: String
  /// Class labels and their shares, or `nil` for equal shares of the model's classes.
  public var shares: [(label: String, share: Double)]?

  /// Creates a target.
  /// - Parameters:
  ///   - column: The label column.
  ///   - shares: Class shares, or `nil` for equal shares.
  public init(column: String, shares: [(label: String, share: Double)]? = nil) {
    self.column = column
    self.shares = shares
  }

  /// Parses `label` or `label=A:0.5,B:0.5`.
  /// - Parameter text: The target text.
  /// - Throws: ``DoppelError`` `invalidArgument` for a missing column name, a malformed share or
  ///   shares that are negative or sum to zero.
  public init(parsing text: String) throws {
    guard let equals = text.firstIndex(of: "=") else {
      let column = text.trimmingCharacters(in: .whitespaces)
      guard !column.isEmpty else {
        throw DoppelError(.invalidArgument, "--rebalance needs a label column name")
      }
      self.init(column: column)
      return
    }
    let column = text[..<equals].trimmingCharacters(in: .whitespaces)
    guard !column.isEmpty else {
      throw DoppelError(.invalidArgument, "--rebalance needs a label column name before '='")
    }
    var shares: [(label: String, share: Double)] = []
    for part in text[text.index(after: equals)...].split(separator: ",") {
      guard let colon = part.lastIndex(of: ":"),
        let share = Double(part[part.index(after: colon)...].trimmingCharacters(in: .whitespaces)),
        share.isFinite, share >= 0
      else {
        throw DoppelError(
          .invalidArgument,
          "--rebalance shares are written label=CLASS:SHARE,CLASS:SHARE with non-negative shares",
          context: .init(column: column))
      }
      shares.append((String(part[..<colon]), share))
    }
    guard shares.reduce(0, { $0 + $1.share }) > 0 else {
      throw DoppelError(
        .invalidArgument, "--rebalance shares must add up to more than 0",
        context: .init(column: column))
    }
    self.init(column: column, shares: shares)
  }

  /// Compares column and shares.
  public static func == (lhs: RebalanceTarget, rhs: RebalanceTarget) -> Bool {
    lhs.column == rhs.column
      && lhs.shares?.map(\.label) == rhs.shares?.map(\.label)
      && lhs.shares?.map(\.share) == rhs.shares?.map(\.share)
  }
}

/// Samples rows whose label column follows a target class distribution, by sampling each class
/// with the condition `label=class` through a ``ConditionalSampler`` and mixing the classes.
///
/// Class counts are fixed for the whole run by largest remainders (Hamilton's method), and every
/// chunk takes each class's cumulative share of rows up to its end, shuffled with a seeded
/// Fisher–Yates shuffle, so output is deterministic and the whole run has exactly the planned
/// counts.
public struct RebalancedSampler: Sendable {
  /// The classes and the number of rows each gets.
  public let plan: [(label: String, rows: Int)]
  /// The total number of rows.
  public let rows: Int
  /// The label column's name.
  public let column: String

  private var samplers: [ConditionalSampler]
  private var produced = 0
  private var producedByClass: [Int]
  private let seed: UInt64
  private var chunkIndex: UInt64 = 0

  /// Plans a rebalanced sample.
  /// - Parameters:
  ///   - model: A fitted model.
  ///   - target: The label column and class shares.
  ///   - rows: The total number of rows.
  ///   - seed: The sampling seed.
  ///   - conditions: Further conditions every row must meet.
  /// - Throws: ``DoppelError`` `unknownColumn` or `invalidArgument` for a label column that is not
  ///   categorical or boolean, or `impossibleCondition` for a class the model cannot produce.
  public init(
    model: any FittedModel, target: RebalanceTarget, rows: Int, seed: UInt64,
    conditions: [SamplingCondition] = []
  ) throws {
    guard let index = model.metadata.columns.firstIndex(where: { $0.name == target.column }) else {
      throw DoppelError(
        .unknownColumn,
        "--rebalance names a column the model does not have; columns: \(model.metadata.columnNames.joined(separator: ", "))",
        context: .init(column: target.column))
    }
    switch model.metadata.columns[index].kind {
    case .categorical, .boolean: break
    default:
      throw DoppelError(
        .invalidArgument, "--rebalance needs a categorical or boolean label column",
        context: .init(column: target.column))
    }
    let shares: [(label: String, share: Double)]
    if let given = target.shares {
      shares = given
    } else {
      shares = try Self.modelClasses(model: model, column: index, seed: seed).map { ($0, 1.0) }
    }
    let total = shares.reduce(0) { $0 + $1.share }
    let exact = shares.map { Double(rows) * $0.share / total }
    var counts = exact.map { Int($0.rounded(.down)) }
    let order = exact.indices.sorted {
      let a = exact[$0] - Double(counts[$0])
      let b = exact[$1] - Double(counts[$1])
      return a != b ? a > b : $0 < $1
    }
    var left = rows - counts.reduce(0, +)
    for k in order where left > 0 {
      counts[k] += 1
      left -= 1
    }
    var plan: [(label: String, rows: Int)] = []
    var samplers: [ConditionalSampler] = []
    for (k, entry) in shares.enumerated() where counts[k] > 0 {
      plan.append((entry.label, counts[k]))
      var stream = SeededGenerator(seed: seed, label: "rebalance class", index: UInt64(k))
      samplers.append(
        try ConditionalSampler(
          model: model,
          conditions: [SamplingCondition(column: target.column, value: entry.label)] + conditions,
          seed: stream.next()))
    }
    self.plan = plan
    self.samplers = samplers
    self.rows = rows
    self.column = target.column
    self.seed = seed
    self.producedByClass = Array(repeating: 0, count: plan.count)
  }

  /// The next rows, up to `limit`; an empty table once all ``rows`` are produced.
  /// - Parameter limit: The most rows to return, at least 1.
  /// - Returns: Rows of every class in proportion, shuffled.
  /// - Throws: ``DoppelError`` from the class samplers.
  public mutating func next(_ limit: Int) throws -> Table? {
    guard produced < rows else { return nil }
    let end = min(rows, produced + max(limit, 1))
    var chunk: Table?
    for k in plan.indices {
      let due = Int((Double(plan[k].rows) * Double(end) / Double(rows)).rounded(.down))
      let target = end == rows ? plan[k].rows : due
      let count = target - producedByClass[k]
      guard count > 0 else { continue }
      let part = try samplers[k].next(count)
      producedByClass[k] += count
      if chunk == nil { chunk = part } else { try chunk?.append(part) }
    }
    produced = end
    guard let chunk else { return nil }
    var order = Array(0..<chunk.rowCount)
    var random = SeededGenerator(seed: seed, label: "rebalance shuffle", index: chunkIndex)
    chunkIndex += 1
    if order.count > 1 {
      for i in stride(from: order.count - 1, to: 0, by: -1) {
        order.swapAt(i, random.nextInt(below: i + 1))
      }
    }
    return chunk.selectingRows(order)
  }

  /// The classes of a label column: from the model if it knows them, otherwise those seen in
  /// 20,000 unconditional rows.
  private static func modelClasses(model: any FittedModel, column: Int, seed: UInt64) throws
    -> [String]
  {
    if let conditional = model as? any ConditionalSampling,
      let labels = conditional.conditionLabels(ofColumn: column)
    {
      return labels
    }
    let pilot = try model.sample(range: 0..<20_000, seed: seed)
    guard let (codes, labels) = pilot.columns[column].categories else { return [] }
    var seen = [Bool](repeating: false, count: labels.count)
    for row in 0..<codes.count where !pilot.columns[column].missing[row] {
      seen[Int(codes[row])] = true
    }
    let classes = labels.indices.filter { seen[$0] }.map { labels[$0] }
    guard !classes.isEmpty else {
      throw DoppelError(
        .impossibleCondition, "the model produced no value in the label column to rebalance",
        context: .init(column: model.metadata.columns[column].name))
    }
    return classes
  }
}
