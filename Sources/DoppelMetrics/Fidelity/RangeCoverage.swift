import DoppelCore

/// How much of the real column's range the synthetic column spans (SDMetrics' `RangeCoverage`,
/// https://docs.sdv.dev/sdmetrics/metrics/quality-metrics/rangecoverage).
///
/// Missing values are ignored. With r and s the real and synthetic values,
/// score = 1 − [max((min s − min r)/(max r − min r), 0) + max((max r − max s)/(max r − min r), 0)],
/// clipped to 0: 1 when the synthetic range reaches both real extremes. Undefined when the real
/// column is constant.
public struct RangeCoverage: ColumnMetric {
  /// `"RangeCoverage"`.
  public let id = "RangeCoverage"
  /// Higher is better.
  public let goal = Goal.maximize
  /// [0, 1].
  public let range: ClosedRange<Double> = 0...1

  /// Creates the metric.
  public init() {}

  /// Scores two numerical or datetime columns.
  /// - Parameters:
  ///   - real: The real column.
  ///   - synthetic: The synthetic column.
  /// - Returns: The coverage, or `nil` when either column holds no number or the real column is
  ///   constant.
  public func score(real: Column, synthetic: Column) -> Double? {
    guard let a = try? PreparedTables.numbers(real), let b = try? PreparedTables.numbers(synthetic)
    else { return nil }
    return RangeCoverage.coverage(a, b)
  }

  /// Coverage of two number arrays (NaN missing).
  static func coverage(_ real: [Double], _ synthetic: [Double]) -> Double? {
    guard let r = extremes(real), let s = extremes(synthetic), r.high > r.low else { return nil }
    let width = r.high - r.low
    let low = Swift.max((s.low - r.low) / width, 0)
    let high = Swift.max((r.high - s.high) / width, 0)
    return Swift.max(0, 1 - (low + high))
  }

  private static func extremes(_ values: [Double]) -> (low: Double, high: Double)? {
    var low = Double.infinity
    var high = -Double.infinity
    for value in values where !value.isNaN {
      low = Swift.min(low, value)
      high = Swift.max(high, value)
    }
    return low <= high ? (low, high) : nil
  }
}
