import DoppelCore
import Foundation

/// The Gaussian mechanism: releases a numeric query with normal noise, accounted in zero-concentrated
/// differential privacy (zCDP).
///
/// Adding N(0, σ²) noise to each coordinate of a query whose L2 sensitivity is `Δ₂` satisfies
/// ρ-zCDP with `ρ = Δ₂²/(2σ²)` (Bun and Steinke, "Concentrated differential privacy:
/// simplifications, extensions, and lower bounds", TCC 2016, Proposition 1.6), so this type is
/// built from ρ and sets `σ = Δ₂/√(2ρ)`. zCDP composes by adding the ρ's, which is how the MST
/// synthesizer (McKenna, Miklau and Sheldon, "Winning the NIST contest: a scalable and general
/// approach to differentially private synthetic data", J. Privacy and Confidentiality 11(3), 2021)
/// accounts for its measurements; ``approximateEpsilon(delta:)`` converts the total to (ε, δ).
/// Randomness comes from a ``SeededGenerator``; see ``LaplaceMechanism`` on seeds.
public struct GaussianMechanism: Sendable, Equatable, Codable {
  /// The name recorded in a ``PrivacyAccounting``.
  public static let name = "gaussian"

  /// The zCDP parameter ρ of one release.
  public let rho: Double
  /// The L2 sensitivity Δ₂ of the released query.
  public let sensitivity: Double

  /// Creates the mechanism.
  /// - Parameters:
  ///   - rho: The zCDP parameter of one release; positive and finite.
  ///   - sensitivity: The query's L2 sensitivity; positive and finite.
  /// - Throws: ``DoppelError`` `invalidArgument` when either is not positive and finite.
  public init(rho: Double, sensitivity: Double) throws {
    try PrivacyParameters.checkPositive(rho, "rho")
    try PrivacyParameters.checkPositive(sensitivity, "sensitivity")
    self.rho = rho
    self.sensitivity = sensitivity
  }

  /// The noise standard deviation `σ = Δ₂/√(2ρ)`.
  public var standardDeviation: Double { sensitivity / (2 * rho).squareRoot() }

  /// Releases one answer.
  /// - Parameters:
  ///   - value: The exact answer.
  ///   - generator: The random stream.
  /// - Returns: The answer plus N(0, σ²) noise.
  public func release(_ value: Double, using generator: inout SeededGenerator) -> Double {
    value + standardDeviation * generator.nextNormal()
  }

  /// Releases a vector of answers whose L2 sensitivity, as a whole, is ``sensitivity``.
  /// - Parameters:
  ///   - values: The exact answers.
  ///   - generator: The random stream.
  /// - Returns: Each answer plus independent N(0, σ²) noise.
  public func release(_ values: [Double], using generator: inout SeededGenerator) -> [Double] {
    values.map { release($0, using: &generator) }
  }

  /// The ε of (ε, δ)-differential privacy implied by ρ-zCDP: `ρ + 2√(ρ·ln(1/δ))` (Bun and Steinke
  /// 2016, Proposition 1.3).
  /// - Parameters:
  ///   - rho: A total zCDP parameter, at least 0.
  ///   - delta: The δ wanted, in (0, 1).
  /// - Returns: The matching ε.
  public static func approximateEpsilon(rho: Double, delta: Double) -> Double {
    precondition(delta > 0 && delta < 1, "delta must be in (0, 1)")
    return rho + 2 * (rho * log(1 / delta)).squareRoot()
  }

  /// The ε of (ε, δ)-differential privacy of one release of this mechanism.
  /// - Parameter delta: The δ wanted, in (0, 1).
  /// - Returns: The matching ε.
  public func approximateEpsilon(delta: Double) -> Double {
    GaussianMechanism.approximateEpsilon(rho: rho, delta: delta)
  }
}
