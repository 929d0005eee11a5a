import DoppelCore
import DoppelTransforms
import Foundation

/// The sampling state derived from a copula model once: the Cholesky factor, fast inverse-CDF
/// tables and categorical cut points in normal space.
final class PreparedCopula: Sendable {
  static let blockSize = 4096

  /// How a numerical column turns a normal score z into a value.
  enum NumberMap: Sendable {
    /// x = a + b·z (normal marginal).
    case affine(Double, Double)
    /// x = location + exp(mu + sigma·z) (log-normal marginal).
    case logNormal(mu: Double, sigma: Double, location: Double)
    /// x = marginal.quantile(Φ(z)) (uniform and empirical marginals: cheap inverse).
    case direct(Marginal)
    /// x tabulated on a z grid from −zLimit to zLimit (beta and gamma marginals).
    case table([Double])
    /// Always this value.
    case constant(Double)
  }

  static let zLimit = 8.0
  static let gridStepsPerUnit = 32.0

  let dimension: Int
  let cholesky: [Double]
  let maps: [NumberMap?]
  /// Categorical cut points in z: entry k is chosen when cut[k-1] ≤ z < cut[k].
  let cuts: [[Double]?]
  /// Missing-indicator cut: missing when z ≥ cut.
  let missingCuts: [Double?]

  let allowExtrapolation: Bool

  init(columns: [CopulaColumnModel], correlation: CorrelationMatrix, allowExtrapolation: Bool) {
    self.allowExtrapolation = allowExtrapolation
    dimension = correlation.dimension
    cholesky = correlation.choleskyFactor
    maps = columns.map { column in
      guard let marginal = column.marginal else { return nil }
      if column.valueDimension == nil || marginal.lower == marginal.upper {
        return .constant(marginal.family == .empirical ? marginal.parameters[0] : marginal.lower)
      }
      switch marginal.family {
      case .normal: return .affine(marginal.parameters[0], marginal.parameters[1])
      case .logNormal:
        return .logNormal(
          mu: marginal.parameters[0], sigma: marginal.parameters[1],
          location: marginal.parameters[2])
      case .uniform, .empirical: return .direct(marginal)
      case .beta, .gamma:
        let count = Int(2 * PreparedCopula.zLimit * PreparedCopula.gridStepsPerUnit) + 1
        return .table(
          (0..<count).map { k in
            let z = -PreparedCopula.zLimit + Double(k) / PreparedCopula.gridStepsPerUnit
            return marginal.quantile(SpecialFunctions.normalCDF(z))
          })
      }
    }
    cuts = columns.map { column in
      guard let probabilities = column.probabilities, probabilities.count > 1 else { return nil }
      let total = probabilities.reduce(0, +)
      var cumulative = 0.0
      return probabilities.dropLast().map { p in
        cumulative += p / total
        return SpecialFunctions.normalQuantile(min(cumulative, 1))
      }
    }
    missingCuts = columns.map { column in
      column.missingDimension == nil
        ? nil : SpecialFunctions.normalQuantile(1 - column.missingProbability)
    }
  }

  func sample(
    range: Range<Int>, seed: UInt64, metadata: TableMetadata, columns: [CopulaColumnModel]
  ) throws -> Table {
    let rows = range.count
    let d = dimension
    // z holds the correlated normals of every requested row, row-major.
    var z = [Double](repeating: 0, count: rows * d)
    if d > 0 && rows > 0 {
      var block = range.lowerBound / PreparedCopula.blockSize
      var epsilon = [Double](repeating: 0, count: d)
      while block * PreparedCopula.blockSize < range.upperBound {
        let blockStart = block * PreparedCopula.blockSize
        var random = SeededGenerator(seed: seed, label: "copula", index: UInt64(block))
        let end = min(blockStart + PreparedCopula.blockSize, range.upperBound)
        for row in blockStart..<end {
          for k in 0..<d { epsilon[k] = random.nextNormal() }
          guard row >= range.lowerBound else { continue }
          let base = (row - range.lowerBound) * d
          for i in 0..<d {
            var sum = 0.0
            let li = i * d
            for k in 0...i { sum += cholesky[li + k] * epsilon[k] }
            z[base + i] = sum
          }
        }
        block += 1
      }
    }
    var output: [Column] = []
    output.reserveCapacity(columns.count)
    for (index, model) in columns.enumerated() {
      let entry = metadata.columns[index]
      output.append(
        try column(
          index: index, model: model, kind: entry.kind, z: z, rows: rows, range: range, seed: seed))
    }
    return try Table(columns: output)
  }

  func column(
    index: Int, model: CopulaColumnModel, kind: ColumnKind, z: [Double], rows: Int,
    range: Range<Int>, seed: UInt64
  ) throws -> Column {
    let d = dimension
    var missing = MissingMask(count: rows)
    switch kind.storage {
    case .numbers:
      var values = [Double](repeating: 0, count: rows)
      guard let map = maps[index], let marginal = model.marginal else {
        for row in 0..<rows { missing[row] = true }
        return try Column(name: model.name, kind: kind, values: .numbers(values), missing: missing)
      }
      let rounding = Rounding(kind: kind)
      for row in 0..<rows {
        if let dim = model.missingDimension, let cut = missingCuts[index], z[row * d + dim] >= cut {
          missing[row] = true
          continue
        }
        let score = model.valueDimension.map { z[row * d + $0] } ?? 0
        var x = value(map, score)
        if !allowExtrapolation { x = min(max(x, marginal.lower), marginal.upper) }
        values[row] = rounding.apply(x)
      }
      return try Column(name: model.name, kind: kind, values: .numbers(values), missing: missing)
    case .categories:
      let entries = model.labels ?? [nil]
      let labels = entries.compactMap { $0 }
      var codeOf = [Int32](repeating: -1, count: entries.count)
      var next: Int32 = 0
      for (k, label) in entries.enumerated() where label != nil {
        codeOf[k] = next
        next += 1
      }
      var codes = [Int32](repeating: 0, count: rows)
      for row in 0..<rows {
        var k = 0
        if let dim = model.categoryDimension, let cut = cuts[index] {
          let score = z[row * d + dim]
          var lo = 0
          var hi = cut.count
          while lo < hi {
            let mid = (lo + hi) / 2
            if score < cut[mid] { hi = mid } else { lo = mid + 1 }
          }
          k = lo
        }
        if codeOf[k] < 0 {
          missing[row] = true
        } else {
          codes[row] = codeOf[k]
        }
      }
      return try Column(
        name: model.name, kind: kind, values: .categories(codes: codes, categories: labels),
        missing: missing)
    case .strings:
      var random = SeededGenerator(seed: seed, label: "copula strings", index: UInt64(index))
      let values = try StringValues.generate(
        kind: kind, model: model, range: range, seed: seed, columnIndex: index,
        missing: &missing, random: &random)
      return try Column(name: model.name, kind: kind, values: .strings(values), missing: missing)
    }
  }

  private func value(_ map: NumberMap, _ z: Double) -> Double {
    switch map {
    case .affine(let a, let b): return a + b * z
    case .logNormal(let mu, let sigma, let location): return location + exp(mu + sigma * z)
    case .direct(let marginal): return marginal.quantile(SpecialFunctions.normalCDF(z))
    case .constant(let value): return value
    case .table(let grid):
      let position =
        (min(max(z, -PreparedCopula.zLimit), PreparedCopula.zLimit) + PreparedCopula.zLimit)
        * PreparedCopula.gridStepsPerUnit
      let low = min(Int(position), grid.count - 2)
      let fraction = position - Double(low)
      return grid[low] + fraction * (grid[low + 1] - grid[low])
    }
  }
}

/// Rounds sampled numbers the way the column is written: integers, fixed decimals, or the
/// resolution of a datetime format.
struct Rounding {
  enum Rule {
    case none
    case decimals(Double)
    case step(Double)
  }
  let rule: Rule

  init(kind: ColumnKind) {
    switch kind {
    case .numerical(let format):
      if format.isInteger {
        rule = .step(1)
      } else if let decimals = format.decimals, decimals <= 12 {
        rule = .decimals(pow(10, Double(decimals)))
      } else {
        rule = .none
      }
    case .datetime(let format):
      let pattern = format.pattern
      if pattern.contains("%f") {
        rule = .none
      } else if pattern.contains("%S") {
        rule = .step(1)
      } else if pattern.contains("%M") {
        rule = .step(60)
      } else if pattern.contains("%H") {
        rule = .step(3600)
      } else {
        rule = .step(86400)
      }
    default:
      rule = .none
    }
  }

  func apply(_ x: Double) -> Double {
    switch rule {
    case .none: return x
    case .decimals(let scale): return (x * scale).rounded() / scale
    case .step(let step): return (x / step).rounded() * step
    }
  }
}
