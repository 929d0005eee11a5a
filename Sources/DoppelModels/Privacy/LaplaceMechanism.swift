import DoppelCore
import Foundation

/// The Laplace mechanism: releases a numeric query with noise drawn from a Laplace distribution.
///
/// Adding noise of scale `b = Δ₁/ε` to a query whose L1 sensitivity is `Δ₁` (the most its vector
/// of answers can change, summed over coordinates, between two neighbouring tables) is ε-
/// differentially private (Dwork, McSherry, Nissim and Smith, "Calibrating noise to sensitivity in
/// private data analysis", TCC 2006; Dwork and Roth, *The Algorithmic Foundations of Differential
/// Privacy*, 2014, Theorem 3.6). Each coordinate gets its own independent noise.
///
/// Noise comes from a ``SeededGenerator``, so a release is reproducible from its seed. That is what
/// tests and research need; a real release must draw the seed from a secret, truly random source
/// and never publish it, because whoever knows the seed can subtract the noise. Like every
/// textbook floating-point sampler, this one does not defend against the attack on the least
/// significant bits of floating-point noise (Mironov, "On significance of the least significant
/// bits for differential privacy", CCS 2012).
public struct LaplaceMechanism: Sendable, Equatable, Codable {
  /// The name recorded in a ``PrivacyAccounting``.
  public static let name = "laplace"

  /// The privacy loss bound ε of one release.
  public let epsilon: Double
  /// The L1 sensitivity Δ₁ of the released query.
  public let sensitivity: Double

  /// Creates the mechanism.
  /// - Parameters:
  ///   - epsilon: The privacy loss bound of one release; positive and finite.
  ///   - sensitivity: The query's L1 sensitivity; positive and finite.
  /// - Throws: ``DoppelError`` `invalidArgument` when either is not positive and finite.
  public init(epsilon: Double, sensitivity: Double) throws {
    try PrivacyParameters.checkPositive(epsilon, "epsilon")
    try PrivacyParameters.checkPositive(sensitivity, "sensitivity")
    self.epsilon = epsilon
    self.sensitivity = sensitivity
  }

  /// The noise scale `b = Δ₁/ε`; the noise has standard deviation `b·√2`.
  public var scale: Double { sensitivity / epsilon }

  /// One draw of Laplace(0, b) noise, as the difference of two exponential draws.
  /// - Parameter generator: The random stream.
  /// - Returns: The noise.
  public func noise(using generator: inout SeededGenerator) -> Double {
    scale * (log(generator.nextOpenUnit()) - log(generator.nextOpenUnit()))
  }

  /// Releases one answer.
  /// - Parameters:
  ///   - value: The exact answer.
  ///   - generator: The random stream.
  /// - Returns: The answer plus Laplace noise.
  public func release(_ value: Double, using generator: inout SeededGenerator) -> Double {
    value + noise(using: &generator)
  }

  /// Releases a vector of answers whose L1 sensitivity, as a whole, is ``sensitivity``.
  /// - Parameters:
  ///   - values: The exact answers, such as the cell counts of a contingency table.
  ///   - generator: The random stream.
  /// - Returns: Each answer plus independent Laplace noise.
  public func release(_ values: [Double], using generator: inout SeededGenerator) -> [Double] {
    values.map { $0 + noise(using: &generator) }
  }
}
