import DoppelCore
import Foundation

/// Mode-specific normalization of a numerical column (Xu, Skoularidou, Cuesta-Infante and
/// Veeramachaneni, "Modeling Tabular Data using Conditional GAN", NeurIPS 2019, section 4.2).
///
/// A Gaussian mixture is fitted to the column; each value is represented by one mode, drawn from
/// its posterior probabilities, and a scalar α = (x − μₖ) / (4σₖ) clipped to (−0.99, 0.99).
///
/// The paper uses a variational Bayesian (Dirichlet-process) mixture with at most 10 modes and
/// keeps the modes whose weight exceeds 0.005. This type fits a plain maximum-likelihood mixture by
/// expectation–maximization (Dempster, Laird and Rubin, JRSS B 39, 1977) with the same limits:
/// 10 components started at distinct values at evenly spaced quantiles
/// (``starts(sorted:count:)``), variances floored at (10⁻³·σ)², then components that ended on the
/// same spike are merged, modes with weight below 0.005 are dropped and the rest refitted. It usually keeps more modes than the Bayesian mixture, which
/// costs a few columns of width but no accuracy.
public struct ModeSpecificNormalization: Codable, Sendable, Equatable {
  /// The mixture weights, summing to 1.
  public var weights: [Double]
  /// The mode means.
  public var means: [Double]
  /// The mode standard deviations.
  public var deviations: [Double]

  /// The number of modes.
  public var modeCount: Int { weights.count }

  /// Creates a normalization from mixture parameters.
  /// - Parameters:
  ///   - weights: Mode weights.
  ///   - means: Mode means.
  ///   - deviations: Mode standard deviations.
  public init(weights: [Double], means: [Double], deviations: [Double]) {
    self.weights = weights
    self.means = means
    self.deviations = deviations
  }

  /// Fits the mixture to finite values.
  /// - Parameters:
  ///   - values: The observed values (missing ones left out); at least one.
  ///   - maximumModes: The most modes (10 in the paper).
  ///   - weightThreshold: Modes lighter than this are dropped (0.005 in the paper).
  ///   - iterations: The most EM iterations per fit.
  /// - Returns: The fitted normalization; a single mode for constant or tiny columns.
  public static func fit(
    _ values: [Double], maximumModes: Int = 10, weightThreshold: Double = 0.005,
    iterations: Int = 100
  ) -> ModeSpecificNormalization {
    let finite = values.filter(\.isFinite).sorted()
    let n = finite.count
    guard n > 0 else { return ModeSpecificNormalization(weights: [1], means: [0], deviations: [1]) }
    let mean = finite.reduce(0, +) / Double(n)
    let variance = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
    let spread = variance.squareRoot()
    guard spread > 0, n >= 2 else {
      return ModeSpecificNormalization(
        weights: [1], means: [mean], deviations: [max(spread, abs(mean) * 1e-6, 1e-6)])
    }
    let floor = 1e-3 * spread
    var means = starts(sorted: finite, count: max(1, min(maximumModes, n)))
    let k = means.count
    var deviations = [Double](repeating: spread, count: k)
    var weights = [Double](repeating: 1 / Double(k), count: k)
    em(finite, &weights, &means, &deviations, floor: floor, iterations: iterations)
    // Components that ended on the same spike (equal mean and deviation within the floor) are
    // one mode: a value would otherwise be given one of several identical modes at random.
    var merged: [Int] = []
    for j in weights.indices {
      if let i = merged.first(where: {
        abs(means[$0] - means[j]) <= floor && abs(deviations[$0] - deviations[j]) <= floor
      }) {
        weights[i] += weights[j]
        weights[j] = 0
      } else {
        merged.append(j)
      }
    }
    let keep = weights.indices.filter { weights[$0] >= weightThreshold }
    if keep.count < weights.count && !keep.isEmpty {
      weights = keep.map { weights[$0] }
      means = keep.map { means[$0] }
      deviations = keep.map { deviations[$0] }
      let total = weights.reduce(0, +)
      weights = weights.map { $0 / total }
      em(finite, &weights, &means, &deviations, floor: floor, iterations: iterations)
    }
    return ModeSpecificNormalization(weights: weights, means: means, deviations: deviations)
  }

  /// Distinct starting means: the values at evenly spaced quantiles, and when a heavy spike
  /// (such as a column that is mostly 0) makes several of them equal, values at evenly spaced
  /// quantiles of the distinct values instead. Components that start equal stay equal under EM,
  /// so repeated starts would give duplicate modes and leave the rest of the column to one wide
  /// mode.
  static func starts(sorted: [Double], count k: Int) -> [Double] {
    let n = sorted.count
    var chosen: [Double] = []
    for j in 0..<k {
      let value = sorted[min(n - 1, Int((Double(j) + 0.5) / Double(k) * Double(n)))]
      if chosen.last != value { chosen.append(value) }
    }
    if chosen.count < k {
      var distinct: [Double] = []
      for value in sorted where distinct.last != value { distinct.append(value) }
      let m = distinct.count
      for j in 0..<k where chosen.count < min(k, m) {
        let value = distinct[min(m - 1, Int((Double(j) + 0.5) / Double(k) * Double(m)))]
        if !chosen.contains(value) { chosen.append(value) }
      }
      chosen.sort()
    }
    return chosen
  }

  private static func em(
    _ x: [Double], _ weights: inout [Double], _ means: inout [Double],
    _ deviations: inout [Double], floor: Double, iterations: Int
  ) {
    let k = weights.count
    let n = x.count
    var previous = -Double.infinity
    var responsibility = [Double](repeating: 0, count: k)
    for _ in 0..<iterations {
      let offsets = (0..<k).map {
        Foundation.log(max(weights[$0], 1e-300)) - Foundation.log(deviations[$0])
      }
      let precisions = deviations.map { 1 / $0 }
      var sumR = [Double](repeating: 0, count: k)
      var sumX = [Double](repeating: 0, count: k)
      var sumXX = [Double](repeating: 0, count: k)
      var logLikelihood = 0.0
      for value in x {
        let total = posterior(
          value, offsets: offsets, means: means, precisions: precisions, into: &responsibility)
        logLikelihood += total
        for j in 0..<k {
          let r = responsibility[j]
          sumR[j] += r
          sumX[j] += r * value
          sumXX[j] += r * value * value
        }
      }
      for j in 0..<k {
        let r = max(sumR[j], 1e-12)
        weights[j] = sumR[j] / Double(n)
        means[j] = sumX[j] / r
        let v = max(sumXX[j] / r - means[j] * means[j], 0)
        deviations[j] = max(v.squareRoot(), floor)
      }
      if abs(logLikelihood - previous) < 1e-6 * Double(n) { break }
      previous = logLikelihood
    }
  }

  /// Writes the posterior mode probabilities of `value` into `into`; returns its log-likelihood.
  /// `offsets` holds log wⱼ − log σⱼ and `precisions` 1/σⱼ.
  @discardableResult
  static func posterior(
    _ value: Double, offsets: [Double], means: [Double], precisions: [Double],
    into out: inout [Double]
  ) -> Double {
    var best = -Double.infinity
    for j in offsets.indices {
      let z = (value - means[j]) * precisions[j]
      let l = offsets[j] - 0.5 * z * z
      out[j] = l
      best = max(best, l)
    }
    var total = 0.0
    for j in offsets.indices {
      out[j] = Foundation.exp(out[j] - best)
      total += out[j]
    }
    let inverse = 1 / total
    for j in offsets.indices { out[j] *= inverse }
    return best + Foundation.log(total) - 0.918_938_533_204_672_7
  }

  /// Encodes a value: a mode drawn from its posterior and the clipped scalar α.
  /// - Parameters:
  ///   - value: A finite value.
  ///   - random: The stream the mode is drawn from.
  /// - Returns: The mode index and α.
  public func encode(_ value: Double, random: inout SeededGenerator) -> (mode: Int, alpha: Double) {
    var probabilities = [Double](repeating: 0, count: modeCount)
    ModeSpecificNormalization.posterior(
      value,
      offsets: weights.indices.map {
        Foundation.log(max(weights[$0], 1e-300)) - Foundation.log(deviations[$0])
      }, means: means, precisions: deviations.map { 1 / $0 }, into: &probabilities)
    var u = random.nextUnit()
    var mode = modeCount - 1
    for j in 0..<modeCount {
      u -= probabilities[j]
      if u < 0 {
        mode = j
        break
      }
    }
    let alpha = (value - means[mode]) / (4 * deviations[mode])
    return (mode, min(max(alpha, -0.99), 0.99))
  }

  /// Decodes a mode and α back to a value.
  /// - Parameters:
  ///   - mode: A mode index.
  ///   - alpha: The scalar, clipped to [−1, 1].
  /// - Returns: μₖ + 4σₖα.
  public func decode(mode: Int, alpha: Double) -> Double {
    let j = min(max(mode, 0), modeCount - 1)
    return means[j] + 4 * deviations[j] * min(max(alpha, -1), 1)
  }
}
