/// The univariate distribution families a numerical column's marginal can take.
///
/// Parametric families follow the candidates of SDV's Copulas library (normal, uniform, beta,
/// gamma, log-normal); `empirical` is a smoothed empirical quantile function that keeps skewed,
/// bounded, point-massed and multimodal columns intact.
public enum MarginalFamily: String, Sendable, Codable, CaseIterable {
  /// Normal with the sample mean and standard deviation.
  case normal
  /// Uniform on the observed range.
  case uniform
  /// Beta on the observed range, shapes by the method of moments.
  case beta
  /// Gamma shifted to just below the observed minimum, by the method of moments.
  case gamma
  /// Log-normal shifted to just below the observed minimum.
  case logNormal = "lognormal"
  /// A smoothed empirical quantile function (Harrell–Davis for small samples).
  case empirical

  /// The parametric families, in the order they are tried.
  public static let parametric: [MarginalFamily] = [.normal, .uniform, .beta, .gamma, .logNormal]
}
