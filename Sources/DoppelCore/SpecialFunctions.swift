import Foundation

/// Special functions used by the marginal distributions and the copula.
///
/// Each follows a published algorithm, cited where it is defined. Accuracy is near double
/// precision for the normal functions and about 1e-12 relative for the incomplete beta and gamma
/// functions in the ranges Doppel uses.
public enum SpecialFunctions {
  /// The standard normal cumulative distribution function Φ(z).
  /// - Parameter z: Any real number.
  /// - Returns: P(Z ≤ z) for a standard normal Z.
  public static func normalCDF(_ z: Double) -> Double {
    0.5 * erfc(-z / 2.0.squareRoot())
  }

  /// The standard normal quantile Φ⁻¹(p), by Wichura's algorithm AS 241 ("The percentage points of
  /// the normal distribution", Applied Statistics 37(3), 1988), accurate to about 1e-16.
  /// - Parameter p: A probability in (0, 1); 0 and 1 give −∞ and +∞.
  /// - Returns: The z with Φ(z) = p.
  public static func normalQuantile(_ p: Double) -> Double {
    if p <= 0 { return -.infinity }
    if p >= 1 { return .infinity }
    let q = p - 0.5
    if abs(q) <= 0.425 {
      let r = 0.180625 - q * q
      let num =
        ((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
          + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
          + 133.14166789178437745) * r + 3.387132872796366608
      let den =
        ((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
          + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
          + 42.313330701600911252) * r + 1
      return q * num / den
    }
    var r = q < 0 ? p : 1 - p
    r = (-log(r)).squareRoot()
    var value: Double
    if r <= 5 {
      r -= 1.6
      let num =
        ((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177)
          * r + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055)
          * r + 4.6303378461565452959) * r + 1.42343711074968357734
      let den =
        ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r
          + 0.0151986665636164571966)
          * r + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494)
          * r + 2.05319162663775882187) * r + 1
      value = num / den
    } else {
      r -= 5
      let num =
        ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
          + 0.0012426609473880784386) * r + 0.026532189526576123093) * r + 0.29656057182850489123)
          * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r + 6.6579046435011037772
      let den =
        ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r
          + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r + 0.0148753612908506148525)
          * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1
      value = num / den
    }
    return q < 0 ? -value : value
  }

  /// The regularized incomplete beta function I_x(a, b), by the continued fraction evaluated with
  /// the modified Lentz method (Press et al., Numerical Recipes, 3rd ed., §6.4).
  /// - Parameters:
  ///   - x: A point in [0, 1].
  ///   - a: The first shape, positive.
  ///   - b: The second shape, positive.
  /// - Returns: P(X ≤ x) for X ~ Beta(a, b).
  public static func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
    let front = exp(logFront)
    if x < (a + 1) / (a + b + 2) {
      return front * betaContinuedFraction(x, a, b) / a
    }
    return 1 - front * betaContinuedFraction(1 - x, b, a) / b
  }

  private static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
    let tiny = 1e-300
    let qab = a + b
    let qap = a + 1
    let qam = a - 1
    var c = 1.0
    var d = 1 - qab * x / qap
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...300 {
      let m = Double(m)
      let m2 = 2 * m
      var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      h *= d * c
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
      d = 1 + aa * d
      if abs(d) < tiny { d = tiny }
      c = 1 + aa / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-15 { break }
    }
    return h
  }

  /// The regularized lower incomplete gamma function P(a, x), by its series for x < a + 1 and
  /// one minus the continued fraction of Q otherwise (Press, Teukolsky, Vetterling and Flannery,
  /// *Numerical Recipes*, 3rd ed., §6.2).
  /// - Parameters:
  ///   - a: The shape, positive.
  ///   - x: A point, non-negative.
  /// - Returns: P(X ≤ x) for X ~ Gamma(a, 1).
  public static func regularizedLowerGamma(_ a: Double, _ x: Double) -> Double {
    if x <= 0 { return 0 }
    if x < a + 1 { return lowerGammaSeries(a, x) }
    return max(0, 1 - upperGammaContinuedFraction(a, x))
  }

  /// The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x), for chi-square
  /// p-values. In the continued fraction's range Q is computed directly, so tiny p-values keep
  /// their relative accuracy (about 1e-14) instead of cancelling to 0 (Numerical Recipes §6.2).
  /// - Parameters:
  ///   - a: The shape, positive.
  ///   - x: A point, non-negative.
  /// - Returns: P(X > x) for X ~ Gamma(a, 1), in [0, 1].
  public static func regularizedUpperGamma(_ a: Double, _ x: Double) -> Double {
    if x <= 0 { return 1 }
    if x < a + 1 { return max(0, 1 - lowerGammaSeries(a, x)) }
    return min(1, upperGammaContinuedFraction(a, x))
  }

  /// P(a, x) by its series, for x < a + 1.
  private static func lowerGammaSeries(_ a: Double, _ x: Double) -> Double {
    var sum = 1 / a
    var term = sum
    var ap = a
    for _ in 0..<10_000 {
      ap += 1
      term *= x / ap
      sum += term
      if abs(term) < abs(sum) * 1e-16 { break }
    }
    return min(1, sum * exp(a * log(x) - x - lgamma(a)))
  }

  /// Q(a, x) by its continued fraction (modified Lentz), for x ≥ a + 1.
  private static func upperGammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
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

  /// Inverts a non-decreasing function on an interval by bisection to about 1e-12 of its width.
  /// - Parameters:
  ///   - target: The value sought.
  ///   - lower: The lower end of the search interval.
  ///   - upper: The upper end of the search interval.
  ///   - function: A non-decreasing function on [lower, upper].
  /// - Returns: A point x with function(x) ≈ target.
  public static func invert(
    _ target: Double, lower: Double, upper: Double, _ function: (Double) -> Double
  ) -> Double {
    var lo = lower
    var hi = upper
    for _ in 0..<64 {
      let mid = 0.5 * (lo + hi)
      if function(mid) < target { lo = mid } else { hi = mid }
      if hi - lo <= 1e-12 * max(1, abs(lo), abs(hi)) { break }
    }
    return 0.5 * (lo + hi)
  }
}
