import Foundation

/// The two-sample Kolmogorov–Smirnov test with its asymptotic p-value.
///
/// D is the largest gap between the two empirical distribution functions (Kolmogorov 1933;
/// Smirnov 1948). The p-value is the tail of the Kolmogorov distribution at
/// λ = (√nₑ + 0.12 + 0.11/√nₑ) · D with nₑ = n·m/(n + m), Stephens' small-sample correction
/// (Stephens, "Use of the Kolmogorov–Smirnov, Cramér–von Mises and related statistics without
/// extensive tables", JRSS B 32(1), 1970), as in Press et al., *Numerical Recipes*, 3rd ed.,
/// §14.3.3. It is accurate for moderate and large samples; for a few dozen rows it is
/// approximate. Ties are allowed (the test is then conservative).
public struct KolmogorovSmirnovTest: Sendable, Equatable {
  /// D, in [0, 1].
  public var statistic: Double
  /// P(D′ ≥ D) if both samples came from one continuous distribution.
  public var pValue: Double

  /// Tests two samples; NaN values are dropped. Fails (`nil`) when either sample has no value.
  /// - Parameters:
  ///   - a: The first sample, in any order.
  ///   - b: The second sample, in any order.
  /// - Complexity: O(n log n + m log m).
  public init?(_ a: [Double], _ b: [Double]) {
    self.init(
      sorted: a.filter { !$0.isNaN }.sorted(), b.filter { !$0.isNaN }.sorted())
  }

  /// Tests two ascending samples without NaN.
  init?(sorted a: [Double], _ b: [Double]) {
    guard !a.isEmpty, !b.isEmpty else { return nil }
    statistic = KSComplement.statistic(a, b)
    let n = Double(a.count)
    let m = Double(b.count)
    let root = (n * m / (n + m)).squareRoot()
    pValue = KolmogorovSmirnovTest.kolmogorovSurvival((root + 0.12 + 0.11 / root) * statistic)
  }

  /// The survival function of the Kolmogorov distribution, Q(z) = P(K > z) =
  /// 2 Σⱼ (−1)ʲ⁻¹ e^(−2j²z²), evaluated with the series that converges fastest on each side of
  /// z = 1.18 (Press et al., *Numerical Recipes*, 3rd ed., §6.14.12).
  /// - Parameter z: A non-negative number.
  /// - Returns: Q(z) in [0, 1]; 1 at z = 0.
  public static func kolmogorovSurvival(_ z: Double) -> Double {
    if z <= 0 { return 1 }
    if z < 1.18 {
      let y = exp(-1.233_700_550_136_169_83 / (z * z))
      let cdf =
        2.256_758_334_191_025_15 * (-log(y)).squareRoot()
        * (y + pow(y, 9) + pow(y, 25) + pow(y, 49))
      return Swift.max(0, Swift.min(1, 1 - cdf))
    }
    let x = exp(-2 * z * z)
    return Swift.max(0, Swift.min(1, 2 * (x - pow(x, 4) + pow(x, 9))))
  }
}
