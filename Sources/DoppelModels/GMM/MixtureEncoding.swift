import DoppelCore
import DoppelTransforms
import Foundation

/// How one column becomes dimensions of the Gaussian mixture's numeric space, and back.
///
/// - Numerical and datetime: one dimension, the value standardised — after the quantile→normal
///   transform Φ⁻¹(F̂(x)) when ``knots`` are set (F̂ interpolates the empirical quantiles, ties
///   taking their mid-rank) — plus one 0/1 dimension for "missing" when the column has missing
///   values. Sampled values are clipped to the training [min, max] and rounded to the column's
///   grid.
/// - Categorical and boolean: one 0/1 dimension per level (one-hot), the sampled level being the
///   largest coordinate. Only the ``GaussianMixtureSynthesizer/maxLevels`` most frequent labels
///   keep a level; the rarer ones share one "other" level, decoded to one of them in proportion
///   to their training counts. Missing is a level of its own.
/// - Identifiers, text and personal data: no dimension; generated as the Gaussian copula does.
public struct MixtureColumn: Sendable, Equatable, Codable {
  /// The column name.
  public var name: String
  /// The first dimension this column uses.
  public var offset: Int
  /// Numbers: the mean and standard deviation used to standardise.
  public var mean: Double?
  /// Numbers: see ``mean``.
  public var scale: Double?
  /// Numbers: the empirical quantiles at equally spaced probabilities 0…1, when the value goes
  /// through the quantile→normal transform.
  public var knots: [Double]?
  /// Numbers: the smallest and largest training values.
  public var lower: Double?
  /// Numbers: see ``lower``.
  public var upper: Double?
  /// Numbers: whether a "missing" dimension follows the value's.
  public var hasMissingDimension: Bool?
  /// Categories: the labels of the column (as in the training table).
  public var labels: [String]?
  /// Categories: for each one-hot level, the label index it stands for; −1 is missing and −2 the
  /// "other" level.
  public var levels: [Int]?
  /// Categories: the label indices grouped in "other" and their training counts.
  public var otherLabels: [Int]?
  /// Categories: see ``otherLabels``.
  public var otherCounts: [Double]?
  /// Text: weighted character shapes; no value is stored.
  public var shapes: [TextShape.Weighted]?
  /// Text: the share of missing values.
  public var missingProbability: Double?

  /// The number of dimensions the column uses.
  public var width: Int {
    if mean != nil { return 1 + (hasMissingDimension == true ? 1 : 0) }
    return levels?.count ?? 0
  }

  /// The level code of "missing".
  static let missingLevel = -1
  /// The level code of "other".
  static let otherLevel = -2
  /// The number of quantile knots kept.
  static let knotCount = 1001

  init(name: String, offset: Int) {
    self.name = name
    self.offset = offset
  }

  /// Learns a column's encoding.
  static func learn(_ column: Column, offset: Int, quantile: Bool, maxLevels: Int) throws
    -> MixtureColumn
  {
    var model = MixtureColumn(name: column.name, offset: offset)
    let n = column.count
    switch column.values {
    case .numbers(let values):
      var present: [Double] = []
      for row in 0..<n where !column.missing[row] {
        guard values[row].isFinite else {
          throw DoppelError(
            .invalidValue, "a number is infinite or not a number; remove or fix it",
            context: .init(column: column.name))
        }
        present.append(values[row])
      }
      present.sort()
      model.hasMissingDimension = column.missing.hasMissing
      model.lower = present.first ?? 0
      model.upper = present.last ?? 0
      if quantile && present.count >= 2 {
        let last = Double(present.count - 1)
        model.knots = (0..<knotCount).map { j in
          let position = Double(j) / Double(knotCount - 1) * last
          let below = Int(position.rounded(.down))
          let above = min(below + 1, present.count - 1)
          let t = position - Double(below)
          return present[below] + t * (present[above] - present[below])
        }
      }
      let transformed = present.map { model.forward($0) }
      let mean = transformed.isEmpty ? 0 : transformed.reduce(0, +) / Double(transformed.count)
      let variance =
        transformed.count < 2
        ? 0
        : transformed.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(transformed.count - 1)
      model.mean = mean
      model.scale = variance > 0 && variance.isFinite ? variance.squareRoot() : 1
    case .categories(let codes, let labels):
      var counts = [Double](repeating: 0, count: labels.count)
      var missing = 0
      for row in 0..<n {
        let code = Int(codes[row])
        if column.missing[row] || code < 0 || code >= labels.count {
          missing += 1
        } else {
          counts[code] += 1
        }
      }
      let seen = labels.indices.filter { counts[$0] > 0 }
      let ranked = seen.sorted { counts[$0] > counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
      let kept = ranked.count > maxLevels ? Array(ranked.prefix(maxLevels - 1)) : ranked
      let other = ranked.count > maxLevels ? Array(ranked.dropFirst(maxLevels - 1)) : []
      var levels = kept.sorted()
      if !other.isEmpty {
        levels.append(otherLevel)
        model.otherLabels = other.sorted()
        model.otherCounts = other.sorted().map { counts[$0] }
      }
      if missing > 0 { levels.append(missingLevel) }
      model.labels = labels
      model.levels = levels
    case .strings(let values):
      var texts: [String] = []
      for row in 0..<n where !column.missing[row] { texts.append(values[row]) }
      if case .id = column.kind {
        model.shapes = nil
      } else {
        model.shapes = TextShape.learnShapes(from: texts, limit: CopulaFitter.maximumShapes)
      }
      model.missingProbability = n > 0 ? Double(column.missing.missingCount) / Double(n) : 0
    }
    return model
  }

  /// The value before standardisation: the normal score of its quantile, or the value itself.
  func forward(_ x: Double) -> Double {
    guard let knots, let first = knots.first, let last = knots.last, last > first else { return x }
    if x <= first { return SpecialFunctions.normalQuantile(0.5 / Double(MixtureColumn.knotCount)) }
    if x >= last {
      return SpecialFunctions.normalQuantile(1 - 0.5 / Double(MixtureColumn.knotCount))
    }
    // Mid-rank among tied knots.
    var low = 0
    var high = knots.count - 1
    while low < high {
      let middle = (low + high) / 2
      if knots[middle] < x { low = middle + 1 } else { high = middle }
    }
    let firstAtLeast = low
    high = knots.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if knots[middle] <= x { low = middle } else { high = middle - 1 }
    }
    let lastAtMost = low
    var position: Double
    if firstAtLeast <= lastAtMost {
      position = Double(firstAtLeast + lastAtMost) / 2
    } else {
      let a = knots[lastAtMost]
      let b = knots[firstAtLeast]
      position = Double(lastAtMost) + (b > a ? (x - a) / (b - a) : 0.5)
    }
    let p = (position + 0.5) / Double(knots.count)
    return SpecialFunctions.normalQuantile(min(max(p, 1e-9), 1 - 1e-9))
  }

  /// The inverse of ``forward(_:)``.
  func backward(_ z: Double) -> Double {
    guard let knots, knots.count >= 2 else { return z }
    let p = SpecialFunctions.normalCDF(z)
    let position = min(max(p * Double(knots.count) - 0.5, 0), Double(knots.count - 1))
    let below = Int(position.rounded(.down))
    let above = min(below + 1, knots.count - 1)
    let t = position - Double(below)
    return knots[below] + t * (knots[above] - knots[below])
  }

  /// Writes the column's dimensions of one training row into `row`.
  func encode(_ column: Column, row index: Int, into row: inout [Double]) {
    switch column.values {
    case .numbers(let values):
      let missing = column.missing[index]
      let value = missing ? 0 : (forward(values[index]) - (mean ?? 0)) / (scale ?? 1)
      row[offset] = value
      if hasMissingDimension == true { row[offset + 1] = missing ? 1 : 0 }
    case .categories(let codes, let labels):
      guard let levels else { return }
      let code = Int(codes[index])
      let isMissing = column.missing[index] || code < 0 || code >= labels.count
      var level: Int?
      if isMissing {
        level = levels.firstIndex(of: MixtureColumn.missingLevel)
      } else {
        level = levels.firstIndex(of: code) ?? levels.firstIndex(of: MixtureColumn.otherLevel)
      }
      for j in 0..<levels.count { row[offset + j] = j == level ? 1 : 0 }
    case .strings:
      return
    }
  }
}
