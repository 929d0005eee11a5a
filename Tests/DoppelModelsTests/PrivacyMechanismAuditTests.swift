import Doppel
import Foundation
import Testing

/// Each mechanism is audited with ``PrivacyAudit`` on neighbouring inputs, and each audit is shown
/// to catch the same mechanism with half its claimed noise.
@Suite
struct `Privacy mechanism audit` {
  /// Laplace on a query that is 0 on D and Δ on D′; bins of width b/4 over [−6b, Δ + 6b].
  static func auditLaplace(claimed epsilon: Double, sensitivity: Double, noiseEpsilon: Double)
    throws -> PrivacyAudit.Result
  {
    let mechanism = try LaplaceMechanism(epsilon: noiseEpsilon, sensitivity: sensitivity)
    let scale = sensitivity / epsilon
    let low = -6 * scale
    let width = scale / 4
    let bins = Int(((sensitivity + 12 * scale) / width).rounded(.up))
    return PrivacyAudit.audit(
      bins: bins, bin: { Int((($0 - low) / width).rounded(.down)) }, bound: { _ in epsilon },
      run: { neighbour, random in mechanism.release(neighbour ? sensitivity : 0, using: &random) })
  }

  @Test(
    "the Laplace mechanism's empirical privacy loss stays within ε",
    arguments: [(1.0, 1.0), (0.5, 2.0)])
  func laplaceStaysWithinEpsilon(epsilon: Double, sensitivity: Double) throws {
    let result = try Self.auditLaplace(
      claimed: epsilon, sensitivity: sensitivity, noiseEpsilon: epsilon)
    print("Laplace ε=\(epsilon) Δ=\(sensitivity): \(result)")
    #expect(result.passes, "\(result)")
    // Outside [0, Δ] the loss of Laplace noise is exactly ε: the audit sees it, not less.
    #expect(result.largestLoss > epsilon - result.tolerance, "\(result)")
  }

  @Test(
    "the audit detects a Laplace mechanism with half the noise it claims",
    arguments: [(1.0, 1.0), (0.5, 2.0)])
  func brokenLaplaceIsDetected(epsilon: Double, sensitivity: Double) throws {
    let result = try Self.auditLaplace(
      claimed: epsilon, sensitivity: sensitivity, noiseEpsilon: 2 * epsilon)
    print("broken Laplace ε=\(epsilon) Δ=\(sensitivity): \(result)")
    #expect(!result.passes, "\(result)")
  }

  /// Ten candidates scored 0 on D; on D′ the first gains Δ and the others lose Δ, the largest
  /// change the sensitivity allows. Its exact loss for the first candidate is
  /// ln(10·e^ε / (e^ε + 9)) = 0.843 at ε = 1.
  static func auditExponential(claimed epsilon: Double, selectionEpsilon: Double) throws
    -> PrivacyAudit.Result
  {
    let mechanism = try ExponentialMechanism(epsilon: selectionEpsilon, sensitivity: 1)
    let d = [Double](repeating: 0, count: 10)
    let neighbour = [1.0] + [Double](repeating: -1, count: 9)
    return PrivacyAudit.audit(
      bins: 10, bin: { Int($0) }, bound: { _ in epsilon },
      run: { isNeighbour, random in
        Double(mechanism.select(scores: isNeighbour ? neighbour : d, using: &random))
      })
  }

  @Test("the exponential mechanism's empirical privacy loss stays within ε")
  func exponentialStaysWithinEpsilon() throws {
    let result = try Self.auditExponential(claimed: 1, selectionEpsilon: 1)
    print("exponential ε=1: \(result)")
    #expect(result.passes, "\(result)")
    let exact = log(10 * exp(1.0) / (exp(1.0) + 9))
    #expect(abs(result.largestLoss - exact) < result.tolerance, "\(result) vs exact \(exact)")
  }

  @Test("the audit detects an exponential mechanism that uses twice its ε")
  func brokenExponentialIsDetected() throws {
    let result = try Self.auditExponential(claimed: 1, selectionEpsilon: 2)
    print("broken exponential ε=1: \(result)")
    #expect(!result.passes, "\(result)")
  }

  /// Gaussian noise on a query that is 0 on D and Δ on D′. The loss at output o is exactly
  /// Δ·|o − Δ/2|/σ² with σ² = Δ²/(2ρ) (Dwork and Roth 2014, proof of Theorem A.1); the promised
  /// bound of a bin is that loss at the bin's end farthest from Δ/2. (Gaussian noise has no finite
  /// pure ε: the loss grows without bound in the tails, which zCDP accounts for.)
  static func auditGaussian(claimed rho: Double, noiseRho: Double) throws -> PrivacyAudit.Result {
    let sensitivity = 1.0
    let mechanism = try GaussianMechanism(rho: noiseRho, sensitivity: sensitivity)
    let sigma = sensitivity / (2 * rho).squareRoot()
    let low = -6 * sigma
    let width = sigma / 4
    let bins = Int(((sensitivity + 12 * sigma) / width).rounded(.up))
    return PrivacyAudit.audit(
      bins: bins, bin: { Int((($0 - low) / width).rounded(.down)) },
      bound: { b in
        let start = low + Double(b) * width
        let far = max(abs(start - sensitivity / 2), abs(start + width - sensitivity / 2))
        return sensitivity * far / (sigma * sigma)
      },
      run: { neighbour, random in mechanism.release(neighbour ? sensitivity : 0, using: &random) })
  }

  @Test("the Gaussian mechanism's empirical privacy loss stays within its ρ-zCDP loss profile")
  func gaussianStaysWithinProfile() throws {
    let result = try Self.auditGaussian(claimed: 0.5, noiseRho: 0.5)
    print("Gaussian ρ=0.5: \(result)")
    #expect(result.passes, "\(result)")
  }

  @Test("the audit detects a Gaussian mechanism with half the noise it claims")
  func brokenGaussianIsDetected() throws {
    // Half the standard deviation is four times ρ.
    let result = try Self.auditGaussian(claimed: 0.5, noiseRho: 2)
    print("broken Gaussian ρ=0.5: \(result)")
    #expect(!result.passes, "\(result)")
  }

  @Test("Gumbel-max selection frequencies match the exponential mechanism's probabilities")
  func gumbelMaxMatchesSoftmax() throws {
    let mechanism = try ExponentialMechanism(epsilon: 0.8, sensitivity: 0.5)
    let scores = [0.0, 0.4, 1.1, -0.7, 2.0]
    let expected = mechanism.probabilities(scores: scores)
    var counts = [Double](repeating: 0, count: scores.count)
    var random = SeededGenerator(seed: 77)
    let n = 200_000
    for _ in 0..<n { counts[mechanism.select(scores: scores, using: &random)] += 1 }
    for (count, p) in zip(counts, expected) {
      // 4.4 binomial standard errors: a 99.9% family-wise bound over five candidates.
      #expect(abs(count / Double(n) - p) < 4.4 * (p * (1 - p) / Double(n)).squareRoot())
    }
  }

  @Test("mechanisms reject budgets and sensitivities that are not positive")
  func invalidParametersAreRejected() {
    #expect(throws: DoppelError.self) { try LaplaceMechanism(epsilon: 0, sensitivity: 1) }
    #expect(throws: DoppelError.self) { try ExponentialMechanism(epsilon: 1, sensitivity: -1) }
    #expect(throws: DoppelError.self) { try GaussianMechanism(rho: .infinity, sensitivity: 1) }
  }

  @Test("a zCDP ledger converts ρ to (ε, δ) and adds pure steps as ε²/2")
  func zcdpLedger() {
    var ledger = PrivacyAccounting(
      neighbouring: .addOrRemoveOneRecord, requestedEpsilon: 1, budgetSplit: [],
      publicInformation: [])
    ledger.record(
      .init(
        purpose: "selection", mechanism: ExponentialMechanism.name, uses: 1, sensitivity: 1,
        sensitivityUnit: "score", epsilon: 0.2))
    ledger.record(
      .init(
        purpose: "measurement", mechanism: GaussianMechanism.name, uses: 3, sensitivity: 1,
        sensitivityUnit: "L2", rho: 0.03),
      delta: 1e-6)
    #expect(abs(ledger.totalRho - (0.03 + 0.02)) < 1e-15)
    let expected = 0.05 + 2 * (0.05 * log(1e6)).squareRoot()
    #expect(abs(ledger.totalEpsilon - expected) < 1e-12 && ledger.delta == 1e-6)
  }
}
