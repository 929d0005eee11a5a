import DoppelCore

/// The share of the real column's categories that the synthetic column contains (SDMetrics'
/// `CategoryCoverage`, https://docs.sdv.dev/sdmetrics/metrics/metrics-glossary/categorycoverage).
///
/// Missing values are ignored. Score = |categories(real) ∩ categories(synth)| /
/// |categories(real)|: 1 when every real category appears at least once. Labels that are all
/// numbers compare as numbers, as in ``TVComplement``.
public struct CategoryCoverage: ColumnMetric {
  /// `"CategoryCoverage"`.
  public let id = "CategoryCoverage"
  /// Higher is better.
  public let goal = Goal.maximize
  /// [0, 1].
  public let range: ClosedRange<Double> = 0...1

  /// Creates the metric.
  public init() {}

  /// Scores two discrete columns (any layout; each distinct value is a category).
  /// - Parameters:
  ///   - real: The real column.
  ///   - synthetic: The synthetic column.
  /// - Returns: The coverage, or `nil` when the real column has no present value.
  public func score(real: Column, synthetic: Column) -> Double? {
    let (a, b, keys) = PreparedTables.codes(real, synthetic)
    return CategoryCoverage.coverage(a, b, keyCount: keys.count)
  }

  /// Coverage of code arrays (−1 missing) over `keyCount` shared keys.
  static func coverage(_ real: [Int32], _ synthetic: [Int32], keyCount: Int) -> Double? {
    var inReal = [Bool](repeating: false, count: keyCount)
    var inSynth = [Bool](repeating: false, count: keyCount)
    for code in real where code >= 0 { inReal[Int(code)] = true }
    for code in synthetic where code >= 0 { inSynth[Int(code)] = true }
    let realCount = inReal.filter { $0 }.count
    guard realCount > 0 else { return nil }
    let both = (0..<keyCount).filter { inReal[$0] && inSynth[$0] }.count
    return Double(both) / Double(realCount)
  }
}
