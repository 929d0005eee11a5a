import DoppelCore
import DoppelTransforms
import Foundation

/// A fitted sequential CART model: one tree (or two) per synthesized column, in visit order.
///
/// The leaves hold the training values that reached them (see ``CARTSynthesizer``), so the model
/// file carries real numeric values and must be protected like the training data.
public struct CARTModel: FittedModel, Equatable {
  /// The registry name.
  public static let kind = CARTSynthesizer.kind

  /// The number of rows that share one random stream.
  public static let blockSize = 4096

  /// The hyper-parameters it was fitted with.
  public let synthesizer: CARTSynthesizer
  /// The training table's metadata.
  public let metadata: TableMetadata
  /// The number of training rows.
  public let trainingRowCount: Int
  /// One model per column, in table order.
  public let columns: [CARTColumnModel]
  /// The synthesized columns in the order they are sampled.
  public let visitSequence: [String]

  private let visitIndices: [Int]

  /// Whether some columns are kept from real rows (partial synthesis).
  public var isPartial: Bool { columns.contains { $0.role == .kept } }

  /// The columns kept from the real rows, in table order.
  public var keptColumns: [String] { columns.filter { $0.role == .kept }.map(\.name) }

  /// Creates a model from its parts.
  /// - Parameters:
  ///   - synthesizer: The hyper-parameters.
  ///   - metadata: The training metadata.
  ///   - trainingRowCount: The number of training rows.
  ///   - columns: One model per column, in table order.
  ///   - visitSequence: The synthesized columns in sampling order.
  public init(
    synthesizer: CARTSynthesizer, metadata: TableMetadata, trainingRowCount: Int,
    columns: [CARTColumnModel], visitSequence: [String]
  ) {
    self.synthesizer = synthesizer
    self.metadata = metadata
    self.trainingRowCount = trainingRowCount
    self.columns = columns
    self.visitSequence = visitSequence
    self.visitIndices = visitSequence.compactMap { name in columns.firstIndex { $0.name == name } }
  }

  private enum CodingKeys: String, CodingKey {
    case synthesizer, metadata, trainingRowCount, columns, visitSequence
  }

  /// Decodes a model and checks that its parts fit together.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `corruptModel` when parts disagree.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let synthesizer = try c.decode(CARTSynthesizer.self, forKey: .synthesizer)
    let metadata = try c.decode(TableMetadata.self, forKey: .metadata)
    let rows = try c.decode(Int.self, forKey: .trainingRowCount)
    let columns = try c.decode([CARTColumnModel].self, forKey: .columns)
    let sequence = try c.decode([String].self, forKey: .visitSequence)
    guard columns.count == metadata.columns.count,
      zip(columns, metadata.columns).allSatisfy({ $0.name == $1.name })
    else {
      throw DoppelError(.corruptModel, "the model's columns do not match its metadata")
    }
    for (column, entry) in zip(columns, metadata.columns) {
      try column.validate(kind: entry.kind, columnCount: columns.count)
    }
    let synthesizedNames = columns.filter { $0.role == .synthesized }.map(\.name)
    guard Set(sequence) == Set(synthesizedNames), sequence.count == synthesizedNames.count else {
      throw DoppelError(.corruptModel, "the model's visit sequence does not match its columns")
    }
    // Each tree may split only on kept columns and columns synthesized before its own.
    var allowed = Set(
      columns.indices.filter {
        columns[$0].role == .kept && metadata.columns[$0].kind.storage != .strings
      })
    for name in sequence {
      guard let index = columns.firstIndex(where: { $0.name == name }) else { continue }
      let used = [columns[index].missingTree, columns[index].valueTree].compactMap { $0 }
        .reduce(into: Set<Int>()) { $0.formUnion($1.splitColumns) }
      guard used.isSubset(of: allowed) else {
        throw DoppelError(
          .corruptModel,
          "a tree of this column splits on a column that is not sampled before it; fit the model again",
          context: .init(column: name))
      }
      allowed.insert(index)
    }
    self.init(
      synthesizer: synthesizer, metadata: metadata, trainingRowCount: rows, columns: columns,
      visitSequence: sequence)
  }

  /// Encodes the model.
  /// - Parameter encoder: The encoder.
  /// - Throws: An encoding error.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(synthesizer, forKey: .synthesizer)
    try c.encode(metadata, forKey: .metadata)
    try c.encode(trainingRowCount, forKey: .trainingRowCount)
    try c.encode(columns, forKey: .columns)
    try c.encode(visitSequence, forKey: .visitSequence)
  }

  /// Models are equal when their saved contents are equal.
  public static func == (lhs: CARTModel, rhs: CARTModel) -> Bool {
    lhs.synthesizer == rhs.synthesizer && lhs.metadata == rhs.metadata
      && lhs.trainingRowCount == rhs.trainingRowCount && lhs.columns == rhs.columns
      && lhs.visitSequence == rhs.visitSequence
  }

  /// Generates the rows at positions `range` of the sample for `seed` (full synthesis only).
  ///
  /// Rows come in blocks of ``blockSize``; block `b` draws from the stream (`seed`, "cart", `b`),
  /// so any range reproduces the same rows.
  /// - Parameters:
  ///   - range: Row positions.
  ///   - seed: The sampling seed.
  /// - Returns: The sampled table.
  /// - Throws: ``DoppelError`` `invalidArgument` for a partial model, which needs the real rows.
  public func sample(range: Range<Int>, seed: UInt64) throws -> Table {
    guard !isPartial else {
      throw DoppelError(
        .invalidArgument,
        "this cart model synthesizes only some columns and keeps the others (\(keptColumns.count)) from real rows; sample it with the real rows (`doppel sample MODEL --from real.csv`)"
      )
    }
    return try generate(range: range, seed: seed, real: nil)
  }

  /// Partially synthesizes real rows: kept columns are copied, the others are drawn row by row
  /// from their trees given the real kept values and the already synthesized columns.
  ///
  /// Row `i` of the output is row `i` of `real`; rows come in blocks of ``blockSize`` with their
  /// own streams, so disjoint ranges add up. A kept category label that training never saw is
  /// routed down the trees as a missing value. A fully synthetic model also accepts this call:
  /// it then ignores `real` apart from its row count.
  /// - Parameters:
  ///   - real: The real rows; it must have every kept column with the model's kind.
  ///   - range: Row positions in `real`.
  ///   - seed: The sampling seed.
  /// - Returns: The rows `range`, with the model's columns in its order.
  /// - Throws: ``DoppelError`` `unknownColumn` or `schemaMismatch` when a kept column is absent
  ///   or of another kind, `invalidArgument` when `range` is outside `real`.
  public func sample(conditionedOn real: Table, range: Range<Int>, seed: UInt64) throws -> Table {
    guard range.lowerBound >= 0, range.upperBound <= real.rowCount else {
      throw DoppelError(
        .invalidArgument, "the rows asked for are outside the \(real.rowCount) real rows")
    }
    for (column, entry) in zip(columns, metadata.columns) where column.role == .kept {
      guard let found = real[column.name] else {
        throw DoppelError(
          .unknownColumn,
          "the real rows lack a column this partial cart model keeps; give a file with every kept column",
          context: .init(column: column.name))
      }
      guard found.kind.storage == entry.kind.storage else {
        throw DoppelError(
          .schemaMismatch,
          "the kept column is \(found.kind.name) in the real rows but \(entry.kind.name) in the model",
          context: .init(column: column.name))
      }
    }
    return try generate(range: range, seed: seed, real: real)
  }

  private func generate(range: Range<Int>, seed: UInt64, real: Table?) throws -> Table {
    let rows = range.count
    let count = columns.count
    // Output buffers for the non-string columns, indexed by column.
    var outputs = [[Double]](repeating: [], count: count)
    for (index, column) in columns.enumerated() where column.role != .generated {
      if metadata.columns[index].kind.storage != .strings {
        outputs[index] = [Double](repeating: 0, count: rows)
      }
    }
    let keptCodes = try real.map { try keptValues(real: $0) } ?? []
    if rows > 0 {
      let size = CARTModel.blockSize
      var block = range.lowerBound / size
      var values = [[Double]](repeating: [], count: count)
      while block * size < range.upperBound {
        let blockStart = block * size
        // A block is always drawn whole, so its rows do not depend on the range asked for.
        let blockEnd = real.map { min(blockStart + size, $0.rowCount) } ?? blockStart + size
        let length = max(0, blockEnd - blockStart)
        var random = SeededGenerator(seed: seed, label: "cart", index: UInt64(block))
        for (index, column) in columns.enumerated() where column.role == .kept {
          if !keptCodes[index].isEmpty {
            values[index] = Array(keptCodes[index][blockStart..<blockEnd])
          }
        }
        for index in visitIndices {
          let column = columns[index]
          let rounding = Rounding(kind: metadata.columns[index].kind)
          var drawn = [Double](repeating: 0, count: length)
          for row in 0..<length {
            drawn[row] = draw(
              column, rounding: rounding, lookup: { values[$0][row] }, random: &random)
          }
          values[index] = drawn
        }
        let from = max(blockStart, range.lowerBound)
        let to = min(blockEnd, range.upperBound)
        if from < to {
          for index in visitIndices {
            for row in from..<to {
              outputs[index][row - range.lowerBound] = values[index][row - blockStart]
            }
          }
        }
        block += 1
      }
    }
    var result: [Column] = []
    result.reserveCapacity(count)
    for (index, model) in columns.enumerated() {
      let kind = metadata.columns[index].kind
      switch model.role {
      case .kept:
        guard let real, let column = real[model.name] else {
          throw DoppelError(
            .unknownColumn, "the real rows lack a kept column", context: .init(column: model.name))
        }
        var copy = column.selecting(range)
        copy.kind = kind
        result.append(copy)
      case .generated:
        var missing = MissingMask(count: rows)
        var random = SeededGenerator(seed: seed, label: "cart strings", index: UInt64(index))
        var generator = CopulaColumnModel(
          name: model.name, missingProbability: model.missingProbability)
        generator.shapes = model.shapes
        let texts = try StringValues.generate(
          kind: kind, model: generator, range: range, seed: seed, columnIndex: index,
          missing: &missing, random: &random)
        result.append(
          try Column(name: model.name, kind: kind, values: .strings(texts), missing: missing))
      case .synthesized:
        let drawn = outputs[index]
        var missing = MissingMask(count: rows)
        switch kind.storage {
        case .categories:
          let labels = model.labels ?? []
          var codes = [Int32](repeating: 0, count: rows)
          for row in 0..<rows {
            let code = Int(drawn[row])
            if code >= labels.count || code < 0 {
              missing[row] = true
            } else {
              codes[row] = Int32(code)
            }
          }
          result.append(
            try Column(
              name: model.name, kind: kind, values: .categories(codes: codes, categories: labels),
              missing: missing))
        default:
          var numbers = drawn
          for row in 0..<rows where numbers[row].isNaN {
            missing[row] = true
            numbers[row] = 0
          }
          result.append(
            try Column(name: model.name, kind: kind, values: .numbers(numbers), missing: missing))
        }
      }
    }
    return try Table(columns: result)
  }

  /// One synthetic value: a number (NaN when missing) or a category code (`labels.count` when
  /// missing).
  private func draw(
    _ column: CARTColumnModel, rounding: Rounding, lookup: (Int) -> Double,
    random: inout SeededGenerator
  ) -> Double {
    if let labels = column.labels {
      guard let tree = column.valueTree else { return Double(labels.count) }
      return Double(CARTModel.drawClass(tree.leaves[tree.leafIndex(lookup)], &random))
    }
    if let missingTree = column.missingTree,
      CARTModel.drawClass(missingTree.leaves[missingTree.leafIndex(lookup)], &random) == 1
    {
      return .nan
    }
    guard let tree = column.valueTree,
      let donors = tree.leaves[tree.leafIndex(lookup)].values, !donors.isEmpty
    else { return .nan }
    var x = donors[random.nextInt(below: donors.count)]
    if let smoothing = column.smoothing, smoothing.bandwidth > 0,
      !smoothing.unsmoothed.contains(x)
    {
      x += smoothing.bandwidth * random.nextNormal()
      x = min(max(x, smoothing.lower), smoothing.upper)
      x = rounding.apply(x)
      x = min(max(x, smoothing.lower), smoothing.upper)
    }
    return x
  }

  private static func drawClass(_ leaf: SynthesisTree.Leaf, _ random: inout SeededGenerator) -> Int
  {
    guard let classes = leaf.classes, let counts = leaf.counts, !classes.isEmpty else { return 0 }
    if classes.count == 1 { return classes[0] }
    var total = 0
    for c in counts { total += c }
    var pick = random.nextInt(below: max(total, 1))
    for (k, c) in counts.enumerated() {
      if pick < c { return classes[k] }
      pick -= c
    }
    return classes[classes.count - 1]
  }

  /// The kept columns of the real rows in the trees' encoding (empty for other columns).
  private func keptValues(real: Table) throws -> [[Double]] {
    var result = [[Double]](repeating: [], count: columns.count)
    for (index, model) in columns.enumerated() where model.role == .kept {
      guard let column = real[model.name] else { continue }
      switch column.values {
      case .numbers(let values):
        result[index] = (0..<column.count).map { row in
          column.missing[row] || !values[row].isFinite ? .nan : values[row]
        }
      case .categories(let codes, let labels):
        let known = model.labels ?? []
        var position: [String: Int] = [:]
        for (k, label) in known.enumerated() where position[label] == nil { position[label] = k }
        let map = labels.map { position[$0] ?? known.count }
        result[index] = (0..<column.count).map { row in
          let code = Int(codes[row])
          return column.missing[row] || code < 0 || code >= map.count
            ? Double(known.count) : Double(map[code])
        }
      case .strings:
        break
      }
    }
    return result
  }
}
