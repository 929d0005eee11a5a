import DoppelCore
import DoppelTransforms
import Foundation

/// A fitted Gaussian mixture: the column encodings and the mixture's weights, means and
/// covariances in the encoded space. See ``GaussianMixtureSynthesizer``.
public struct GaussianMixtureModel: FittedModel, Equatable {
  /// The registry name.
  public static let kind = GaussianMixtureSynthesizer.kind

  /// The hyper-parameters it was fitted with.
  public let synthesizer: GaussianMixtureSynthesizer
  /// The training table's metadata.
  public let metadata: TableMetadata
  /// The number of training rows.
  public let trainingRowCount: Int
  /// One encoding per column, in table order.
  public let columns: [MixtureColumn]
  /// The number of dimensions D of the encoded space.
  public let dimensions: Int
  /// The mixing weights, summing to 1.
  public let weights: [Double]
  /// The component means, K × D.
  public let means: [[Double]]
  /// The component covariances, K × (D × D) row-major, regularisation included.
  public let covariances: [[Double]]
  /// The Bayesian information criterion of each K tried (1, 2, …), on the selection subset.
  public let selectionCriteria: [Double]

  private let factors: [[Double]]

  /// The number of rows that share one random stream.
  public static let blockSize = 4096

  /// Creates a model from its parts.
  /// - Parameters:
  ///   - synthesizer: The hyper-parameters.
  ///   - metadata: The training metadata.
  ///   - trainingRowCount: The number of training rows.
  ///   - columns: One encoding per column.
  ///   - dimensions: The encoded dimensions.
  ///   - weights: The mixing weights.
  ///   - means: The component means.
  ///   - covariances: The component covariances.
  ///   - selectionCriteria: The BIC of each K tried.
  public init(
    synthesizer: GaussianMixtureSynthesizer, metadata: TableMetadata, trainingRowCount: Int,
    columns: [MixtureColumn], dimensions: Int, weights: [Double], means: [[Double]],
    covariances: [[Double]], selectionCriteria: [Double]
  ) {
    self.synthesizer = synthesizer
    self.metadata = metadata
    self.trainingRowCount = trainingRowCount
    self.columns = columns
    self.dimensions = dimensions
    self.weights = weights
    self.means = means
    self.covariances = covariances
    self.selectionCriteria = selectionCriteria
    self.factors = covariances.map { GaussianAlgebra.cholesky($0, dimension: dimensions) }
  }

  /// The number of components K.
  public var componentCount: Int { weights.count }

  private enum CodingKeys: String, CodingKey {
    case synthesizer, metadata, trainingRowCount, columns, dimensions, weights, means
    case covariances, selectionCriteria
  }

  /// Decodes a model and checks that its parts fit together.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `corruptModel` when parts disagree.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let metadata = try c.decode(TableMetadata.self, forKey: .metadata)
    let columns = try c.decode([MixtureColumn].self, forKey: .columns)
    let d = try c.decode(Int.self, forKey: .dimensions)
    let weights = try c.decode([Double].self, forKey: .weights)
    let means = try c.decode([[Double]].self, forKey: .means)
    let covariances = try c.decode([[Double]].self, forKey: .covariances)
    let fail = DoppelError(.corruptModel, "the gmm model's parts do not fit together; fit again")
    guard columns.count == metadata.columns.count, d >= 0, !weights.isEmpty,
      zip(columns, metadata.columns).allSatisfy({ $0.name == $1.name }),
      columns.allSatisfy({ $0.offset >= 0 && $0.offset + $0.width <= d }),
      weights.allSatisfy({ $0 >= 0 && $0.isFinite }), weights.reduce(0, +) > 0,
      means.count == weights.count, covariances.count == weights.count,
      d == 0 || means.allSatisfy({ $0.count == d && $0.allSatisfy(\.isFinite) }),
      d == 0 || covariances.allSatisfy({ $0.count == d * d && $0.allSatisfy(\.isFinite) })
    else { throw fail }
    self.init(
      synthesizer: try c.decode(GaussianMixtureSynthesizer.self, forKey: .synthesizer),
      metadata: metadata, trainingRowCount: try c.decode(Int.self, forKey: .trainingRowCount),
      columns: columns, dimensions: d, weights: weights, means: means, covariances: covariances,
      selectionCriteria: try c.decode([Double].self, forKey: .selectionCriteria))
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
    try c.encode(dimensions, forKey: .dimensions)
    try c.encode(weights, forKey: .weights)
    try c.encode(means, forKey: .means)
    try c.encode(covariances, forKey: .covariances)
    try c.encode(selectionCriteria, forKey: .selectionCriteria)
  }

  /// Models are equal when their saved contents are equal.
  public static func == (lhs: GaussianMixtureModel, rhs: GaussianMixtureModel) -> Bool {
    lhs.synthesizer == rhs.synthesizer && lhs.metadata == rhs.metadata
      && lhs.trainingRowCount == rhs.trainingRowCount && lhs.columns == rhs.columns
      && lhs.dimensions == rhs.dimensions && lhs.weights == rhs.weights && lhs.means == rhs.means
      && lhs.covariances == rhs.covariances && lhs.selectionCriteria == rhs.selectionCriteria
  }

  /// Generates the rows at positions `range` of the sample for `seed`.
  ///
  /// Rows come in blocks of ``blockSize``; block `b` draws from the stream (`seed`, "gmm", `b`),
  /// so any range reproduces the same rows.
  /// - Parameters:
  ///   - range: Row positions.
  ///   - seed: The sampling seed.
  /// - Returns: The sampled table.
  /// - Throws: ``DoppelError`` if a column cannot be built.
  /// - Complexity: O(rows · D²).
  public func sample(range: Range<Int>, seed: UInt64) throws -> Table {
    let rows = range.count
    let d = dimensions
    var cumulative: [Double] = []
    var total = 0.0
    for weight in weights {
      total += weight
      cumulative.append(total)
    }
    let tabular = columns.indices.filter { metadata.columns[$0].kind.storage != .strings }
    var numbers = [[Double]](repeating: [], count: columns.count)
    var codes = [[Int32]](repeating: [], count: columns.count)
    var missing = [MissingMask](repeating: MissingMask(count: rows), count: columns.count)
    for index in tabular {
      if metadata.columns[index].kind.storage == .numbers {
        numbers[index] = [Double](repeating: 0, count: rows)
      } else {
        codes[index] = [Int32](repeating: 0, count: rows)
      }
    }
    let roundings = metadata.columns.map { Rounding(kind: $0.kind) }
    var z = [Double](repeating: 0, count: d)
    var x = [Double](repeating: 0, count: d)
    var block = range.lowerBound / GaussianMixtureModel.blockSize
    while rows > 0 && block * GaussianMixtureModel.blockSize < range.upperBound {
      let start = block * GaussianMixtureModel.blockSize
      var random = SeededGenerator(seed: seed, label: "gmm", index: UInt64(block))
      for row in start..<min(start + GaussianMixtureModel.blockSize, range.upperBound) {
        let target = random.nextUnit() * total
        let component = min(cumulative.firstIndex { $0 > target } ?? 0, weights.count - 1)
        for j in 0..<d { z[j] = random.nextNormal() }
        if d > 0 {
          let l = factors[component]
          let mean = means[component]
          for i in 0..<d {
            var value = mean[i]
            for j in 0...i { value += l[i * d + j] * z[j] }
            x[i] = value
          }
        }
        var decoded: [(Int, Double?, Int32?)] = []
        for index in tabular {
          decoded.append(
            decode(columns[index], index: index, x, rounding: roundings[index], random: &random))
        }
        guard row >= range.lowerBound else { continue }
        let position = row - range.lowerBound
        for (index, number, code) in decoded {
          if let number {
            numbers[index][position] = number
          } else if let code {
            codes[index][position] = code
          } else {
            missing[index][position] = true
          }
        }
      }
      block += 1
    }
    var output: [Column] = []
    for (index, (model, entry)) in zip(columns, metadata.columns).enumerated() {
      let kind = entry.kind
      switch kind.storage {
      case .numbers:
        output.append(
          try Column(
            name: model.name, kind: kind, values: .numbers(numbers[index]), missing: missing[index])
        )
      case .categories:
        output.append(
          try Column(
            name: model.name, kind: kind,
            values: .categories(codes: codes[index], categories: model.labels ?? []),
            missing: missing[index]))
      case .strings:
        var copulaModel = CopulaColumnModel(
          name: model.name, missingProbability: model.missingProbability ?? 0)
        copulaModel.shapes = model.shapes
        var stringMissing = MissingMask(count: rows)
        var random = SeededGenerator(seed: seed, label: "gmm strings", index: UInt64(index))
        let strings = try StringValues.generate(
          kind: kind, model: copulaModel, range: range, seed: seed, columnIndex: index,
          missing: &stringMissing, random: &random)
        output.append(
          try Column(
            name: model.name, kind: kind, values: .strings(strings), missing: stringMissing))
      }
    }
    return try Table(columns: output)
  }

  /// One column's value from a sampled point: a number, a code, or neither for missing.
  private func decode(
    _ model: MixtureColumn, index: Int, _ x: [Double], rounding: Rounding,
    random: inout SeededGenerator
  ) -> (Int, Double?, Int32?) {
    if let mean = model.mean, let scale = model.scale {
      if model.hasMissingDimension == true && x[model.offset + 1] > 0.5 { return (index, nil, nil) }
      let raw = model.backward(x[model.offset] * scale + mean)
      let rounded = rounding.apply(raw)
      let clipped = min(max(rounded, model.lower ?? rounded), model.upper ?? rounded)
      return (index, clipped, nil)
    }
    guard let levels = model.levels, !levels.isEmpty else { return (index, nil, nil) }
    var best = 0
    for j in 1..<max(levels.count, 1) where x[model.offset + j] > x[model.offset + best] {
      best = j
    }
    let level = levels[best]
    if level == MixtureColumn.missingLevel { return (index, nil, nil) }
    if level == MixtureColumn.otherLevel {
      let labels = model.otherLabels ?? []
      let counts = model.otherCounts ?? []
      let total = counts.reduce(0, +)
      var target = random.nextUnit() * total
      for (label, count) in zip(labels, counts) {
        target -= count
        if target < 0 { return (index, nil, Int32(label)) }
      }
      return (index, nil, Int32(labels.last ?? 0))
    }
    return (index, nil, Int32(level))
  }
}
