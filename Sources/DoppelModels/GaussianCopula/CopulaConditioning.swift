import DoppelCore
import DoppelTransforms
import Foundation

extension GaussianCopulaModel: ConditionalSampling {
  /// The labels of a categorical or boolean column, most frequent first.
  /// - Parameter column: The column index.
  /// - Returns: The labels, or `nil` for other columns.
  public func conditionLabels(ofColumn column: Int) -> [String]? {
    guard columns.indices.contains(column), let labels = columns[column].labels else { return nil }
    return labels.compactMap { $0 }
  }

  /// Throws when a condition falls outside what the copula can generate: a number outside the
  /// training range (without extrapolation), a fraction for an integer column, a value other than
  /// a constant column's, or contradicting conditions on one column.
  /// - Parameter conditions: Resolved conditions.
  /// - Throws: ``DoppelError`` `impossibleCondition`.
  public func checkConditions(_ conditions: [ResolvedCondition]) throws {
    _ = try CopulaConstraints(
      conditions: conditions, columns: columns, metadata: metadata,
      dimension: correlation.dimension,
      allowExtrapolation: synthesizer.allowExtrapolation)
  }

  /// Proposes rows whose normal scores are drawn from the copula conditioned on the conditions.
  ///
  /// Conditions become constraints on the latent normal vector z ~ N(0, R): an equality on a
  /// number fixes its score at Φ⁻¹(F(x)); a category or a numeric range confines a score to an
  /// interval. Constrained scores are drawn one by one from their truncated conditionals through
  /// the Cholesky factor of the reordered correlation (the GHK simulator: Geweke 1991; Hajivassiliou
  /// and McFadden 1998; Keane 1994), fixed scores first and the rarest interval next. The GHK
  /// weight of a row is the product of its intervals' conditional probabilities; the first
  /// interval's factor is the same for every row, so keeping a row with probability equal to the
  /// product of the other factors makes the kept rows exact draws from the conditional copula.
  /// With one categorical condition every proposal is kept, however rare the category.
  /// - Parameters:
  ///   - range: Proposal positions.
  ///   - seed: The sampling seed.
  ///   - conditions: Resolved conditions.
  /// - Returns: The kept rows.
  /// - Throws: ``DoppelError`` `impossibleCondition` or when a column cannot be built.
  public func proposeRows(
    range: Range<Int>, seed: UInt64, given conditions: [ResolvedCondition]
  ) throws -> Table {
    let constraints = try CopulaConstraints(
      conditions: conditions, columns: columns, metadata: metadata,
      dimension: correlation.dimension,
      allowExtrapolation: synthesizer.allowExtrapolation)
    let cholesky = constraints.permutedCholesky(correlation)
    let d = correlation.dimension
    let rows = range.count
    var z = [Double](repeating: 0, count: rows * d)
    var kept: [Int] = []
    kept.reserveCapacity(rows)
    if d == 0 {
      kept = Array(0..<rows)
    } else if rows > 0 {
      var block = range.lowerBound / PreparedCopula.blockSize
      var epsilon = [Double](repeating: 0, count: d)
      var permuted = [Double](repeating: 0, count: d)
      while block * PreparedCopula.blockSize < range.upperBound {
        let blockStart = block * PreparedCopula.blockSize
        var random = SeededGenerator(seed: seed, label: "copula conditional", index: UInt64(block))
        let end = min(blockStart + PreparedCopula.blockSize, range.upperBound)
        for row in blockStart..<end {
          let keep = constraints.draw(
            cholesky: cholesky, epsilon: &epsilon, permuted: &permuted, random: &random)
          guard row >= range.lowerBound, keep else { continue }
          let base = (row - range.lowerBound) * d
          for k in 0..<d { z[base + constraints.order[k]] = permuted[k] }
          kept.append(row - range.lowerBound)
        }
        block += 1
      }
    }
    var output: [Column] = []
    output.reserveCapacity(columns.count)
    let prepared = PreparedCopula(
      columns: columns, correlation: correlation,
      allowExtrapolation: synthesizer.allowExtrapolation)
    for (index, model) in columns.enumerated() {
      var column = try prepared.column(
        index: index, model: model, kind: metadata.columns[index].kind, z: z, rows: rows,
        range: range, seed: seed)
      if let value = constraints.fixedValues[index], case .numbers(var values) = column.values {
        for row in 0..<rows { values[row] = value }
        column.values = .numbers(values)
      }
      output.append(column)
    }
    return try Table(columns: output).selectingRows(kept)
  }
}

/// The constraints that conditions put on a copula's latent normal scores, in sampling order.
struct CopulaConstraints {
  enum Kind {
    case point
    case interval
    case free
  }

  /// `order[k]` is the copula dimension drawn k-th.
  let order: [Int]
  let kinds: [Kind]
  let lower: [Double]
  let upper: [Double]
  /// Positions (in drawing order) whose factor decides whether a row is kept.
  let weighted: [Bool]
  /// Numerical columns fixed by an equality condition, and their value.
  let fixedValues: [Int: Double]

  init(
    conditions: [ResolvedCondition], columns: [CopulaColumnModel], metadata: TableMetadata,
    dimension: Int, allowExtrapolation: Bool
  ) throws {
    var low = [Double](repeating: -.infinity, count: dimension)
    var high = [Double](repeating: .infinity, count: dimension)
    var point = [Bool](repeating: false, count: dimension)
    var fixed: [Int: Double] = [:]
    func impossible(_ what: String, _ name: String) -> DoppelError {
      DoppelError(.impossibleCondition, what, context: .init(column: name))
    }
    func confine(_ dim: Int, _ a: Double, _ b: Double, _ name: String) throws {
      let newLow = max(low[dim], a)
      let newHigh = min(high[dim], b)
      guard newLow <= newHigh else {
        throw impossible("the conditions on this column leave no value to sample", name)
      }
      low[dim] = newLow
      high[dim] = newHigh
    }
    for condition in conditions {
      let model = columns[condition.column]
      let name = condition.name
      switch condition.test {
      case .label(let label):
        guard let entries = model.labels else {
          throw impossible("this column holds no categories to condition on", name)
        }
        let names = entries.map { $0 ?? "\u{0}" }
        guard let code = ResolvedCondition.code(of: label, in: names), entries[Int(code)] != nil
        else {
          throw impossible(
            "the condition asks for a value this column never takes in the model", name)
        }
        guard let dim = model.categoryDimension, let probabilities = model.probabilities else {
          continue  // a single category: every row has it.
        }
        let total = probabilities.reduce(0, +)
        let before = probabilities[..<Int(code)].reduce(0, +) / total
        let through = before + probabilities[Int(code)] / total
        let a = Int(code) == 0 ? -Double.infinity : SpecialFunctions.normalQuantile(before)
        let b =
          Int(code) == probabilities.count - 1
          ? Double.infinity : SpecialFunctions.normalQuantile(min(through, 1))
        try confine(dim, a, b, name)
      case .number(let x):
        guard let marginal = model.marginal else {
          throw impossible("this column is always missing in the model", name)
        }
        try Self.checkInRange(x, x, marginal, allowExtrapolation, name)
        if case .numerical(let format) = metadata.columns[condition.column].kind, format.isInteger,
          x.rounded() != x
        {
          throw impossible("this column holds whole numbers only", name)
        }
        if let earlier = fixed[condition.column], earlier != x {
          throw impossible("two conditions ask this column for different values", name)
        }
        fixed[condition.column] = x
        if let dim = model.missingDimension {
          try confine(
            dim, -.infinity, SpecialFunctions.normalQuantile(1 - model.missingProbability), name)
        }
        guard let dim = model.valueDimension else {
          guard abs(marginal.lower - x) <= 1e-9 * max(1, abs(x)) else {
            throw impossible(
              "this column has one value in the model and the condition asks for another", name)
          }
          continue
        }
        let score = Self.score(marginal.cdf(x))
        try confine(dim, score, score, name)
        point[dim] = true
      case .range(let a, let b, _, _):
        guard let marginal = model.marginal else {
          throw impossible("this column is always missing in the model", name)
        }
        try Self.checkInRange(a, b, marginal, allowExtrapolation, name)
        if let dim = model.missingDimension {
          try confine(
            dim, -.infinity, SpecialFunctions.normalQuantile(1 - model.missingProbability), name)
        }
        guard let dim = model.valueDimension else { continue }
        // Widen by half a rounding step so values that round into the range are kept; the
        // exact test is applied to every sampled row afterwards.
        let slack = Self.roundingSlack(metadata.columns[condition.column].kind)
        let za = a.isFinite ? Self.score(marginal.cdf(a - slack)) : -Double.infinity
        let zb = b.isFinite ? Self.score(marginal.cdf(b + slack)) : Double.infinity
        try confine(dim, za, zb, name)
      }
    }
    // Points first, then intervals from the least to the most likely, then free dimensions.
    var points: [Int] = []
    var intervals: [(dim: Int, mass: Double)] = []
    var free: [Int] = []
    for dim in 0..<dimension {
      if point[dim] {
        points.append(dim)
      } else if low[dim] > -.infinity || high[dim] < .infinity {
        let mass = SpecialFunctions.normalCDF(high[dim]) - SpecialFunctions.normalCDF(low[dim])
        intervals.append((dim, mass))
      } else {
        free.append(dim)
      }
    }
    intervals.sort { $0.mass != $1.mass ? $0.mass < $1.mass : $0.dim < $1.dim }
    order = points + intervals.map(\.dim) + free
    kinds =
      points.map { _ in Kind.point } + intervals.map { _ in Kind.interval }
      + free.map { _ in .free }
    lower = order.map { low[$0] }
    upper = order.map { high[$0] }
    var weights = [Bool](repeating: false, count: dimension)
    if intervals.count > 1 {
      for k in (points.count + 1)..<(points.count + intervals.count) { weights[k] = true }
    }
    weighted = weights
    fixedValues = fixed
  }

  private static func score(_ u: Double) -> Double {
    SpecialFunctions.normalQuantile(min(max(u, 1e-15), 1 - 1e-15))
  }

  private static func roundingSlack(_ kind: ColumnKind) -> Double {
    switch Rounding(kind: kind).rule {
    case .none: return 0
    case .decimals(let scale): return 0.5 / scale
    case .step(let step): return step / 2
    }
  }

  private static func checkInRange(
    _ a: Double, _ b: Double, _ marginal: Marginal, _ allowExtrapolation: Bool, _ name: String
  ) throws {
    guard !allowExtrapolation else { return }
    if b < marginal.lower || a > marginal.upper {
      throw DoppelError(
        .impossibleCondition,
        "the condition lies outside the range this column is sampled in (values stay within the training range unless allowExtrapolation=true)",
        context: .init(column: name))
    }
  }

  /// The Cholesky factor of the correlation with rows and columns in drawing order.
  func permutedCholesky(_ correlation: CorrelationMatrix) -> [Double] {
    let n = correlation.dimension
    var values = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0..<n {
        values[i * n + j] = correlation.values[order[i] * n + order[j]]
      }
    }
    var lower = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0...i {
        var sum = values[i * n + j]
        for k in 0..<j { sum -= lower[i * n + k] * lower[j * n + k] }
        if i == j {
          lower[i * n + i] = max(sum, 1e-12).squareRoot()
        } else {
          lower[i * n + j] = sum / lower[j * n + j]
        }
      }
    }
    return lower
  }

  /// Draws one latent vector in drawing order into `permuted`; returns whether the row is kept.
  func draw(
    cholesky: [Double], epsilon: inout [Double], permuted: inout [Double],
    random: inout SeededGenerator
  ) -> Bool {
    let d = order.count
    var keepProbability = 1.0
    for k in 0..<d {
      var mean = 0.0
      let row = k * d
      for j in 0..<k { mean += cholesky[row + j] * epsilon[j] }
      let scale = cholesky[row + k]
      switch kinds[k] {
      case .free:
        epsilon[k] = random.nextNormal()
      case .point:
        epsilon[k] = (lower[k] - mean) / scale
      case .interval:
        let a = (lower[k] - mean) / scale
        let b = (upper[k] - mean) / scale
        let u = random.nextOpenUnit()
        // Work in the tail where the probabilities are large enough to keep precision.
        if a > 0 {
          let qa = SpecialFunctions.normalCDF(-a)
          let qb = SpecialFunctions.normalCDF(-b)
          let mass = qa - qb
          if weighted[k] { keepProbability *= mass }
          epsilon[k] = -SpecialFunctions.normalQuantile(min(max(qa - u * mass, 1e-300), 1))
        } else {
          let pa = SpecialFunctions.normalCDF(a)
          let pb = SpecialFunctions.normalCDF(b)
          let mass = pb - pa
          if weighted[k] { keepProbability *= mass }
          epsilon[k] = SpecialFunctions.normalQuantile(min(max(pa + u * mass, 1e-300), 1 - 1e-16))
        }
        epsilon[k] = min(max(epsilon[k], a), b)
      }
      permuted[k] = mean + scale * epsilon[k]
    }
    guard weighted.contains(true) else { return true }
    return random.nextUnit() < keepProbability
  }
}
