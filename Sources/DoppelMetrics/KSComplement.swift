import DoppelCore
import Foundation

/// One minus the two-sample Kolmogorov–Smirnov statistic of a continuous column (SDMetrics'
/// `KSComplement`).
///
/// Missing values are dropped from each table separately; values are rounded to 14 decimals as
/// SDMetrics does; D = max over observed values v of |F_real(v) − F_synth(v)| with empirical CDFs
/// (Kolmogorov 1933, Smirnov 1948; as computed by scipy's `ks_2samp`). Score = 1 − D: 1 means the
/// distributions are identical, 0 that they do not overlap.
public struct KSComplement: ColumnMetric {
  /// `"KSComplement"`.
  public let id = "KSComplement"
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
  /// - Returns: 1 − D, or `nil` when either column has no non-missing number.
  public func score(real: Column, synthetic: Column) -> Double? {
    guard let a = KSComplement.sortedValues(real), let b = KSComplement.sortedValues(synthetic),
      !a.isEmpty, !b.isEmpty
    else { return nil }
    return 1 - KSComplement.statistic(a, b)
  }

  /// The two-sample KS statistic of two sorted samples.
  /// - Parameters:
  ///   - a: The first sample, ascending.
  ///   - b: The second sample, ascending.
  /// - Returns: D in [0, 1].
  /// - Complexity: O(n + m).
  public static func statistic(_ a: [Double], _ b: [Double]) -> Double {
    let n = Double(a.count)
    let m = Double(b.count)
    var i = 0
    var j = 0
    var d = 0.0
    while i < a.count || j < b.count {
      let v = min(i < a.count ? a[i] : .infinity, j < b.count ? b[j] : .infinity)
      while i < a.count && a[i] <= v { i += 1 }
      while j < b.count && b[j] <= v { j += 1 }
      d = max(d, abs(Double(i) / n - Double(j) / m))
    }
    return d
  }

  static func sortedValues(_ column: Column) -> [Double]? {
    guard let values = column.numbers else { return nil }
    var result: [Double] = []
    result.reserveCapacity(values.count)
    for row in 0..<values.count where !column.missing[row] && values[row].isFinite {
      result.append(roundTo14(values[row]))
    }
    return result.sorted()
  }

  /// numpy's `round(x, 14)`: rint(x · 1e14) / 1e14, ties to even.
  static func roundTo14(_ x: Double) -> Double {
    let scaled = x * 1e14
    guard scaled.isFinite, abs(scaled) < 9e15 else { return x }
    return scaled.rounded(.toNearestOrEven) / 1e14
  }
}
