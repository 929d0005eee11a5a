import Foundation

/// Student's t distribution: the CDF through the regularized incomplete beta function and the
/// quantile by bisection, for confidence intervals with the degrees of freedom of the combining
/// rules (Press, Teukolsky, Vetterling and Flannery, *Numerical Recipes*, 3rd ed., §6.4 and §6.14).
public enum StudentT {
  /// The two-sided 95% normal quantile Φ⁻¹(0.975).
  public static let normal975 = 1.959_963_984_540_054

  /// P(T ≤ t) for T with `degrees` degrees of freedom; `.infinity` gives the normal CDF.
  /// - Parameters:
  ///   - t: The point.
  ///   - degrees: The degrees of freedom, positive.
  /// - Returns: The probability, in [0, 1].
  public static func cdf(_ t: Double, degrees: Double) -> Double {
    if degrees.isInfinite || degrees > 1e7 { return 0.5 * erfc(-t / 2.0.squareRoot()) }
    let x = degrees / (degrees + t * t)
    let tail = 0.5 * incompleteBeta(x, a: degrees / 2, b: 0.5)
    return t > 0 ? 1 - tail : tail
  }

  /// The quantile q with P(T ≤ q) = p.
  /// - Parameters:
  ///   - p: A probability in (0, 1).
  ///   - degrees: The degrees of freedom, positive (`.infinity` for the normal).
  /// - Returns: The quantile, accurate to about 1e-12 relative.
  public static func quantile(_ p: Double, degrees: Double) -> Double {
    guard p > 0 && p < 1, degrees > 0 else { return .nan }
    if p == 0.5 { return 0 }
    if p < 0.5 { return -quantile(1 - p, degrees: degrees) }
    var lo = 0.0
    var hi = 1.0
    while cdf(hi, degrees: degrees) < p && hi < 1e300 { hi *= 2 }
    for _ in 0..<200 {
      let mid = (lo + hi) / 2
      if cdf(mid, degrees: degrees) < p { lo = mid } else { hi = mid }
      if hi - lo <= 1e-13 * hi { break }
    }
    return (lo + hi) / 2
  }

  /// The regularized incomplete beta function I_x(a, b).
  static func incompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
    let logPower: Double = a * log(x) + b * log(1 - x)
    let front = exp(logBeta + logPower)
    if x < (a + 1) / (a + b + 2) {
      return front * continuedFraction(x, a: a, b: b) / a
    }
    return 1 - front * continuedFraction(1 - x, a: b, b: a) / b
  }

  /// Lentz's continued fraction for the incomplete beta function.
  private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var h = d
    for m in 1...10_000 {
      let m = Double(m)
      let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
      d = 1 + even * d
      if abs(d) < tiny { d = tiny }
      c = 1 + even / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      h *= d * c
      let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
      d = 1 + odd * d
      if abs(d) < tiny { d = tiny }
      c = 1 + odd / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let step = d * c
      h *= step
      if abs(step - 1) < 1e-15 { break }
    }
    return h
  }
}
