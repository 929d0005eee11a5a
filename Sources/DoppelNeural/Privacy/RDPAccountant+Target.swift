import DoppelCore
import Foundation

extension RDPAccountant {
  /// The (ε, δ) guarantee of a mechanism whose Rényi differential privacy at each order is
  /// `rdp(α)`: the smallest log(1/δ)/(α−1) + RDP(α) over ``orders`` (Mironov, "Rényi
  /// Differential Privacy", CSF 2017, Prop. 3).
  /// - Parameters:
  ///   - delta: δ.
  ///   - rdp: The total RDP at an integer order α.
  /// - Returns: ε.
  public static func epsilon(delta: Double, rdp: (Int) -> Double) -> Double {
    var best = Double.infinity
    for order in orders {
      best = min(best, rdp(order) + Foundation.log(1 / delta) / Double(order - 1))
    }
    return best
  }

  /// The smallest noise multiplier σ whose guarantee reaches `targetEpsilon` at `delta`, by
  /// bisection on ε(σ), which falls as σ grows.
  ///
  /// The search brackets σ by doubling from 1 and halves the bracket until its ends are within
  /// a relative 10⁻⁶; the upper end is returned, so ε(σ) ≤ `targetEpsilon` always holds.
  /// - Parameters:
  ///   - targetEpsilon: The ε to reach, > 0.
  ///   - delta: δ, in (0, 1).
  ///   - rdp: The total RDP of the whole training for a noise multiplier σ at order α.
  /// - Returns: σ.
  /// - Throws: ``DoppelError`` `invalidArgument` when even σ = 10⁶ does not reach the target.
  /// - Complexity: About 60 evaluations of `rdp` at every order.
  public static func noiseMultiplier(
    targetEpsilon: Double, delta: Double, rdp: (_ sigma: Double, _ order: Int) -> Double
  ) throws -> Double {
    func epsilon(_ sigma: Double) -> Double {
      Self.epsilon(delta: delta) { rdp(sigma, $0) }
    }
    var high = 1.0
    while epsilon(high) > targetEpsilon {
      high *= 2
      guard high <= 1e6 else {
        throw DoppelError(
          .invalidArgument,
          "dpEpsilon is too small to reach at this delta: even noise multiplier 10^6 gives more; raise dpEpsilon or dpDelta"
        )
      }
    }
    var low = high / 2
    while low > 1e-6 && epsilon(low) <= targetEpsilon { low /= 2 }
    while (high - low) > 1e-6 * high {
      let middle = (low + high) / 2
      if epsilon(middle) <= targetEpsilon { high = middle } else { low = middle }
    }
    return high
  }

  /// The smallest σ for which `steps` Poisson-sampled Gaussian steps at rate `sampleRate` give
  /// at most `targetEpsilon` at `delta` (see ``noiseMultiplier(targetEpsilon:delta:rdp:)``).
  /// - Parameters:
  ///   - targetEpsilon: The ε to reach.
  ///   - sampleRate: q.
  ///   - steps: The number of noisy steps.
  ///   - delta: δ.
  /// - Returns: σ.
  /// - Throws: ``DoppelError`` `invalidArgument` when the target cannot be reached.
  public static func noiseMultiplier(
    targetEpsilon: Double, sampleRate: Double, steps: Int, delta: Double
  ) throws -> Double {
    try noiseMultiplier(targetEpsilon: targetEpsilon, delta: delta) { sigma, order in
      Double(steps) * stepRDP(sampleRate: sampleRate, noiseMultiplier: sigma, order: order)
    }
  }
}

/// How a DP-SGD run's noise multiplier is chosen: given directly, or found for a target ε.
struct PrivateTrainingPlan {
  /// The noise multiplier σ used.
  let noiseMultiplier: Double
  /// δ of the guarantee.
  let delta: Double

  /// Resolves the options of a synthesizer.
  ///
  /// With `noiseMultiplier` > 0 it is used as is; with only `targetEpsilon` > 0 the smallest σ
  /// reaching it is searched. When both are given, ε(σ) must not exceed the target (within a
  /// relative 10⁻⁶), otherwise the options contradict each other.
  /// - Parameters:
  ///   - kind: The synthesizer's name for messages.
  ///   - noiseMultiplier: The `dpNoiseMultiplier` option.
  ///   - targetEpsilon: The `dpEpsilon` option.
  ///   - delta: The `dpDelta` option, 0 for 1/(10·rows).
  ///   - rows: The number of training rows.
  ///   - rdp: The total RDP of the run for σ at order α.
  /// - Returns: `nil` when neither option asks for privacy.
  /// - Throws: ``DoppelError`` `invalidArgument` for contradicting or unreachable options.
  static func resolve(
    kind: String, noiseMultiplier: Double, targetEpsilon: Double, delta: Double, rows: Int,
    rdp: (Double, Int) -> Double
  ) throws -> PrivateTrainingPlan? {
    guard noiseMultiplier > 0 || targetEpsilon > 0 else { return nil }
    let delta = delta > 0 ? delta : 1 / (10 * Double(max(rows, 1)))
    if noiseMultiplier > 0 {
      if targetEpsilon > 0 {
        let reached = RDPAccountant.epsilon(delta: delta) { rdp(noiseMultiplier, $0) }
        guard reached <= targetEpsilon * (1 + 1e-6) else {
          throw DoppelError(
            .invalidArgument,
            "\(kind) options contradict each other: dpNoiseMultiplier "
              + String(
                format:
                  "%.4g gives epsilon %.4g over the planned steps, above dpEpsilon %.4g; give only one of them, or raise the noise multiplier",
                noiseMultiplier, reached, targetEpsilon))
        }
      }
      return PrivateTrainingPlan(noiseMultiplier: noiseMultiplier, delta: delta)
    }
    let sigma = try RDPAccountant.noiseMultiplier(
      targetEpsilon: targetEpsilon, delta: delta, rdp: rdp)
    return PrivateTrainingPlan(noiseMultiplier: sigma, delta: delta)
  }

  /// The guarantee this plan reaches.
  func guarantee(
    maxGradientNorm: Double, sampleRate: Double, steps: Int, rdp: (Double, Int) -> Double
  ) -> PrivacyGuarantee {
    PrivacyGuarantee(
      epsilon: RDPAccountant.epsilon(delta: delta) { rdp(noiseMultiplier, $0) }, delta: delta,
      noiseMultiplier: noiseMultiplier, maxGradientNorm: maxGradientNorm,
      sampleRate: sampleRate, steps: steps)
  }
}
