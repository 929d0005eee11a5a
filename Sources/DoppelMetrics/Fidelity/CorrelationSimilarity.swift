import Foundation

/// One minus half the absolute difference between a pair's real and synthetic correlation
/// (SDMetrics' `CorrelationSimilarity`).
///
/// In each table, only rows where both values are present count. Score = 1 − |r_real − r_synth| / 2:
/// 1 means the same correlation, 0 opposite perfect correlations. The coefficient is Pearson's
/// product-moment r (Pearson 1895) or Spearman's ρ (Spearman 1904: Pearson's r of the ranks,
/// ties sharing their average rank).
public struct CorrelationSimilarity: Metric {
  /// Which correlation coefficient to compare.
  public enum Coefficient: String, Sendable, Codable, CaseIterable {
    /// Pearson's r, as SDMetrics' default.
    case pearson
    /// Spearman's ρ, robust to monotone transformations and outliers.
    case spearman
  }

  /// `"CorrelationSimilarity"`.
  public let id = "CorrelationSimilarity"
  /// Higher is better.
  public let goal = Goal.maximize
  /// [0, 1].
  public let range: ClosedRange<Double> = 0...1
  /// The coefficient compared.
  public var coefficient: Coefficient

  /// Creates the metric.
  /// - Parameter coefficient: The coefficient to compare; Pearson by default, as SDMetrics.
  public init(coefficient: Coefficient = .pearson) {
    self.coefficient = coefficient
  }

  /// The chosen coefficient of two columns over the rows where both are present.
  /// - Parameters:
  ///   - x: The first column; NaN marks a missing value.
  ///   - y: The second column, as long as `x`; NaN marks a missing value.
  /// - Returns: The coefficient in [−1, 1], or `nil` when fewer than two complete rows remain or
  ///   either column is constant over them.
  /// - Complexity: O(n) for Pearson, O(n log n) for Spearman.
  public func correlation(_ x: [Double], _ y: [Double]) -> Double? {
    switch coefficient {
    case .pearson: return CorrelationSimilarity.pearson(x, y)
    case .spearman: return CorrelationSimilarity.spearman(x, y)
    }
  }

  /// The score of a real and a synthetic correlation.
  /// - Parameters:
  ///   - real: The real coefficient in [−1, 1].
  ///   - synthetic: The synthetic coefficient in [−1, 1].
  /// - Returns: 1 − |real − synthetic| / 2, in [0, 1].
  public static func score(real: Double, synthetic: Double) -> Double {
    Swift.max(0, Swift.min(1, 1 - abs(real - synthetic) / 2))
  }

  /// Pearson's r over the rows where both values are present, computed in two passes (means,
  /// then centred sums) for accuracy.
  /// - Parameters:
  ///   - x: The first column; NaN marks a missing value.
  ///   - y: The second column, as long as `x`; NaN marks a missing value.
  /// - Returns: r in [−1, 1], or `nil` when undefined (fewer than two complete rows, or a
  ///   constant column).
  /// - Complexity: O(n).
  public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
    precondition(x.count == y.count, "columns of different lengths")
    var count = 0
    var sumX = 0.0
    var sumY = 0.0
    for row in 0..<x.count where !x[row].isNaN && !y[row].isNaN {
      count += 1
      sumX += x[row]
      sumY += y[row]
    }
    guard count >= 2 else { return nil }
    let meanX = sumX / Double(count)
    let meanY = sumY / Double(count)
    var sxx = 0.0
    var syy = 0.0
    var sxy = 0.0
    for row in 0..<x.count where !x[row].isNaN && !y[row].isNaN {
      let dx = x[row] - meanX
      let dy = y[row] - meanY
      sxx += dx * dx
      syy += dy * dy
      sxy += dx * dy
    }
    guard sxx > 0, syy > 0 else { return nil }
    return Swift.max(-1, Swift.min(1, sxy / (sxx * syy).squareRoot()))
  }

  /// Spearman's ρ over the rows where both values are present: Pearson's r of the ranks, ties
  /// sharing their average rank.
  /// - Parameters:
  ///   - x: The first column; NaN marks a missing value.
  ///   - y: The second column, as long as `x`; NaN marks a missing value.
  /// - Returns: ρ in [−1, 1], or `nil` when undefined.
  /// - Complexity: O(n log n).
  public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
    precondition(x.count == y.count, "columns of different lengths")
    var a: [Double] = []
    var b: [Double] = []
    for row in 0..<x.count where !x[row].isNaN && !y[row].isNaN {
      a.append(x[row])
      b.append(y[row])
    }
    return pearson(averageRanks(a), averageRanks(b))
  }

  /// Ranks from 1, ties sharing their average rank.
  /// - Parameter values: Numbers without NaN.
  /// - Returns: One rank per value, in the same order.
  static func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
      var end = start + 1
      while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
      let rank = Double(start + end + 1) / 2
      for position in start..<end { ranks[order[position]] = rank }
      start = end
    }
    return ranks
  }
}
