import DoppelCore
import Foundation

/// The exponential mechanism: picks one of several candidates, favouring high scores.
///
/// Candidate `r` with score `u(D, r)` is chosen with probability proportional to
/// `exp(ε·u(D, r) / (2Δu))`, where `Δu` is the most any candidate's score can change between two
/// neighbouring tables; the choice is ε-differentially private (McSherry and Talwar, "Mechanism
/// design via differential privacy", FOCS 2007; Dwork and Roth 2014, Theorem 3.10).
///
/// Sampling uses the Gumbel-max trick: adding independent standard Gumbel noise to each
/// `ε·u/(2Δu)` and taking the largest gives exactly that distribution (Gumbel 1954; Yellott, "The
/// relationship between Luce's choice axiom, Thurstone's theory of comparative judgment, and the
/// double exponential distribution", J. Math. Psychology 15, 1977; used for private selection by
/// Durfee and Rogers, "Practical differentially private top-k selection with pay-what-you-get
/// composition", NeurIPS 2019). It needs no normalising sum, so very large or very small scores
/// cannot overflow. Randomness comes from a ``SeededGenerator``; see ``LaplaceMechanism`` on seeds.
public struct ExponentialMechanism: Sendable, Equatable, Codable {
  /// The name recorded in a ``PrivacyAccounting``.
  public static let name = "exponential"

  /// The privacy loss bound ε of one selection.
  public let epsilon: Double
  /// The sensitivity Δu of the score function.
  public let sensitivity: Double

  /// Creates the mechanism.
  /// - Parameters:
  ///   - epsilon: The privacy loss bound of one selection; positive and finite.
  ///   - sensitivity: The score function's sensitivity; positive and finite.
  /// - Throws: ``DoppelError`` `invalidArgument` when either is not positive and finite.
  public init(epsilon: Double, sensitivity: Double) throws {
    try PrivacyParameters.checkPositive(epsilon, "epsilon")
    try PrivacyParameters.checkPositive(sensitivity, "sensitivity")
    self.epsilon = epsilon
    self.sensitivity = sensitivity
  }

  /// Chooses one candidate.
  /// - Parameters:
  ///   - scores: The finite score of each candidate; at least one.
  ///   - generator: The random stream; one draw per candidate.
  /// - Returns: The index of the chosen candidate.
  public func select(scores: [Double], using generator: inout SeededGenerator) -> Int {
    precondition(!scores.isEmpty, "the exponential mechanism needs at least one candidate")
    let factor = epsilon / (2 * sensitivity)
    var best = 0
    var bestKey = -Double.infinity
    for (index, score) in scores.enumerated() {
      precondition(score.isFinite, "scores must be finite")
      let gumbel = -log(-log(generator.nextOpenUnit()))
      let key = factor * score + gumbel
      if key > bestKey {
        bestKey = key
        best = index
      }
    }
    return best
  }

  /// The exact selection probabilities, for reports and tests.
  /// - Parameter scores: The finite score of each candidate; at least one.
  /// - Returns: The probability that ``select(scores:using:)`` returns each index.
  public func probabilities(scores: [Double]) -> [Double] {
    precondition(!scores.isEmpty, "the exponential mechanism needs at least one candidate")
    let factor = epsilon / (2 * sensitivity)
    let top = scores.map { factor * $0 }.max() ?? 0
    let weights = scores.map { exp(factor * $0 - top) }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
  }
}
