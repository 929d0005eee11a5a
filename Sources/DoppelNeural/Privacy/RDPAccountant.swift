import DoppelCore
import Foundation

/// Rényi differential privacy accounting of DP-SGD (Abadi et al., "Deep Learning with
/// Differential Privacy", CCS 2016), with the Rényi divergence of the sampled Gaussian mechanism
/// (Mironov, Talwar and Zhang, "Rényi Differential Privacy of the Sampled Gaussian Mechanism",
/// 2019) and the conversion to (ε, δ) of Mironov ("Rényi Differential Privacy", CSF 2017).
public enum RDPAccountant {
  /// The integer Rényi orders searched, as in common DP-SGD accountants.
  public static let orders: [Int] = Array(2...64) + [80, 96, 128, 160, 192, 256]

  /// The RDP of one step of the sampled Gaussian mechanism at an integer order α ≥ 2:
  /// log(Σₖ C(α,k) (1−q)^(α−k) qᵏ exp((k²−k)/(2σ²))) / (α−1), summed in log space.
  /// - Parameters:
  ///   - sampleRate: The probability q that a row is in a batch (Poisson sampling).
  ///   - noiseMultiplier: σ, the noise standard deviation over the clipping norm.
  ///   - order: α.
  /// - Returns: ε_α of one step.
  public static func stepRDP(sampleRate: Double, noiseMultiplier: Double, order: Int)
    -> Double
  {
    let q = sampleRate
    let sigma = noiseMultiplier
    let alpha = Double(order)
    if q <= 0 { return 0 }
    if q >= 1 { return alpha / (2 * sigma * sigma) }
    var terms: [Double] = []
    var logBinomial = 0.0
    for k in 0...order {
      if k > 0 { logBinomial += Foundation.log(Double(order - k + 1)) - Foundation.log(Double(k)) }
      let kk = Double(k)
      terms.append(
        logBinomial + (alpha - kk) * Foundation.log1p(-q) + kk * Foundation.log(q)
          + (kk * kk - kk) / (2 * sigma * sigma))
    }
    let top = terms.max() ?? 0
    let logSum = top + Foundation.log(terms.reduce(0) { $0 + Foundation.exp($1 - top) })
    return logSum / (alpha - 1)
  }

  /// The (ε, δ) guarantee after `steps` steps.
  /// - Parameters:
  ///   - sampleRate: q.
  ///   - noiseMultiplier: σ > 0.
  ///   - steps: The number of noisy steps.
  ///   - delta: δ.
  /// - Returns: The smallest ε over the orders: T·ε_α + log(1/δ)/(α−1).
  public static func epsilon(
    sampleRate: Double, noiseMultiplier: Double, steps: Int, delta: Double
  ) -> Double {
    guard steps > 0, noiseMultiplier > 0 else { return steps > 0 ? .infinity : 0 }
    var best = Double.infinity
    for order in orders {
      let rdp =
        Double(steps)
        * stepRDP(sampleRate: sampleRate, noiseMultiplier: noiseMultiplier, order: order)
      best = min(best, rdp + Foundation.log(1 / delta) / Double(order - 1))
    }
    return best
  }
}

/// The differential-privacy guarantee of a model trained with DP-SGD.
public struct PrivacyGuarantee: Codable, Sendable, Equatable {
  /// ε of the (ε, δ) guarantee.
  public var epsilon: Double
  /// δ of the (ε, δ) guarantee.
  public var delta: Double
  /// σ: noise standard deviation over the clipping norm.
  public var noiseMultiplier: Double
  /// C: the per-example gradient clipping norm.
  public var maxGradientNorm: Double
  /// q: the Poisson sampling rate of a batch.
  public var sampleRate: Double
  /// The number of noisy steps.
  public var steps: Int

  /// Creates a guarantee record.
  /// - Parameters:
  ///   - epsilon: ε.
  ///   - delta: δ.
  ///   - noiseMultiplier: σ.
  ///   - maxGradientNorm: C.
  ///   - sampleRate: q.
  ///   - steps: Noisy steps.
  public init(
    epsilon: Double, delta: Double, noiseMultiplier: Double, maxGradientNorm: Double,
    sampleRate: Double, steps: Int
  ) {
    self.epsilon = epsilon
    self.delta = delta
    self.noiseMultiplier = noiseMultiplier
    self.maxGradientNorm = maxGradientNorm
    self.sampleRate = sampleRate
    self.steps = steps
  }
}
