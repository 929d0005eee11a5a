import DoppelCore
import DoppelTransforms
import Foundation

/// A fitted SMOTE model: the training rows of every class and each row's nearest neighbours.
///
/// **This model contains the training data**: every value of every numerical and categorical
/// column, because SMOTE creates rows by interpolating between real rows. Treat the model file
/// like the training table itself. See ``SMOTESynthesizer`` for the method.
public struct SMOTEModel: FittedModel, Equatable {
  /// The registry name.
  public static let kind = SMOTESynthesizer.kind

  /// The hyper-parameters it was fitted with, with the label column resolved.
  public let synthesizer: SMOTESynthesizer
  /// The training table's metadata.
  public let metadata: TableMetadata
  /// The number of training rows.
  public let trainingRowCount: Int
  /// The position of the label column.
  public let labelColumn: Int
  /// The training values, one entry per column.
  public let columns: [SMOTEColumn]
  /// The classes, in label order, then rows with a missing label.
  public let classes: [SMOTEClass]

  /// The number of rows that share one random stream.
  public static let blockSize = 4096

  /// Creates a model from its parts.
  /// - Parameters:
  ///   - synthesizer: The hyper-parameters.
  ///   - metadata: The training metadata.
  ///   - trainingRowCount: The number of training rows.
  ///   - labelColumn: The position of the label column.
  ///   - columns: The training values.
  ///   - classes: The classes and their neighbours.
  public init(
    synthesizer: SMOTESynthesizer, metadata: TableMetadata, trainingRowCount: Int,
    labelColumn: Int, columns: [SMOTEColumn], classes: [SMOTEClass]
  ) {
    self.synthesizer = synthesizer
    self.metadata = metadata
    self.trainingRowCount = trainingRowCount
    self.labelColumn = labelColumn
    self.columns = columns
    self.classes = classes
  }

  private enum CodingKeys: String, CodingKey {
    case synthesizer, metadata, trainingRowCount, labelColumn, columns, classes
  }

  /// Decodes a model and checks that its parts fit together.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `corruptModel` when parts disagree.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      synthesizer: try c.decode(SMOTESynthesizer.self, forKey: .synthesizer),
      metadata: try c.decode(TableMetadata.self, forKey: .metadata),
      trainingRowCount: try c.decode(Int.self, forKey: .trainingRowCount),
      labelColumn: try c.decode(Int.self, forKey: .labelColumn),
      columns: try c.decode([SMOTEColumn].self, forKey: .columns),
      classes: try c.decode([SMOTEClass].self, forKey: .classes))
    try validate()
  }

  private func validate() throws {
    let fail = DoppelError(.corruptModel, "the smote model's parts do not fit together; fit again")
    let rows = trainingRowCount
    guard columns.count == metadata.columns.count, labelColumn >= 0, labelColumn < columns.count,
      zip(columns, metadata.columns).allSatisfy({ $0.name == $1.name }),
      metadata.columns[labelColumn].kind.storage == .categories, !classes.isEmpty,
      classes.reduce(0, { $0 + $1.rows.count }) == rows
    else { throw fail }
    for (column, entry) in zip(columns, metadata.columns) {
      try column.validate(rows: rows, kind: entry.kind)
    }
    for group in classes {
      guard group.rows.count == group.neighbours.count,
        group.rows.allSatisfy({ $0 >= 0 && $0 < rows }),
        group.neighbours.allSatisfy({ list in
          list.allSatisfy { $0 >= 0 && Int($0) < group.rows.count }
        })
      else { throw fail }
    }
  }

  /// Encodes the model.
  /// - Parameter encoder: The encoder.
  /// - Throws: An encoding error.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(synthesizer, forKey: .synthesizer)
    try c.encode(metadata, forKey: .metadata)
    try c.encode(trainingRowCount, forKey: .trainingRowCount)
    try c.encode(labelColumn, forKey: .labelColumn)
    try c.encode(columns, forKey: .columns)
    try c.encode(classes, forKey: .classes)
  }

  /// A summary for people: what the model holds, including that it stores real rows.
  public var describe: String {
    let sizes = classes.map(\.rows.count).map(String.init).joined(separator: ", ")
    return
      "SMOTE (k = \(synthesizer.k), target \(synthesizer.target.rawValue)) on label "
      + "\(metadata.columns[labelColumn].name): \(classes.count) classes of \(sizes) rows. "
      + "The model stores all \(trainingRowCount) real training rows; share it only where the training data may be shared."
  }

  /// The probability of drawing each class under ``SMOTESynthesizer/target``.
  public var classWeights: [Double] {
    let sizes = classes.map { Double($0.rows.count) }
    var weights: [Double]
    switch synthesizer.target {
    case .proportional:
      weights = sizes
    case .balanced:
      let largest = sizes.max() ?? 0
      weights = sizes.map { largest - $0 }
      if weights.allSatisfy({ $0 <= 0 }) { weights = sizes }
    case .minority:
      let smallest = sizes.min() ?? 0
      let first = sizes.firstIndex(of: smallest) ?? 0
      weights = sizes.indices.map { $0 == first ? 1 : 0 }
    }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
  }

  /// Generates the rows at positions `range` of the sample for `seed`.
  ///
  /// Rows come in blocks of ``blockSize``; block `b` draws from the stream (`seed`, "smote", `b`),
  /// so any range reproduces the same rows. Each row draws its class, a base row, a neighbour and
  /// the interpolation weight.
  /// - Parameters:
  ///   - range: Row positions.
  ///   - seed: The sampling seed.
  /// - Returns: The sampled table.
  /// - Throws: ``DoppelError`` if a column cannot be built.
  /// - Complexity: O(rows · d · k).
  public func sample(range: Range<Int>, seed: UInt64) throws -> Table {
    let rows = range.count
    var cumulative: [Double] = []
    var total = 0.0
    for weight in classWeights {
      total += weight
      cumulative.append(total)
    }
    // Per output row: class, base row and neighbour (training rows), interpolation weight.
    var bases = [Int](repeating: 0, count: rows)
    var partners = [Int](repeating: 0, count: rows)
    var groups = [Int](repeating: 0, count: rows)
    var positions = [Int](repeating: 0, count: rows)
    var gaps = [Double](repeating: 0, count: rows)
    var block = range.lowerBound / SMOTEModel.blockSize
    while rows > 0 && block * SMOTEModel.blockSize < range.upperBound {
      let start = block * SMOTEModel.blockSize
      var random = SeededGenerator(seed: seed, label: "smote", index: UInt64(block))
      for row in start..<min(start + SMOTEModel.blockSize, range.upperBound) {
        let target = random.nextUnit() * total
        let group = min(cumulative.firstIndex { $0 > target } ?? 0, classes.count - 1)
        let members = classes[group]
        let position = random.nextInt(below: members.rows.count)
        let list = members.neighbours[position]
        let partner = list.isEmpty ? position : Int(list[random.nextInt(below: list.count)])
        let gap = random.nextUnit()
        guard row >= range.lowerBound else { continue }
        let index = row - range.lowerBound
        groups[index] = group
        positions[index] = position
        bases[index] = members.rows[position]
        partners[index] = members.rows[partner]
        gaps[index] = gap
      }
      block += 1
    }
    var output: [Column] = []
    for (index, (column, entry)) in zip(columns, metadata.columns).enumerated() {
      let kind = entry.kind
      var missing = MissingMask(count: rows)
      if index == labelColumn {
        let codes = groups.map { classes[$0].code }
        for row in 0..<rows where codes[row] < 0 { missing[row] = true }
        output.append(
          try Column(
            name: column.name, kind: kind,
            values: .categories(codes: codes.map { max($0, 0) }, categories: column.labels ?? []),
            missing: missing))
        continue
      }
      switch kind.storage {
      case .numbers:
        let values = column.numbers ?? []
        let absent = column.missingFlags(rows: values.count)
        let rounding = Rounding(kind: kind)
        var numbers = [Double](repeating: 0, count: rows)
        for row in 0..<rows {
          let base = bases[row]
          let partner = partners[row]
          if absent[base] {
            missing[row] = true
          } else if absent[partner] {
            numbers[row] = values[base]
          } else {
            let low = min(values[base], values[partner])
            let high = max(values[base], values[partner])
            let x = values[base] + gaps[row] * (values[partner] - values[base])
            numbers[row] = min(max(rounding.apply(x), low), high)
          }
        }
        output.append(
          try Column(name: column.name, kind: kind, values: .numbers(numbers), missing: missing))
      case .categories:
        let codes = column.codes ?? []
        var drawn = [Int32](repeating: 0, count: rows)
        for row in 0..<rows {
          let members = classes[groups[row]]
          let value = majority(
            codes, base: bases[row],
            neighbours: members.neighbours[positions[row]].map { members.rows[Int($0)] })
          if value < 0 { missing[row] = true } else { drawn[row] = value }
        }
        output.append(
          try Column(
            name: column.name, kind: kind,
            values: .categories(codes: drawn, categories: column.labels ?? []), missing: missing))
      case .strings:
        var copulaModel = CopulaColumnModel(
          name: column.name, missingProbability: column.missingProbability ?? 0)
        copulaModel.shapes = column.shapes
        var random = SeededGenerator(seed: seed, label: "smote strings", index: UInt64(index))
        let strings = try StringValues.generate(
          kind: kind, model: copulaModel, range: range, seed: seed, columnIndex: index,
          missing: &missing, random: &random)
        output.append(
          try Column(name: column.name, kind: kind, values: .strings(strings), missing: missing))
      }
    }
    return try Table(columns: output)
  }

  /// The code most of the neighbours have; ties go to the base row's code, then the smallest.
  private func majority(_ codes: [Int32], base: Int, neighbours: [Int]) -> Int32 {
    guard !neighbours.isEmpty else { return codes[base] }
    var counts: [(code: Int32, votes: Int)] = []
    for row in neighbours {
      let code = codes[row]
      if let slot = counts.firstIndex(where: { $0.code == code }) {
        counts[slot].votes += 1
      } else {
        counts.append((code, 1))
      }
    }
    let top = counts.map(\.votes).max() ?? 0
    let tied = counts.filter { $0.votes == top }.map(\.code)
    if tied.contains(codes[base]) { return codes[base] }
    return tied.min() ?? codes[base]
  }
}
