import Doppel
import Foundation

/// A statistical audit of a privacy mechanism on one pair of neighbouring inputs D and D′.
///
/// The mechanism runs ``draws`` times on each input with fixed seeds; the outputs are put into
/// bins, and for every bin that holds at least ``minimumCount`` outputs under both inputs the
/// empirical privacy loss L̂ = ln(P̂(bin | D) / P̂(bin | D′)) is compared with the loss the
/// mechanism promises for that bin. A bin's probability is an average over its outputs, so its
/// true loss never exceeds the largest pointwise loss inside it: a correct mechanism satisfies
/// |L| ≤ bound for every bin.
///
/// Tolerance. A bin count c is binomial, and by the delta method ln P̂ has standard deviation
/// √((1 − p)/(N·p)) ≤ 1/√c; L̂ is a difference of two independent such logarithms, so its standard
/// deviation is at most √(1/c₁ + 1/c₂) ≤ √(2/m) for bins with both counts ≥ m. With B bins in
/// the histogram and a family-wise confidence of 99.9% (Bonferroni over B bins, two-sided), a
/// correct mechanism stays within z·√(2/m) of its bound in every bin with probability ≥ 99.9%,
/// where z = Φ⁻¹(1 − 0.001/(2B)). With N = 200,000, m = 1,000 and B ≈ 50, z ≈ 4.3 and the
/// tolerance is about 0.19 nats. A mechanism whose noise is half what it claims has twice the
/// loss, which for ε = 1 is a full nat above the bound, so the same test must flag it.
struct PrivacyAudit {
  /// Runs per input.
  static let draws = 200_000
  /// The least count, under both inputs, of a bin that is checked.
  static let minimumCount = 1_000
  /// The family-wise confidence of the tolerance.
  static let confidence = 0.999

  /// The outcome of one audit.
  struct Result: CustomStringConvertible {
    /// The largest |L̂| over checked bins.
    var largestLoss: Double
    /// The largest |L̂| − bound over checked bins.
    var largestExcess: Double
    /// The allowed excess: z·√(2/m).
    var tolerance: Double
    /// The number of bins checked.
    var checkedBins: Int

    /// Whether every checked bin stays within its bound plus the tolerance.
    var passes: Bool { checkedBins > 0 && largestExcess <= tolerance }

    var description: String {
      String(
        format: "max |loss| %.4f, max excess over bound %.4f, tolerance %.4f, %d bins",
        largestLoss, largestExcess, tolerance, checkedBins)
    }
  }

  /// Audits a mechanism.
  /// - Parameters:
  ///   - bins: The number of output bins.
  ///   - bin: The bin of an output, or `nil` to drop it.
  ///   - bound: The loss the mechanism promises for a bin.
  ///   - run: One run of the mechanism on D (`false`) or D′ (`true`).
  /// - Returns: The largest loss and excess over the checked bins, with the tolerance.
  static func audit(
    bins: Int, bin: (Double) -> Int?, bound: (Int) -> Double,
    run: (Bool, inout SeededGenerator) -> Double
  ) -> Result {
    var counts = [[Int]](repeating: [Int](repeating: 0, count: bins), count: 2)
    for (side, neighbour) in [false, true].enumerated() {
      var random = SeededGenerator(seed: 2024, label: "audit", index: UInt64(side))
      for _ in 0..<draws {
        if let b = bin(run(neighbour, &random)), b >= 0, b < bins { counts[side][b] += 1 }
      }
    }
    let z = SpecialFunctions.normalQuantile(1 - (1 - confidence) / (2 * Double(bins)))
    var result = Result(
      largestLoss: 0, largestExcess: -.infinity,
      tolerance: z * (2 / Double(minimumCount)).squareRoot(), checkedBins: 0)
    for b in 0..<bins where counts[0][b] >= minimumCount && counts[1][b] >= minimumCount {
      let loss = abs(log(Double(counts[0][b]) / Double(counts[1][b])))
      result.largestLoss = max(result.largestLoss, loss)
      result.largestExcess = max(result.largestExcess, loss - bound(b))
      result.checkedBins += 1
    }
    return result
  }
}
