import DoppelCore
import Foundation

/// How the estimates of m synthetic tables are combined into one estimate with a variance.
///
/// Every rule estimates with the mean q̄ = Σ qᵢ/m of the m estimates; they differ in the
/// variance. With uᵢ the variance estimate of qᵢ, ū = Σ uᵢ/m and b_m = Σ (qᵢ − q̄)²/(m − 1):
/// - ``fullySynthetic``: Raghunathan, Reiter and Rubin, "Multiple imputation for statistical
///   disclosure limitation", Journal of Official Statistics 19(1), 2003:
///   T_f = (1 + 1/m)·b_m − ū with ν_f = (m − 1)(1 − m·ū/((m + 1)·b_m))² degrees of freedom.
///   When T_f ≤ 0 the non-negative variant of Reiter, "Satisfying disclosure restrictions with
///   synthetic data sets", Journal of Official Statistics 18(4), 2002, is used:
///   T_f* = (n_syn/n)·ū, with a normal reference distribution (ν = ∞). Needs m ≥ 2.
/// - ``partiallySynthetic``: Reiter, "Inference for partially synthetic, public use microdata
///   sets", Survey Methodology 29(2), 2003: T_p = ū + b_m/m with
///   ν_p = (m − 1)(1 + ū/(b_m/m))² (∞ when b_m = 0). Needs m ≥ 2.
/// - ``synthpop``: the simplified rules of Raab, Nowok and Dibben, "Practical data synthesis
///   for large samples", Journal of Privacy and Confidentiality 7(3), 2016, as synthpop's
///   `summary.fit.synds(population.inference = TRUE)` computes them with k synthetic and n real
///   rows: T_s = ū·(k/n + 1/m), or ū·(k/n + (1 + k/n)/m) for proper synthesis; normal reference.
///   Valid for m ≥ 1 when every column of the model is synthesized.
/// - ``synthpopPartial``: synthpop's rule for incomplete (partial) synthesis,
///   T = ū·k/n + b_m/m, normal reference. Needs m ≥ 2.
public enum CombiningRule: String, Sendable, Codable, CaseIterable {
  /// Raghunathan, Reiter and Rubin (2003), fully synthetic data.
  case fullySynthetic = "full"
  /// Reiter (2003), partially synthetic data.
  case partiallySynthetic = "partial"
  /// synthpop's simplified rule for full synthesis (Raab, Nowok and Dibben 2016).
  case synthpop
  /// synthpop's rule for partial (incomplete) synthesis.
  case synthpopPartial = "synthpop-partial"

  /// The combined estimate of one coefficient.
  public struct Combined: Sendable, Equatable, Codable {
    /// The mean estimate q̄.
    public var estimate: Double
    /// The total variance T.
    public var variance: Double
    /// The degrees of freedom; `nil` means a normal reference distribution.
    public var degreesOfFreedom: Double?
    /// The between-synthesis variance b_m (`nil` for m = 1).
    public var between: Double?
    /// The mean within-synthesis variance ū.
    public var within: Double
    /// Whether the non-negative variant of the full-synthesis rule was used.
    public var adjusted: Bool
  }

  /// The fewest syntheses the rule needs.
  public var minimumSyntheses: Int {
    switch self {
    case .synthpop: return 1
    default: return 2
    }
  }

  /// Combines m estimates of one coefficient.
  /// - Parameters:
  ///   - estimates: qᵢ, one per synthetic table.
  ///   - variances: uᵢ, the squared standard errors.
  ///   - syntheticRows: k, the rows of a synthetic table (the mean when they differ).
  ///   - realRows: n, the rows of the real table.
  ///   - proper: Whether synthesis was proper (bootstrap before fitting); used by ``synthpop``.
  /// - Returns: The combined estimate and variance.
  /// - Throws: ``DoppelError`` `invalidArgument` with fewer syntheses than the rule needs.
  public func combine(
    estimates: [Double], variances: [Double], syntheticRows: Double, realRows: Double,
    proper: Bool = false
  ) throws -> Combined {
    let m = estimates.count
    guard m >= minimumSyntheses, variances.count == m, realRows > 0, syntheticRows > 0 else {
      throw DoppelError(
        .invalidArgument,
        "the \(rawValue) combining rule needs at least \(minimumSyntheses) synthetic tables; got \(m)"
      )
    }
    let md = Double(m)
    let mean = estimates.reduce(0, +) / md
    let within = variances.reduce(0, +) / md
    let between: Double? =
      m >= 2 ? estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (md - 1) : nil
    let ratio = syntheticRows / realRows
    switch self {
    case .fullySynthetic:
      let b = between ?? 0
      let total = (1 + 1 / md) * b - within
      if total > 0 {
        let r = 1 - md * within / ((md + 1) * b)
        return Combined(
          estimate: mean, variance: total, degreesOfFreedom: (md - 1) * r * r, between: b,
          within: within, adjusted: false)
      }
      return Combined(
        estimate: mean, variance: ratio * within, degreesOfFreedom: nil, between: b,
        within: within, adjusted: true)
    case .partiallySynthetic:
      let b = between ?? 0
      let total = within + b / md
      var degrees: Double?
      if b > 0 {
        let r = 1 + within / (b / md)
        degrees = (md - 1) * r * r
      }
      return Combined(
        estimate: mean, variance: total, degreesOfFreedom: degrees, between: b, within: within,
        adjusted: false)
    case .synthpop:
      let total = proper ? within * (ratio + (1 + ratio) / md) : within * (ratio + 1 / md)
      return Combined(
        estimate: mean, variance: total, degreesOfFreedom: nil, between: between, within: within,
        adjusted: false)
    case .synthpopPartial:
      let b = between ?? 0
      return Combined(
        estimate: mean, variance: within * ratio + b / md, degreesOfFreedom: nil, between: b,
        within: within, adjusted: false)
    }
  }
}
