import DoppelCore
import DoppelTransforms
import Foundation

/// The Gaussian copula synthesizer: per-column marginals joined by a normal-scores correlation.
///
/// By Sklar's theorem every joint distribution is its marginals joined by a copula (Sklar,
/// "Fonctions de répartition à n dimensions et leurs marges", 1959; Nelsen, *An Introduction to
/// Copulas*, 2nd ed., Springer 2006). This synthesizer follows the approach of SDV's
/// `GaussianCopulaSynthesizer` and its Copulas library (Patki, Wedge and Veeramachaneni, "The
/// Synthetic Data Vault", IEEE DSAA 2016):
/// - each numerical or datetime column gets a marginal chosen by goodness of fit (see
///   ``MarginalChoice``); its normal scores come from its ranks, with ties split at random;
/// - each categorical or boolean column is mapped to frequency intervals of [0, 1] (most frequent
///   first), and a missing value is a category of its own;
/// - a numerical column with missing values gets a missing-indicator dimension, so missingness is
///   correlated with the other columns;
/// - the correlation of the normal scores is estimated pairwise and repaired to be positive
///   definite; sampling draws correlated normals and maps them back through the marginals;
/// - identifiers are generated fresh and unique, personal data is replaced by fake values of the
///   same kind and shape, and free text by random text of a learned shape (never copied).
public struct GaussianCopulaSynthesizer: Synthesizer, Equatable {
  /// The registry name.
  public static let kind = "gaussian-copula"

  /// How the marginal of each numerical column is chosen.
  public enum MarginalChoice: String, Sendable, Codable, CaseIterable {
    /// The best parametric family when the Kolmogorov–Smirnov test does not reject it at the 20%
    /// level (critical value 1.073/√n), otherwise the smoothed empirical marginal.
    case auto
    /// The best parametric family by Kolmogorov–Smirnov distance (Copulas' rule), always.
    case parametric
    /// Normal.
    case normal
    /// Uniform.
    case uniform
    /// Beta on the observed range (SDV's default).
    case beta
    /// Gamma.
    case gamma
    /// Log-normal.
    case lognormal
    /// The smoothed empirical quantile function.
    case empirical
  }

  /// How numerical marginals are chosen; default ``MarginalChoice/auto``.
  public var marginal: MarginalChoice
  /// Whether sampled numbers may fall outside the training range; default `false`.
  public var allowExtrapolation: Bool

  /// Creates the synthesizer.
  /// - Parameters:
  ///   - marginal: How numerical marginals are chosen.
  ///   - allowExtrapolation: Whether numbers may leave the observed range.
  public init(marginal: MarginalChoice = .auto, allowExtrapolation: Bool = false) {
    self.marginal = marginal
    self.allowExtrapolation = allowExtrapolation
  }

  private enum CodingKeys: String, CodingKey {
    case marginal, allowExtrapolation
  }

  /// Decodes hyper-parameters, using defaults for absent keys.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error for a wrong type or an unknown marginal.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    marginal = try c.decodeIfPresent(MarginalChoice.self, forKey: .marginal) ?? .auto
    allowExtrapolation = try c.decodeIfPresent(Bool.self, forKey: .allowExtrapolation) ?? false
  }

  /// Fits the copula.
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds; they must match the table's columns.
  ///   - seed: Seeds the random splitting of ties.
  ///   - progress: Receives one update per column.
  /// - Returns: The fitted model.
  /// - Throws: ``DoppelError`` `schemaMismatch` when table and metadata disagree, `noRows` for an
  ///   empty table.
  /// - Complexity: O(n log n) per column plus O(d² n) for the correlation of d dimensions.
  public func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?
  ) async throws -> GaussianCopulaModel {
    try CopulaFitter(synthesizer: self, table: table, metadata: metadata, seed: seed)
      .fit(progress: progress)
  }

  var candidateFamilies: [MarginalFamily] {
    switch marginal {
    case .auto, .parametric: return MarginalFamily.parametric
    case .normal: return [.normal]
    case .uniform: return [.uniform]
    case .beta: return [.beta]
    case .gamma: return [.gamma]
    case .lognormal: return [.logNormal]
    case .empirical: return [.empirical]
    }
  }
}
