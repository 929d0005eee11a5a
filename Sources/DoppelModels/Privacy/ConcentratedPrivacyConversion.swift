import Foundation

/// Conversions between ρ-zero-concentrated differential privacy (zCDP) and (ε, δ)-differential
/// privacy, with the tight bound of Canonne, Kamath and Steinke.
///
/// ρ-zCDP implies (ε, δ)-DP for every ε ≥ 0 with
///
///     δ = min over α > 1 of  exp((α − 1)(αρ − ε)) / (α − 1) · (1 − 1/α)^α
///
/// (Canonne, Kamath and Steinke, "The discrete Gaussian for differential privacy", NeurIPS 2020,
/// Proposition 7 / Corollary 13). This is smaller than the classic ε = ρ + 2√(ρ·ln(1/δ)) of Bun
/// and Steinke (TCC 2016, Proposition 1.3), so a requested (ε, δ) buys a larger ρ. The functions
/// follow `cdp_delta`, `cdp_eps` and `cdp_rho` of the MST reference code (McKenna, Miklau and
/// Sheldon, "Winning the NIST contest", J. Privacy and Confidentiality 11(3), 2021, file
/// `cdp2adp.py`): bisection on the derivative in α, then bisection on ε or ρ. Any α gives a valid
/// bound, so an imprecise search only errs towards a larger δ.
public enum ConcentratedPrivacyConversion {
  /// The δ of (ε, δ)-DP implied by ρ-zCDP.
  /// - Parameters:
  ///   - rho: The zCDP parameter, at least 0.
  ///   - epsilon: The ε, at least 0.
  /// - Returns: δ in [0, 1].
  public static func delta(rho: Double, epsilon: Double) -> Double {
    guard rho > 0 else { return 0 }
    // The optimal α is at least (1 + ε/ρ)/2; a floor of 1.01 avoids the singularity at α = 1.
    var low = 1.01
    var high = (epsilon + 1) / (2 * rho) + 2
    var alpha = (low + high) / 2
    for _ in 0..<1000 {
      alpha = (low + high) / 2
      if alpha == low || alpha == high { break }
      // The derivative in α of the logarithm of the bound.
      let derivative = (2 * alpha - 1) * rho - epsilon + log1p(-1 / alpha)
      if derivative < 0 { low = alpha } else { high = alpha }
    }
    let logDelta = (alpha - 1) * (alpha * rho - epsilon) + alpha * log1p(-1 / alpha)
    return min(exp(logDelta) / (alpha - 1), 1)
  }

  /// The smallest ε (to bisection precision) such that ρ-zCDP implies (ε, δ)-DP.
  /// - Parameters:
  ///   - rho: The zCDP parameter, at least 0.
  ///   - delta: The δ, in (0, 1).
  /// - Returns: ε, at least 0.
  public static func epsilon(rho: Double, delta: Double) -> Double {
    guard rho > 0, delta < 1 else { return 0 }
    var low = 0.0
    // The classic bound is always valid, so it brackets the answer from above.
    var high = rho + 2 * (rho * log(1 / delta)).squareRoot()
    for _ in 0..<1000 {
      let middle = (low + high) / 2
      if middle == low || middle == high { break }
      if self.delta(rho: rho, epsilon: middle) <= delta { high = middle } else { low = middle }
    }
    return high
  }

  /// The largest ρ (to bisection precision) such that ρ-zCDP implies (ε, δ)-DP.
  /// - Parameters:
  ///   - epsilon: The ε, positive.
  ///   - delta: The δ, in (0, 1).
  /// - Returns: ρ, at least 0.
  public static func rho(epsilon: Double, delta: Double) -> Double {
    guard delta < 1 else { return 0 }
    var low = 0.0
    var high = epsilon + 1
    for _ in 0..<1000 {
      let middle = (low + high) / 2
      if middle == low || middle == high { break }
      if self.delta(rho: middle, epsilon: epsilon) <= delta { low = middle } else { high = middle }
    }
    return low
  }
}
