import Foundation

/// The regularized incomplete gamma functions, for chi-square p-values.
///
/// A small copy of the method in DoppelTransforms' `SpecialFunctions` (which this module may not
/// import): the series for x < a + 1 and the continued fraction otherwise (Press, Teukolsky,
/// Vetterling and Flannery, *Numerical Recipes*, 3rd ed., §6.2). The upper function is computed
/// directly by the continued fraction in its range, so tiny p-values keep their relative
/// accuracy (about 1e-14) instead of cancelling to 0.
enum IncompleteGamma {
  /// The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x).
  /// - Parameters:
  ///   - a: The shape, positive.
  ///   - x: The point, non-negative.
  /// - Returns: P(X > x) for X ~ Gamma(a, 1), in [0, 1].
  static func upper(_ a: Double, _ x: Double) -> Double {
    precondition(a > 0, "the shape must be positive")
    if x <= 0 { return 1 }
    if x < a + 1 { return Swift.max(0, 1 - lowerSeries(a, x)) }
    return Swift.min(1, upperContinuedFraction(a, x))
  }

  /// P(a, x) by its series, for x < a + 1.
  private static func lowerSeries(_ a: Double, _ x: Double) -> Double {
    var sum = 1 / a
    var term = sum
    var ap = a
    for _ in 0..<10_000 {
      ap += 1
      term *= x / ap
      sum += term
      if abs(term) < abs(sum) * 1e-16 { break }
    }
    return Swift.min(1, sum * exp(a * log(x) - x - lgamma(a)))
  }

  /// Q(a, x) by its continued fraction (modified Lentz), for x ≥ a + 1.
  private static func upperContinuedFraction(_ a: Double, _ x: Double) -> Double {
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    for i in 1...10_000 {
      let an = -Double(i) * (Double(i) - a)
      b += 2
      d = an * d + b
      if abs(d) < tiny { d = tiny }
      c = b + an / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-16 { break }
    }
    return exp(a * log(x) - x - lgamma(a)) * h
  }
}
