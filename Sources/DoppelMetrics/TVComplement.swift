import DoppelCore

/// One minus the total variation distance between the category frequencies of a discrete column
/// (SDMetrics' `TVComplement`).
///
/// Missing values are dropped from each table separately. As SDMetrics does, a category seen only
/// in the synthetic column adds a real count of 1e-6. Score = 1 − ½ Σₓ |f_synth(x) − f_real(x)|.
public struct TVComplement: ColumnMetric {
  /// `"TVComplement"`.
  public let id = "TVComplement"
  /// Higher is better.
  public let goal = Goal.maximize
  /// [0, 1].
  public let range: ClosedRange<Double> = 0...1

  /// Creates the metric.
  public init() {}

  /// Scores two discrete columns (categorical, boolean, or numbers treated as categories).
  /// - Parameters:
  ///   - real: The real column.
  ///   - synthetic: The synthetic column.
  /// - Returns: 1 − TV, or `nil` when either column has no non-missing value.
  public func score(real: Column, synthetic: Column) -> Double? {
    let realCounts = TVComplement.counts(real)
    let synthCounts = TVComplement.counts(synthetic)
    let synthTotal = synthCounts.values.reduce(0, +)
    guard !realCounts.isEmpty, synthTotal > 0 else { return nil }
    var realAdjusted = realCounts.mapValues(Double.init)
    for key in synthCounts.keys where realAdjusted[key] == nil { realAdjusted[key] = 1e-6 }
    let realTotal = realAdjusted.values.reduce(0, +)
    var keys = Set(realAdjusted.keys)
    keys.formUnion(synthCounts.keys)
    var distance = 0.0
    for key in keys.sorted() {
      let fr = (realAdjusted[key] ?? 0) / realTotal
      let fs = Double(synthCounts[key] ?? 0) / Double(synthTotal)
      distance += abs(fs - fr)
    }
    return 1 - 0.5 * distance
  }

  /// Counts of each non-missing value, keyed by its text (numbers by their rounded value).
  static func counts(_ column: Column) -> [String: Int] {
    var counts: [String: Int] = [:]
    switch column.values {
    case .categories(let codes, let labels):
      var byCode = [Int](repeating: 0, count: labels.count)
      for row in 0..<codes.count where !column.missing[row] { byCode[Int(codes[row])] += 1 }
      for (code, count) in byCode.enumerated() where count > 0 {
        counts[labels[code], default: 0] += count
      }
    case .numbers(let values):
      for row in 0..<values.count where !column.missing[row] {
        counts[String(KSComplement.roundTo14(values[row])), default: 0] += 1
      }
    case .strings(let values):
      for row in 0..<values.count where !column.missing[row] {
        counts[values[row], default: 0] += 1
      }
    }
    return counts
  }
}
