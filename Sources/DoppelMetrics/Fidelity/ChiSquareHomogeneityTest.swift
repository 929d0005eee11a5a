import DoppelCore

/// Pearson's chi-square test that two samples of categories come from one distribution.
///
/// The 2 × k table of counts (real, synthetic) × category is compared with the counts expected
/// under one shared distribution: χ² = Σ (O − E)² / E with E = row total · column total / N, no
/// Yates correction, over the categories seen in either sample; df = k − 1 (Pearson, "On the
/// criterion that a given system of deviations…", Philosophical Magazine 50, 1900; as scipy's
/// `chi2_contingency(correction=False)`). The p-value is Q(df/2, χ²/2), the regularized upper
/// incomplete gamma function.
public struct ChiSquareHomogeneityTest: Sendable, Equatable {
  /// χ².
  public var statistic: Double
  /// Degrees of freedom: categories seen − 1.
  public var degreesOfFreedom: Int
  /// P(χ²_df ≥ statistic) if both samples came from one distribution.
  public var pValue: Double

  /// Tests two count vectors over the same categories. Fails (`nil`) when either sample is empty
  /// or fewer than two categories are seen.
  /// - Parameters:
  ///   - realCounts: Counts of each category in the first sample.
  ///   - syntheticCounts: Counts of the same categories in the second sample.
  public init?(realCounts: [Int], syntheticCounts: [Int]) {
    precondition(realCounts.count == syntheticCounts.count, "count vectors of different lengths")
    let realTotal = Double(realCounts.reduce(0, +))
    let synthTotal = Double(syntheticCounts.reduce(0, +))
    let total = realTotal + synthTotal
    var seen = 0
    var chiSquare = 0.0
    for (r, s) in zip(realCounts, syntheticCounts) where r + s > 0 {
      seen += 1
      let column = Double(r + s)
      let expectedReal = realTotal * column / total
      let expectedSynth = synthTotal * column / total
      chiSquare += (Double(r) - expectedReal) * (Double(r) - expectedReal) / expectedReal
      chiSquare += (Double(s) - expectedSynth) * (Double(s) - expectedSynth) / expectedSynth
    }
    guard realTotal > 0, synthTotal > 0, seen >= 2 else { return nil }
    statistic = chiSquare
    degreesOfFreedom = seen - 1
    pValue = ChiSquareHomogeneityTest.survival(chiSquare, degreesOfFreedom: seen - 1)
  }

  /// The chi-square survival function P(χ²_df > x) = Q(df/2, x/2).
  /// - Parameters:
  ///   - x: A non-negative number.
  ///   - degreesOfFreedom: Positive degrees of freedom.
  /// - Returns: The upper tail probability in [0, 1].
  public static func survival(_ x: Double, degreesOfFreedom: Int) -> Double {
    precondition(degreesOfFreedom > 0, "degrees of freedom must be positive")
    return SpecialFunctions.regularizedUpperGamma(Double(degreesOfFreedom) / 2, x / 2)
  }
}
