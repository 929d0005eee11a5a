import DoppelCore
import Foundation

/// The privacy ledger of a differentially private model: which mechanisms touched the data, with
/// what budget, and what was assumed public.
///
/// A model file of a differentially private synthesizer carries one of these so a reviewer can
/// check the guarantee without reading code. Steps compose sequentially: pure ε-DP steps add
/// their ε, zCDP steps add their ρ (McSherry, "Privacy integrated queries", SIGMOD 2009; Dwork and
/// Roth, *The Algorithmic Foundations of Differential Privacy*, 2014, Theorem 3.16; Bun and
/// Steinke, TCC 2016, for zCDP). Everything computed from the model afterwards (sampled
/// rows, reports) is post-processing and spends nothing more (Dwork and Roth 2014,
/// Proposition 2.1).
///
/// PrivBayes records pure ε-DP steps with `delta == 0`; a synthesizer accounted in zCDP (MST,
/// DP-SGD via a moments accountant) records ρ in its steps and states the converted (ε, δ) in
/// ``totalEpsilon`` and ``delta``.
public struct PrivacyAccounting: Sendable, Equatable, Codable {
  /// When two tables count as neighbours, the unit a guarantee protects.
  public enum Neighbouring: String, Sendable, Equatable, Codable {
    /// The tables have the same number of rows and differ in the values of one row ("bounded"
    /// differential privacy); the row count itself is public.
    case replaceOneRecord = "replace-one-record"
    /// One table has one row more than the other ("unbounded" differential privacy).
    case addOrRemoveOneRecord = "add-or-remove-one-record"
  }

  /// One use of a mechanism, or several uses with equal budget, and what it cost.
  public struct Step: Sendable, Equatable, Codable {
    /// What the step computes, such as `"structure learning"`.
    public var purpose: String
    /// The mechanism's name, such as ``LaplaceMechanism/name``.
    public var mechanism: String
    /// How many times the mechanism ran in this step.
    public var uses: Int
    /// The sensitivity of each use's query or score, in the units of ``sensitivityUnit``.
    public var sensitivity: Double
    /// What ``sensitivity`` measures, such as `"L1 of a count vector"`.
    public var sensitivityUnit: String
    /// The ε of the whole step (all uses together) for a pure-DP step; 0 otherwise.
    public var epsilon: Double
    /// The ρ of the whole step for a zCDP step; 0 otherwise.
    public var rho: Double

    /// Creates a step.
    /// - Parameters:
    ///   - purpose: What the step computes.
    ///   - mechanism: The mechanism's name.
    ///   - uses: How many times the mechanism ran.
    ///   - sensitivity: The sensitivity of each use.
    ///   - sensitivityUnit: What the sensitivity measures.
    ///   - epsilon: The pure-DP ε of all uses together, or 0.
    ///   - rho: The zCDP ρ of all uses together, or 0.
    public init(
      purpose: String, mechanism: String, uses: Int, sensitivity: Double,
      sensitivityUnit: String, epsilon: Double = 0, rho: Double = 0
    ) {
      self.purpose = purpose
      self.mechanism = mechanism
      self.uses = uses
      self.sensitivity = sensitivity
      self.sensitivityUnit = sensitivityUnit
      self.epsilon = epsilon
      self.rho = rho
    }

    /// The ε of each use: ``epsilon`` shared equally among ``uses``.
    public var epsilonPerUse: Double { uses > 0 ? epsilon / Double(uses) : 0 }
  }

  /// The share of the requested budget planned for one purpose.
  public struct Share: Sendable, Equatable, Codable {
    /// The purpose, matching a ``Step/purpose``.
    public var purpose: String
    /// The fraction of the requested ε, in [0, 1].
    public var fraction: Double

    /// Creates a share.
    /// - Parameters:
    ///   - purpose: The purpose.
    ///   - fraction: The fraction of the requested ε.
    public init(purpose: String, fraction: Double) {
      self.purpose = purpose
      self.fraction = fraction
    }
  }

  /// How a zCDP total ρ is stated as (ε, δ)-differential privacy.
  public enum EpsilonConversion: String, Sendable, Equatable, Codable {
    /// ε = ρ + 2√(ρ·ln(1/δ)) (Bun and Steinke, TCC 2016, Proposition 1.3).
    case bunSteinke = "bun-steinke-2016"
    /// The tighter bound of ``ConcentratedPrivacyConversion`` (Canonne, Kamath and Steinke,
    /// NeurIPS 2020), as used by MST.
    case canonneKamathSteinke = "canonne-kamath-steinke-2020"

    /// The ε of (ε, δ)-DP implied by ρ-zCDP under this conversion.
    /// - Parameters:
    ///   - rho: A total zCDP parameter, at least 0.
    ///   - delta: The δ wanted, in (0, 1).
    /// - Returns: The matching ε.
    public func epsilon(rho: Double, delta: Double) -> Double {
      switch self {
      case .bunSteinke: return GaussianMechanism.approximateEpsilon(rho: rho, delta: delta)
      case .canonneKamathSteinke:
        return ConcentratedPrivacyConversion.epsilon(rho: rho, delta: delta)
      }
    }
  }

  /// The neighbouring relation the guarantee is stated for.
  public var neighbouring: Neighbouring
  /// The ε the user asked for.
  public var requestedEpsilon: Double
  /// How the requested budget was split among purposes.
  public var budgetSplit: [Share]
  /// The mechanisms run on the data, in the order they ran.
  public private(set) var steps: [Step]
  /// The ε of the whole model: the sum of the steps' ε (pure DP), or the (ε, δ) conversion of
  /// ``totalRho`` for zCDP.
  public private(set) var totalEpsilon: Double
  /// The sum of the steps' ρ; 0 when every step is pure DP.
  public private(set) var totalRho: Double
  /// The δ of the guarantee; 0 for pure ε-differential privacy.
  public private(set) var delta: Double
  /// How ``totalRho`` is converted to ``totalEpsilon``; only meaningful when ``totalRho`` > 0.
  public private(set) var epsilonConversion: EpsilonConversion
  /// What the guarantee takes as public knowledge, in words (the table's row count under
  /// replace-one neighbours, column kinds, category lists, numeric ranges, …).
  public var publicInformation: [String]
  /// How the steps add up, in words.
  public var composition: String

  /// Creates an empty ledger.
  /// - Parameters:
  ///   - neighbouring: The neighbouring relation.
  ///   - requestedEpsilon: The ε the user asked for.
  ///   - budgetSplit: How the budget is planned to be split.
  ///   - publicInformation: What is assumed public.
  public init(
    neighbouring: Neighbouring, requestedEpsilon: Double, budgetSplit: [Share],
    publicInformation: [String]
  ) {
    self.neighbouring = neighbouring
    self.requestedEpsilon = requestedEpsilon
    self.budgetSplit = budgetSplit
    self.steps = []
    self.totalEpsilon = 0
    self.totalRho = 0
    self.delta = 0
    self.epsilonConversion = .bunSteinke
    self.publicInformation = publicInformation
    self.composition =
      "sequential composition: the ε of pure-DP steps add up (McSherry 2009; Dwork and Roth 2014, Theorem 3.16)"
  }

  /// Adds a pure ε-DP step and updates the totals.
  /// - Parameter step: A step with ``Step/rho`` 0.
  public mutating func record(_ step: Step) {
    precondition(step.rho == 0, "record zCDP steps with record(_:delta:)")
    steps.append(step)
    totalEpsilon = steps.reduce(0) { $0 + $1.epsilon }
  }

  /// Adds a zCDP step and restates the totals as (ε, δ) at the given δ (by default with Bun and
  /// Steinke 2016, Proposition 1.3), after turning any pure-DP step's ε into ε²/2-zCDP
  /// (Proposition 1.4).
  /// - Parameters:
  ///   - step: A step with ``Step/epsilon`` 0 and a positive ``Step/rho``.
  ///   - delta: The δ at which to state the guarantee, in (0, 1).
  ///   - conversion: How the total ρ becomes ε.
  public mutating func record(
    _ step: Step, delta: Double, conversion: EpsilonConversion = .bunSteinke
  ) {
    precondition(step.epsilon == 0, "record pure-DP steps with record(_:)")
    steps.append(step)
    let pure = steps.reduce(0) { $0 + $1.epsilon * $1.epsilon / 2 }
    totalRho = steps.reduce(0) { $0 + $1.rho } + pure
    totalEpsilon = conversion.epsilon(rho: totalRho, delta: delta)
    self.delta = delta
    self.epsilonConversion = conversion
  }

  private enum CodingKeys: String, CodingKey {
    case neighbouring, requestedEpsilon, budgetSplit, steps, totalEpsilon, totalRho, delta
    case publicInformation, composition, epsilonConversion
  }

  /// Reads a ledger and checks that its totals match its steps.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `corruptModel` when the totals disagree.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    neighbouring = try c.decode(Neighbouring.self, forKey: .neighbouring)
    requestedEpsilon = try c.decode(Double.self, forKey: .requestedEpsilon)
    budgetSplit = try c.decode([Share].self, forKey: .budgetSplit)
    steps = try c.decode([Step].self, forKey: .steps)
    totalEpsilon = try c.decode(Double.self, forKey: .totalEpsilon)
    totalRho = try c.decodeIfPresent(Double.self, forKey: .totalRho) ?? 0
    delta = try c.decode(Double.self, forKey: .delta)
    publicInformation = try c.decodeIfPresent([String].self, forKey: .publicInformation) ?? []
    composition = try c.decodeIfPresent(String.self, forKey: .composition) ?? ""
    epsilonConversion =
      try c.decodeIfPresent(EpsilonConversion.self, forKey: .epsilonConversion) ?? .bunSteinke
    let pure = steps.reduce(0) { $0 + $1.epsilon }
    let values = [requestedEpsilon, totalEpsilon, totalRho, delta] + steps.map(\.epsilon)
    guard values.allSatisfy({ $0.isFinite && $0 >= 0 }), delta < 1,
      totalRho > 0 || abs(pure - totalEpsilon) <= 1e-9 * max(1, totalEpsilon)
    else {
      throw DoppelError(
        .corruptModel, "the privacy accounting in the model file does not add up; fit again")
    }
  }

  /// Writes the ledger.
  /// - Parameter encoder: The encoder.
  /// - Throws: An encoding error.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(neighbouring, forKey: .neighbouring)
    try c.encode(requestedEpsilon, forKey: .requestedEpsilon)
    try c.encode(budgetSplit, forKey: .budgetSplit)
    try c.encode(steps, forKey: .steps)
    try c.encode(totalEpsilon, forKey: .totalEpsilon)
    try c.encode(totalRho, forKey: .totalRho)
    try c.encode(delta, forKey: .delta)
    try c.encode(publicInformation, forKey: .publicInformation)
    try c.encode(composition, forKey: .composition)
    // Written only for zCDP ledgers, so pure-DP model files keep their layout.
    if totalRho > 0 { try c.encode(epsilonConversion, forKey: .epsilonConversion) }
  }
}
