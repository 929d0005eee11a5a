import DoppelCore
import DoppelModels
import DoppelTransforms
import Foundation

/// How one column enters TabDDPM: a number as one Gaussian feature after a quantile transform to
/// the standard normal, a category as one multinomial feature. A number with missing values adds a
/// two-class multinomial feature (present, missing); a category with missing values gets one more
/// class. Strings (identifiers, text, personal data) are generated apart.
public struct DiffusionColumn: Codable, Sendable, Equatable {
  /// What the diffusion sees of the column: a Gaussian feature (with a missing indicator when
  /// values are missing), a multinomial feature, or strings generated outside the diffusion.
  public typealias Role = EncodedColumn.Role

  /// The column name.
  public var name: String
  /// The column's representation.
  public var role: Role
  /// Numbers: the observed quantiles at probabilities k/(m−1), k = 0…m−1, ascending.
  public var quantiles: [Double]?
  /// Categories: the labels that occur with a class of their own (the most frequent, up to the
  /// category cap).
  public var categories: [String]?
  /// Categories: the rarest labels beyond the category cap, which share one "other" class;
  /// sampling draws among them by their training counts. Nil when none is pooled.
  public var pooled: PooledCategories?
  /// Whether the column had missing values (numbers: an indicator feature; categories: a class).
  public var hasMissing: Bool
  /// What generates a string column.
  public var strings: CopulaColumnModel?

  /// The number of classes of a categorical column's feature: the kept labels, then "other"
  /// when labels are pooled, then "missing".
  var classCount: Int {
    max((categories?.count ?? 0) + (pooled == nil ? 0 : 1) + (hasMissing ? 1 : 0), 1)
  }
}

/// A table encoded for diffusion: Gaussian features by row and multinomial classes by feature.
struct DiffusionRows: Sendable {
  var rowCount: Int
  /// [feature][row] the normal score of each numeric column (0 where missing).
  var numbers: [[Float]]
  /// [feature][row] the class of each multinomial feature.
  var classes: [[Int32]]
}

/// The reversible encoding between tables and TabDDPM's Gaussian and multinomial features.
///
/// Numbers use the quantile transform to a standard normal of scikit-learn's
/// `QuantileTransformer(output_distribution="normal")` with m = max(min(n/30, 1000), 10) quantiles,
/// as the TabDDPM code: a value's probability is interpolated between the quantiles (ties get the
/// middle of their probability range), clipped to [10⁻⁷, 1−10⁻⁷] and mapped through Φ⁻¹; the
/// inverse interpolates the quantiles at Φ(z), so samples stay within the observed range.
public struct TabDDPMEncoder: Codable, Sendable, Equatable {
  /// The columns in table order.
  public var columns: [DiffusionColumn]

  /// The probability clip of the quantile transform (scikit-learn's `BOUNDS_THRESHOLD`).
  static let bound = 1e-7

  /// The numeric columns, in order: Gaussian feature f is column `numericColumns[f]`.
  var numericColumns: [Int] { columns.indices.filter { columns[$0].role == .numeric } }

  /// The multinomial features in order: (column, class count, whether it is a missing indicator).
  var features: [(column: Int, size: Int, indicator: Bool)] {
    var out: [(column: Int, size: Int, indicator: Bool)] = []
    for (index, column) in columns.enumerated() {
      switch column.role {
      case .numeric where column.hasMissing: out.append((index, 2, true))
      case .categorical: out.append((index, column.classCount, false))
      default: break
      }
    }
    return out
  }

  /// Learns the encoding of a table.
  /// - Parameters:
  ///   - table: The training table.
  ///   - maximumCategories: The most labels of a categorical column with a class of their own;
  ///     rarer ones share an "other" class.
  /// - Returns: The encoder.
  static func fit(
    _ table: Table, maximumCategories: Int = TabularEncoder.defaultMaximumCategories
  ) -> TabDDPMEncoder {
    var columns: [DiffusionColumn] = []
    for column in table.columns {
      let hasMissing = column.missing.missingCount > 0
      switch column.values {
      case .numbers(let values):
        var observed: [Double] = []
        observed.reserveCapacity(values.count)
        for row in values.indices where !column.missing[row] && values[row].isFinite {
          observed.append(values[row])
        }
        columns.append(
          DiffusionColumn(
            name: column.name, role: .numeric, quantiles: quantiles(of: observed),
            categories: nil, hasMissing: hasMissing || observed.count < values.count, strings: nil))
      case .categories(let codes, let labels):
        let (kept, pooled) = PooledCategories.cap(
          codes: codes, labels: labels, missing: column.missing, maximum: maximumCategories)
        columns.append(
          DiffusionColumn(
            name: column.name, role: .categorical, quantiles: nil,
            categories: kept.map { labels[$0] }, pooled: pooled,
            hasMissing: hasMissing || kept.isEmpty, strings: nil))
      case .strings:
        columns.append(
          DiffusionColumn(
            name: column.name, role: .strings, quantiles: nil, categories: nil, hasMissing: false,
            strings: StringColumns.model(of: column)))
      }
    }
    return TabDDPMEncoder(columns: columns)
  }

  /// The quantiles at m evenly spaced probabilities (linear interpolation between order
  /// statistics, as NumPy's `percentile`).
  static func quantiles(of values: [Double]) -> [Double] {
    guard !values.isEmpty else { return [] }
    let sorted = values.sorted()
    let m = max(min(sorted.count / 30, 1000), 10)
    return (0..<m).map { k in
      let position = Double(k) / Double(m - 1) * Double(sorted.count - 1)
      let low = Int(position.rounded(.down))
      let high = min(low + 1, sorted.count - 1)
      let fraction = position - Double(low)
      return sorted[low] + (sorted[high] - sorted[low]) * fraction
    }
  }

  /// The normal score of `x`.
  static func forward(_ x: Double, quantiles q: [Double]) -> Double {
    let m = q.count
    guard m > 1 else { return 0 }
    func reference(_ i: Int) -> Double { Double(i) / Double(m - 1) }
    // The first knot ≥ x and the first knot > x (binary searches).
    func firstIndex(_ above: (Double) -> Bool) -> Int {
      var low = 0
      var high = m
      while low < high {
        let mid = (low + high) / 2
        if above(q[mid]) { high = mid } else { low = mid + 1 }
      }
      return low
    }
    func interpolate(_ i: Int) -> Double {
      // x lies strictly between knots i−1 and i.
      let span = q[i] - q[i - 1]
      return reference(i - 1) + (span > 0 ? (x - q[i - 1]) / span : 0) / Double(m - 1)
    }
    let l = firstIndex { $0 >= x }
    let left: Double =
      l == 0 ? 0 : l == m ? 1 : q[l] == x ? reference(l) : interpolate(l)
    let r = firstIndex { $0 > x }
    let right: Double =
      r == 0 ? 0 : q[r - 1] == x ? reference(r - 1) : r == m ? 1 : interpolate(r)
    let p = min(max((left + right) / 2, bound), 1 - bound)
    return SpecialFunctions.normalQuantile(p)
  }

  /// The number whose normal score is `z`.
  static func inverse(_ z: Double, quantiles q: [Double]) -> Double {
    let m = q.count
    guard m > 0 else { return 0 }
    guard m > 1, !z.isNaN else { return q[0] }
    let p = min(max(SpecialFunctions.normalCDF(z), 0), 1)
    let position = p * Double(m - 1)
    let low = min(Int(position.rounded(.down)), m - 1)
    let high = min(low + 1, m - 1)
    let fraction = position - Double(low)
    return q[low] + (q[high] - q[low]) * fraction
  }

  /// Encodes a table.
  func encode(_ table: Table) -> DiffusionRows {
    let n = table.rowCount
    var numbers: [[Float]] = []
    for index in numericColumns {
      let column = table.columns[index]
      let q = columns[index].quantiles ?? []
      var out = [Float](repeating: 0, count: n)
      if case .numbers(let values) = column.values {
        for row in 0..<n where !column.missing[row] && values[row].isFinite {
          out[row] = Float(TabDDPMEncoder.forward(values[row], quantiles: q))
        }
      }
      numbers.append(out)
    }
    var classes: [[Int32]] = []
    for feature in features {
      let column = table.columns[feature.column]
      var out = [Int32](repeating: 0, count: n)
      switch column.values {
      case .numbers(let values):
        for row in 0..<n where column.missing[row] || !values[row].isFinite { out[row] = 1 }
      case .categories(let codes, let labels):
        let spec = columns[feature.column]
        let missingClass = Int32(spec.classCount - 1)
        var position: [String: Int32] = [:]
        let kept = spec.categories ?? []
        for (k, label) in kept.enumerated() { position[label] = Int32(k) }
        for label in spec.pooled?.labels ?? [] { position[label] = Int32(kept.count) }
        let classOfCode = labels.map { position[$0] ?? missingClass }
        for row in 0..<n {
          let code = Int(codes[row])
          out[row] =
            column.missing[row] || code < 0 || code >= labels.count
            ? missingClass : classOfCode[code]
        }
      case .strings:
        break
      }
      classes.append(out)
    }
    return DiffusionRows(rowCount: n, numbers: numbers, classes: classes)
  }

  /// Turns sampled features back into a table.
  /// - Parameters:
  ///   - numbers: [feature][row] sampled normal scores.
  ///   - classes: [feature][row] sampled classes.
  ///   - metadata: The table's metadata.
  ///   - range: The row positions, for generated string columns.
  ///   - seed: The sampling seed, for generated string columns.
  /// - Returns: The table.
  /// - Throws: ``DoppelError`` when a column cannot be built.
  func decode(
    numbers: [[Float]], classes: [[Int32]], metadata: TableMetadata, range: Range<Int>,
    seed: UInt64
  ) throws -> Table {
    let n = range.count
    var numericFeature: [Int: Int] = [:]
    for (f, index) in numericColumns.enumerated() { numericFeature[index] = f }
    var classFeature: [Int: Int] = [:]
    for (f, feature) in features.enumerated() { classFeature[feature.column] = f }
    var result: [Column] = []
    for (index, spec) in columns.enumerated() {
      let kind = metadata.columns[index].kind
      var missing = MissingMask(count: n)
      switch spec.role {
      case .strings:
        guard let model = spec.strings else {
          throw DoppelError(
            .corruptModel, "a string column has no model", context: .init(column: spec.name))
        }
        result.append(
          try StringColumns.generate(
            kind: kind, model: model, range: range, seed: seed, columnIndex: index))
      case .numeric:
        let q = spec.quantiles ?? []
        let rounding = NumberRounding(kind: kind)
        let scores = numericFeature[index].map { numbers[$0] } ?? []
        let indicator = classFeature[index].map { classes[$0] }
        var values = [Double](repeating: 0, count: n)
        for row in 0..<n {
          if q.isEmpty || indicator?[row] == 1 || row >= scores.count {
            missing[row] = true
            continue
          }
          values[row] = rounding.apply(
            TabDDPMEncoder.inverse(Double(scores[row]), quantiles: q))
        }
        result.append(
          try Column(name: spec.name, kind: kind, values: .numbers(values), missing: missing))
      case .categorical:
        let kept = spec.categories ?? []
        let labels = kept + (spec.pooled?.labels ?? [])
        let cumulative = spec.pooled?.cumulativeCounts ?? []
        let sampled = classFeature[index].map { classes[$0] } ?? []
        var codes = [Int32](repeating: 0, count: n)
        for row in 0..<n {
          let c = row < sampled.count ? Int(sampled[row]) : -1
          if c >= 0 && c < kept.count {
            codes[row] = Int32(c)
          } else if spec.pooled != nil, c == kept.count {
            codes[row] = Int32(
              kept.count
                + PooledCategories.draw(
                  seed: seed, column: index, row: range.lowerBound + row, cumulative: cumulative))
          } else {
            missing[row] = true
          }
        }
        result.append(
          try Column(
            name: spec.name, kind: kind, values: .categories(codes: codes, categories: labels),
            missing: missing))
      }
    }
    return try Table(columns: result)
  }

  /// Checks that the encoder matches a model's metadata.
  func validate(against metadata: TableMetadata) throws {
    try Training.checkEncoding(
      columns.map { ($0.name, $0.role, $0.pooled) }, against: metadata)
    for spec in columns {
      if let q = spec.quantiles {
        guard q.allSatisfy(\.isFinite), zip(q, q.dropFirst()).allSatisfy({ $0 <= $1 }) else {
          throw DoppelError(
            .corruptModel, "a column's quantiles are damaged", context: .init(column: spec.name))
        }
      }
    }
  }
}
