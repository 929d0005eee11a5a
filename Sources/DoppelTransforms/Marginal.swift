import DoppelCore
import Foundation

/// A fitted univariate distribution of one numerical column, with its observed range.
///
/// ``fit(_:family:)`` fits one family; ``select(_:candidates:)`` fits several and keeps the best by
/// the Kolmogorov–Smirnov distance to the data, the selection rule of SDV's Copulas library
/// (`select_univariate`). The `empirical` family stores the quantile function at `K` equally
/// spaced probabilities: for samples of at most ``harrellDavisLimit`` values these are
/// Harrell–Davis estimates (Harrell and Davis, "A new distribution-free quantile estimator",
/// Biometrika 69(3), 1982), weighted means of all order statistics, so no single training value is
/// stored; for larger samples they are linearly interpolated order statistics (Hyndman and Fan's
/// type 7).
public struct Marginal: Sendable, Equatable, Codable {
  /// The family.
  public var family: MarginalFamily
  /// The family's parameters: normal `[mean, sd]`; uniform `[]`; beta `[a, b]` on
  /// [lower, upper]; gamma `[shape, scale, location]`; log-normal `[mu, sigma, location]`;
  /// empirical: the quantile function at probabilities `k / (count − 1)`.
  public var parameters: [Double]
  /// The smallest observed value.
  public var lower: Double
  /// The largest observed value.
  public var upper: Double
  /// The Kolmogorov–Smirnov distance between the fitted CDF and the training data.
  public var ksDistance: Double

  /// Samples up to this size get Harrell–Davis quantiles in the empirical family.
  public static let harrellDavisLimit = 2000
  /// The largest number of quantile knots an empirical marginal stores.
  public static let maximumKnots = 1025

  /// Creates a marginal from its parts.
  /// - Parameters:
  ///   - family: The family.
  ///   - parameters: The family's parameters (see ``parameters``).
  ///   - lower: The smallest observed value.
  ///   - upper: The largest observed value.
  ///   - ksDistance: The goodness of fit.
  public init(
    family: MarginalFamily, parameters: [Double], lower: Double, upper: Double, ksDistance: Double
  ) {
    self.family = family
    self.parameters = parameters
    self.lower = lower
    self.upper = upper
    self.ksDistance = ksDistance
  }

  /// Fits one family to sorted, finite values.
  /// - Parameters:
  ///   - sorted: The non-missing values in ascending order; at least one.
  ///   - family: The family to fit.
  /// - Returns: The fitted marginal, or `nil` when the family cannot describe the data (for
  ///   example a beta with moments outside its range, or a constant column).
  /// - Complexity: O(n) for parametric families; O(n·K) for Harrell–Davis quantiles.
  public static func fit(_ sorted: [Double], family: MarginalFamily) -> Marginal? {
    guard let lower = sorted.first, let upper = sorted.last else { return nil }
    let n = Double(sorted.count)
    let mean = sorted.reduce(0, +) / n
    let variance =
      sorted.count > 1
      ? sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
    let range = upper - lower
    if family != .empirical && (range <= 0 || variance <= 0) { return nil }
    var parameters: [Double]
    switch family {
    case .normal:
      parameters = [mean, variance.squareRoot()]
    case .uniform:
      parameters = []
    case .beta:
      let m = (mean - lower) / range
      let v = variance / (range * range)
      guard m > 0, m < 1, v < m * (1 - m) else { return nil }
      let common = m * (1 - m) / v - 1
      parameters = [m * common, (1 - m) * common]
    case .gamma:
      let location = lower - range / max(n, 2)
      let shifted = mean - location
      parameters = [shifted * shifted / variance, variance / shifted, location]
    case .logNormal:
      let location = lower - range / max(n, 2)
      let logs = sorted.map { log($0 - location) }
      let mu = logs.reduce(0, +) / n
      let sigma2 = logs.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / max(n - 1, 1)
      guard sigma2 > 0 else { return nil }
      parameters = [mu, sigma2.squareRoot(), location]
    case .empirical:
      parameters = empiricalKnots(sorted)
    }
    var marginal = Marginal(
      family: family, parameters: parameters, lower: lower, upper: upper, ksDistance: 0)
    guard marginal.parameters.allSatisfy(\.isFinite) else { return nil }
    marginal.ksDistance = marginal.ksDistance(to: sorted)
    return marginal
  }

  /// Fits each candidate family and returns the one closest to the data.
  /// - Parameters:
  ///   - sorted: The non-missing values in ascending order; at least one.
  ///   - candidates: The families to try.
  /// - Returns: The candidate with the smallest Kolmogorov–Smirnov distance, or an empirical
  ///   marginal when no candidate fits.
  public static func select(_ sorted: [Double], candidates: [MarginalFamily]) -> Marginal? {
    var best: Marginal?
    for family in candidates {
      guard let fitted = fit(sorted, family: family) else { continue }
      if best.map({ fitted.ksDistance < $0.ksDistance }) ?? true { best = fitted }
    }
    return best ?? fit(sorted, family: .empirical)
  }

  /// The cumulative distribution function.
  /// - Parameter x: A value.
  /// - Returns: P(X ≤ x) under the fitted distribution.
  public func cdf(_ x: Double) -> Double {
    switch family {
    case .normal:
      return SpecialFunctions.normalCDF((x - parameters[0]) / parameters[1])
    case .uniform:
      return min(1, max(0, (x - lower) / (upper - lower)))
    case .beta:
      return SpecialFunctions.regularizedIncompleteBeta(
        (x - lower) / (upper - lower), parameters[0], parameters[1])
    case .gamma:
      return SpecialFunctions.regularizedLowerGamma(
        parameters[0], max(0, (x - parameters[2]) / parameters[1]))
    case .logNormal:
      let shifted = x - parameters[2]
      if shifted <= 0 { return 0 }
      return SpecialFunctions.normalCDF((log(shifted) - parameters[0]) / parameters[1])
    case .empirical:
      return empiricalCDF(x)
    }
  }

  /// The quantile function (inverse CDF); values may fall outside the observed range for
  /// unbounded families.
  /// - Parameter u: A probability in (0, 1).
  /// - Returns: The value x with P(X ≤ x) = u.
  public func quantile(_ u: Double) -> Double {
    let u = min(max(u, 1e-300), 1 - 1e-16)
    switch family {
    case .normal:
      return parameters[0] + parameters[1] * SpecialFunctions.normalQuantile(u)
    case .uniform:
      return lower + u * (upper - lower)
    case .beta:
      let y = SpecialFunctions.invert(u, lower: 0, upper: 1) {
        SpecialFunctions.regularizedIncompleteBeta($0, parameters[0], parameters[1])
      }
      return lower + y * (upper - lower)
    case .gamma:
      let shape = parameters[0]
      let top = shape + 60 * shape.squareRoot() + 60
      let y = SpecialFunctions.invert(u, lower: 0, upper: top) {
        SpecialFunctions.regularizedLowerGamma(shape, $0)
      }
      return parameters[2] + y * parameters[1]
    case .logNormal:
      return parameters[2]
        + exp(parameters[0] + parameters[1] * SpecialFunctions.normalQuantile(u))
    case .empirical:
      return empiricalQuantile(u)
    }
  }

  /// The Kolmogorov–Smirnov distance sup |F(x) − Fₙ(x)| between this distribution and sorted data.
  /// - Parameter sorted: Values in ascending order.
  /// - Returns: The distance in [0, 1].
  public func ksDistance(to sorted: [Double]) -> Double {
    let n = Double(sorted.count)
    var distance = 0.0
    var index = 0
    while index < sorted.count {
      var end = index
      while end + 1 < sorted.count && sorted[end + 1] == sorted[index] { end += 1 }
      let f = cdf(sorted[index])
      distance = max(distance, abs(f - Double(end + 1) / n), abs(f - Double(index) / n))
      index = end + 1
    }
    return distance
  }

  // MARK: Empirical

  private static func empiricalKnots(_ sorted: [Double]) -> [Double] {
    let n = sorted.count
    let knotCount = min(max(n + 1, 2), maximumKnots)
    guard n > 1, sorted[0] < sorted[n - 1] else {
      return Array(repeating: sorted[0], count: 2)
    }
    var knots = [Double](repeating: 0, count: knotCount)
    knots[0] = sorted[0]
    knots[knotCount - 1] = sorted[n - 1]
    if n <= harrellDavisLimit {
      let np1 = Double(n + 1)
      var cumulative = [Double](repeating: 0, count: n + 1)
      for k in 1..<(knotCount - 1) {
        let p = Double(k) / Double(knotCount - 1)
        let a = p * np1
        let b = (1 - p) * np1
        for i in 0...n {
          cumulative[i] = SpecialFunctions.regularizedIncompleteBeta(Double(i) / Double(n), a, b)
        }
        var value = 0.0
        for i in 0..<n { value += (cumulative[i + 1] - cumulative[i]) * sorted[i] }
        knots[k] = min(max(value, sorted[0]), sorted[n - 1])
      }
    } else {
      for k in 1..<(knotCount - 1) {
        let position = Double(k) / Double(knotCount - 1) * Double(n - 1)
        let low = Int(position)
        let fraction = position - Double(low)
        let high = min(low + 1, n - 1)
        knots[k] = sorted[low] + fraction * (sorted[high] - sorted[low])
      }
    }
    for k in 1..<knotCount where knots[k] < knots[k - 1] { knots[k] = knots[k - 1] }
    return knots
  }

  private func empiricalQuantile(_ u: Double) -> Double {
    let last = parameters.count - 1
    let position = u * Double(last)
    let low = min(Int(position), last - 1)
    let fraction = position - Double(low)
    return parameters[low] + fraction * (parameters[low + 1] - parameters[low])
  }

  private func empiricalCDF(_ x: Double) -> Double {
    let knots = parameters
    let last = knots.count - 1
    if x < knots[0] { return 0 }
    if x >= knots[last] { return 1 }
    // The largest k with knots[k] <= x.
    var lo = 0
    var hi = last
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if knots[mid] <= x { lo = mid } else { hi = mid }
    }
    let width = knots[lo + 1] - knots[lo]
    let fraction = width > 0 ? (x - knots[lo]) / width : 1
    return (Double(lo) + fraction) / Double(last)
  }
}
