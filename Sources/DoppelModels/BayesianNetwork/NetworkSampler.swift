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
    try sample(range: range, seed: seed, metadata: metadata, constraints: nil)
  }

  /// Samples rows `range` for `seed`; with constraints, draws constrained attributes only from
  /// their allowed values and keeps each row with the probability that makes kept rows exact
  /// draws from the network conditioned on the constraints (see ``NetworkConstraints``).
  func sample(
    range: Range<Int>, seed: UInt64, metadata: TableMetadata, constraints: NetworkConstraints?
  ) throws -> Table {
    let rows = range.count
    let d = columns.count
    var drawn = [[Int32]](repeating: [Int32](repeating: 0, count: rows), count: d)
    let numeric = (0..<d).filter { metadata.columns[$0].kind.storage == .numbers }
    let roundings = metadata.columns.map { Rounding(kind: $0.kind) }
    var numbers = [[Double]](repeating: [], count: d)
    for column in numeric { numbers[column] = [Double](repeating: 0, count: rows) }
    var values = [Int32](repeating: 0, count: d)
    var rowNumbers = [Double](repeating: 0, count: d)
    var rejected = Set<Int>()
    var block = range.lowerBound / NetworkSampler.blockSize
    while rows > 0 && block * NetworkSampler.blockSize < range.upperBound {
      let start = block * NetworkSampler.blockSize
      let end = min(start + NetworkSampler.blockSize, range.upperBound)
      var random = SeededGenerator(
        seed: seed, label: constraints == nil ? label : label + " conditional",
        index: UInt64(block))
      for row in start..<end {
        var keepProbability = 1.0
        for (position, node) in network.nodes.enumerated() {
          var configuration = 0
          for (parent, stride) in zip(node.parents, strides[position]) {
            configuration += Int(values[parent]) * stride
          }
          let r = cardinalities[node.attribute]
          if let constraints, let allowed = constraints.allowed[node.attribute] {
            let (value, mass) = drawAllowed(
              cumulative[position], from: configuration * r, allowed: allowed, random: &random)
            values[node.attribute] = Int32(value)
            let best = constraints.maximumMass[position]
            keepProbability *= best > 0 ? mass / best : 0
          } else {
            values[node.attribute] = Int32(
              draw(cumulative[position], from: configuration * r, count: r, random: &random))
          }
        }
        if constraints != nil, random.nextUnit() >= keepProbability {
          rejected.insert(row)
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
    guard let constraints else { return try Table(columns: output) }
    for (index, value) in constraints.fixedNumbers {
      if case .numbers(var values) = output[index].values {
        for row in 0..<rows { values[row] = value }
        output[index].values = .numbers(values)
      }
    }
    let kept = (0..<rows).filter { !rejected.contains($0 + range.lowerBound) }
    return try Table(columns: output).selectingRows(kept)
  }

  /// A draw among the allowed values of one conditional table row, and the row's probability of
  /// an allowed value.
  private func drawAllowed(
    _ cumulative: [Double], from start: Int, allowed: [Bool], random: inout SeededGenerator
  ) -> (value: Int, mass: Double) {
    let count = allowed.count
    let total = cumulative[start + count - 1]
    var mass = 0.0
    var first = -1
    for x in 0..<count where allowed[x] {
      if first < 0 { first = x }
      mass += cumulative[start + x] - (x > 0 ? cumulative[start + x - 1] : 0)
    }
    guard mass > 0, total > 0 else { return (max(first, 0), 0) }
    let target = random.nextUnit() * mass
    var running = 0.0
    var last = first
    for x in 0..<count where allowed[x] {
      running += cumulative[start + x] - (x > 0 ? cumulative[start + x - 1] : 0)
      last = x
      if running > target { return (x, mass / total) }
    }
    return (last, mass / total)
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

/// The values that conditions allow for each attribute of a Bayesian network, and what is needed
/// to sample the network given them.
///
/// Constrained attributes are drawn from their conditional tables restricted to the allowed
/// values (likelihood weighting; Fung and Chang, UAI 1989; Shachter and Peot, UAI 1989). A row's
/// weight is the product over constrained nodes of the allowed mass of its table row; dividing
/// each factor by its largest value over all parent configurations bounds the weight by 1, so
/// keeping a row with that probability turns the weighted draws into exact draws from the
/// conditional distribution (rejection sampling with a likelihood-weighting proposal). A
/// constrained root node's factor is 1, so a single condition on a root keeps every row.
struct NetworkConstraints: Sendable {
  /// Per attribute: flags for the allowed codes, or `nil` when unconstrained.
  let allowed: [[Bool]?]
  /// Per network node (in network order): the largest allowed mass over parent configurations.
  let maximumMass: [Double]
  /// Numerical columns fixed by an equality condition, and their value.
  let fixedNumbers: [Int: Double]

  init(conditions: [ResolvedCondition], sampler: NetworkSampler) throws {
    let columns = sampler.columns
    var allowed = [[Bool]?](repeating: nil, count: columns.count)
    var fixed: [Int: Double] = [:]
    for condition in conditions {
      let column = columns[condition.column]
      var flags = [Bool](repeating: false, count: column.cardinality)
      switch condition.test {
      case .label(let label):
        if let labels = column.labels, let code = ResolvedCondition.code(of: label, in: labels) {
          flags[Int(code)] = true
        }
      case .number(let x):
        if let bins = column.bins, let first = bins.first, let last = bins.last,
          x >= first.lower - 1e-9 * max(1, abs(x)), x <= last.upper + 1e-9 * max(1, abs(x))
        {
          flags[Int(column.code(ofNumber: x))] = true
          if let earlier = fixed[condition.column], earlier != x {
            flags = flags.map { _ in false }
          }
          fixed[condition.column] = x
        }
      case .range(let a, let b, _, _):
        for (code, bin) in (column.bins ?? []).enumerated() where bin.lower <= b && bin.upper >= a {
          flags[code] = true
        }
      }
      if let earlier = allowed[condition.column] {
        flags = zip(flags, earlier).map { $0 && $1 }
      }
      guard flags.contains(true) else {
        throw DoppelError(
          .impossibleCondition,
          "the condition asks for a value this column never takes in the model",
          context: .init(column: condition.name))
      }
      allowed[condition.column] = flags
    }
    self.allowed = allowed
    self.fixedNumbers = fixed
    maximumMass = sampler.network.nodes.enumerated().map { position, node in
      guard let flags = allowed[node.attribute] else { return 1 }
      let sums = sampler.cumulative[position]
      let r = flags.count
      var best = 0.0
      for start in stride(from: 0, to: sums.count, by: r) {
        let total = sums[start + r - 1]
        guard total > 0 else { continue }
        var mass = 0.0
        for x in 0..<r where flags[x] {
          mass += sums[start + x] - (x > 0 ? sums[start + x - 1] : 0)
        }
        best = max(best, mass / total)
      }
      return best
    }
    guard maximumMass.allSatisfy({ $0 > 0 }) else {
      throw DoppelError(
        .impossibleCondition, "the model gives the conditioned values no probability")
    }
  }
}
