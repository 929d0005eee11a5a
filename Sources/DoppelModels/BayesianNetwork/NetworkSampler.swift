import DoppelCore
import DoppelTransforms
import Foundation

/// Ancestral sampling from a ``BayesianNetwork`` over ``DiscreteColumn``s, block by block.
///
/// Rows come in blocks of ``blockSize``; block `b` draws every attribute of its rows, in the
/// network's topological order, and then the position of each number inside its bin, from the
/// stream (`seed`, `label`, `b`). Any range of rows therefore reproduces the same rows, so shards
/// add up to one sample.
final class NetworkSampler: Sendable {
  static let blockSize = 4096

  let network: BayesianNetwork
  let columns: [DiscreteColumn]
  let cardinalities: [Int]
  /// Per node: cumulative probabilities, row-major like the node's table.
  let cumulative: [[Double]]
  /// Per node: the stride of each parent in the configuration index.
  let strides: [[Int]]
  /// Per column: the cells of each bin (see ``DiscreteColumn/cellRanges()``).
  let cellRanges: [[Range<Int>]]
  /// Per column: the running sums of the cell weights.
  let cellCumulative: [[Double]]
  let label: String

  init(network: BayesianNetwork, columns: [DiscreteColumn], label: String) {
    self.network = network
    self.columns = columns
    self.label = label
    let cardinalities = columns.map(\.cardinality)
    self.cardinalities = cardinalities
    cumulative = network.nodes.map { node in
      let r = cardinalities[node.attribute]
      var sums = node.probabilities
      for start in stride(from: 0, to: sums.count, by: r) {
        var total = 0.0
        for x in start..<start + r {
          total += sums[x]
          sums[x] = total
        }
      }
      return sums
    }
    cellRanges = columns.map { $0.cellRanges() }
    cellCumulative = columns.map { column in
      var total = 0.0
      return (column.cellWeights ?? []).map { weight in
        total += weight
        return total
      }
    }
    strides = network.nodes.map { node in
      var stride = 1
      return node.parents.map { parent in
        defer { stride *= cardinalities[parent] }
        return stride
      }
    }
  }

  /// Samples rows `range` for `seed`.
  /// - Complexity: O(rows · (d + Σ log r)) for d attributes.
  func sample(range: Range<Int>, seed: UInt64, metadata: TableMetadata) throws -> Table {
    let rows = range.count
    let d = columns.count
    var drawn = [[Int32]](repeating: [Int32](repeating: 0, count: rows), count: d)
    let numeric = (0..<d).filter { metadata.columns[$0].kind.storage == .numbers }
    let roundings = metadata.columns.map { Rounding(kind: $0.kind) }
    var numbers = [[Double]](repeating: [], count: d)
    for column in numeric { numbers[column] = [Double](repeating: 0, count: rows) }
    var values = [Int32](repeating: 0, count: d)
    var rowNumbers = [Double](repeating: 0, count: d)
    var block = range.lowerBound / NetworkSampler.blockSize
    while rows > 0 && block * NetworkSampler.blockSize < range.upperBound {
      let start = block * NetworkSampler.blockSize
      let end = min(start + NetworkSampler.blockSize, range.upperBound)
      var random = SeededGenerator(seed: seed, label: label, index: UInt64(block))
      for row in start..<end {
        for (position, node) in network.nodes.enumerated() {
          var configuration = 0
          for (parent, stride) in zip(node.parents, strides[position]) {
            configuration += Int(values[parent]) * stride
          }
          let r = cardinalities[node.attribute]
          values[node.attribute] = Int32(
            draw(cumulative[position], from: configuration * r, count: r, random: &random))
        }
        for column in numeric {
          let code = Int(values[column])
          rowNumbers[column] =
            code == columns[column].missingCode
            ? 0
            : columns[column].number(
              inBin: code, ranges: cellRanges[column], cumulative: cellCumulative[column],
              rounding: roundings[column], random: &random)
        }
        guard row >= range.lowerBound else { continue }
        let position = row - range.lowerBound
        for column in 0..<d { drawn[column][position] = values[column] }
        for column in numeric { numbers[column][position] = rowNumbers[column] }
      }
      block += 1
    }
    var output: [Column] = []
    output.reserveCapacity(d)
    for (index, model) in columns.enumerated() {
      let kind = metadata.columns[index].kind
      var missing = MissingMask(count: rows)
      if let missingCode = model.missingCode {
        for row in 0..<rows where Int(drawn[index][row]) == missingCode { missing[row] = true }
      }
      switch kind.storage {
      case .numbers:
        output.append(
          try Column(
            name: model.name, kind: kind, values: .numbers(numbers[index]), missing: missing))
      case .categories:
        let labels = model.labels ?? []
        let codes = drawn[index].map { Int($0) < labels.count ? $0 : 0 }
        output.append(
          try Column(
            name: model.name, kind: kind, values: .categories(codes: codes, categories: labels),
            missing: missing))
      case .strings:
        var copulaModel = CopulaColumnModel(name: model.name, missingProbability: 0)
        copulaModel.shapes = model.shapes
        var unused = MissingMask(count: rows)
        var random = SeededGenerator(seed: seed, label: label + " strings", index: UInt64(index))
        var strings = try StringValues.generate(
          kind: kind, model: copulaModel, range: range, seed: seed, columnIndex: index,
          missing: &unused, random: &random)
        for row in 0..<rows where missing[row] { strings[row] = "" }
        output.append(
          try Column(name: model.name, kind: kind, values: .strings(strings), missing: missing))
      }
    }
    return try Table(columns: output)
  }

  /// The value whose cumulative interval holds a uniform draw.
  private func draw(
    _ cumulative: [Double], from start: Int, count: Int, random: inout SeededGenerator
  ) -> Int {
    let total = cumulative[start + count - 1]
    let target = random.nextUnit() * total
    var low = 0
    var high = count - 1
    while low < high {
      let middle = (low + high) / 2
      if cumulative[start + middle] > target { high = middle } else { low = middle + 1 }
    }
    return low
  }
}

extension NetworkSampler {
  /// Checks that a model's parts fit together, for decoding model files.
  static func validate(
    metadata: TableMetadata, columns: [DiscreteColumn], network: BayesianNetwork
  ) throws {
    guard columns.count == metadata.columns.count,
      zip(columns, metadata.columns).allSatisfy({ $0.name == $1.name && $0.fits($1.kind) })
    else {
      throw DoppelError(.corruptModel, "the model's columns do not match its metadata")
    }
    for column in columns { try column.validate() }
    try network.validate(cardinalities: columns.map(\.cardinality))
  }
}
