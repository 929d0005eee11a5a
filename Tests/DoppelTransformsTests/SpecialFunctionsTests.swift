import DoppelCore
import DoppelTransforms
import Foundation
import Testing

@Suite("Special functions")
struct SpecialFunctionsTests {
  @Test("normal quantile matches reference values to 1e-12")
  func normalQuantileReference() {
    // Reference values from R's qnorm.
    let cases: [(Double, Double)] = [
      (0.975, 1.959963984540054), (0.5, 0), (0.001, -3.090232306167813),
      (1e-10, -6.361340902404056), (0.8, 0.8416212335729143),
    ]
    for (p, z) in cases {
      #expect(abs(SpecialFunctions.normalQuantile(p) - z) < 1e-12, "p = \(p)")
    }
  }

  @Test("normal CDF inverts the quantile", arguments: [-7.5, -3.0, -0.3, 0.0, 1.2, 4.4])
  func normalRoundTrip(z: Double) {
    let p = SpecialFunctions.normalCDF(z)
    #expect(abs(SpecialFunctions.normalQuantile(p) - z) < 1e-9)
  }

  @Test("incomplete beta matches closed forms")
  func incompleteBeta() {
    // I_x(2, 3) = 6x² − 8x³ + 3x⁴; I_x(1, 1) = x.
    for x in [0.1, 0.5, 0.9] {
      let exact = 6 * x * x - 8 * x * x * x + 3 * x * x * x * x
      #expect(abs(SpecialFunctions.regularizedIncompleteBeta(x, 2, 3) - exact) < 1e-12)
      #expect(abs(SpecialFunctions.regularizedIncompleteBeta(x, 1, 1) - x) < 1e-12)
    }
  }

  @Test("incomplete gamma matches closed forms")
  func incompleteGamma() {
    // P(1, x) = 1 − e^{−x}; P(2, x) = 1 − (1 + x)e^{−x}.
    for x in [0.2, 1.0, 3.5, 12.0] {
      #expect(abs(SpecialFunctions.regularizedLowerGamma(1, x) - (1 - exp(-x))) < 1e-12)
      #expect(abs(SpecialFunctions.regularizedLowerGamma(2, x) - (1 - (1 + x) * exp(-x))) < 1e-12)
    }
    // Q(2, x) = (1 + x)e^{−x} keeps its relative accuracy far in the tail, where 1 − P is 0.
    for x in [0.5, 2.0, 40.0, 300.0, 650.0] {
      let exact = (1 + x) * exp(-x)
      let upper = SpecialFunctions.regularizedUpperGamma(2, x)
      #expect(abs(upper - exact) <= 1e-12 * exact)
      #expect(abs(upper + SpecialFunctions.regularizedLowerGamma(2, x) - 1) < 1e-12)
    }
  }
}

@Suite("Marginals")
struct MarginalTests {
  static func normalSample(_ n: Int, seed: UInt64) -> [Double] {
    var random = SeededGenerator(seed: seed)
    return (0..<n).map { _ in 10 + 2 * random.nextNormal() }.sorted()
  }

  @Test("the normal family fits normal data within the KS critical value")
  func normalFits() throws {
    let data = MarginalTests.normalSample(2000, seed: 1)
    let fitted = try #require(Marginal.fit(data, family: .normal))
    #expect(abs(fitted.parameters[0] - 10) < 0.15)
    #expect(abs(fitted.parameters[1] - 2) < 0.15)
    #expect(fitted.ksDistance < 1.358 / 2000.0.squareRoot())
  }

  @Test("a bimodal column is far from every parametric family but close to the empirical one")
  func bimodalNeedsEmpirical() throws {
    var random = SeededGenerator(seed: 2)
    let data = (0..<3000).map { i in (i % 2 == 0 ? 0.0 : 20.0) + random.nextNormal() }.sorted()
    let parametric = try #require(Marginal.select(data, candidates: MarginalFamily.parametric))
    let empirical = try #require(Marginal.fit(data, family: .empirical))
    #expect(parametric.ksDistance > 0.1)
    #expect(empirical.ksDistance < 0.01)
  }

  @Test("quantile inverts the CDF for every family", arguments: MarginalFamily.allCases)
  func quantileInvertsCDF(family: MarginalFamily) throws {
    var random = SeededGenerator(seed: 3)
    let data = (0..<500).map { _ in 1 + exp(0.5 * random.nextNormal()) }.sorted()
    let marginal = try #require(Marginal.fit(data, family: family))
    for u in [0.05, 0.3, 0.5, 0.77, 0.95] {
      let x = marginal.quantile(u)
      #expect(abs(marginal.cdf(x) - u) < 1e-6, "\(family) at u = \(u)")
    }
  }

  @Test("Harrell–Davis knots of a small sample are not the sample's own values")
  func smallSampleKnotsAreSmoothed() throws {
    let data: [Double] = [3, 7, 8, 12, 15, 21, 22, 30, 41, 55]
    let marginal = try #require(Marginal.fit(data, family: .empirical))
    let interior = marginal.parameters.dropFirst().dropLast()
    #expect(interior.allSatisfy { !data.contains($0) })
    #expect(marginal.parameters.first == 3 && marginal.parameters.last == 55)
  }
}

@Suite("Correlation matrix")
struct CorrelationMatrixTests {
  @Test("an indefinite matrix is repaired to a valid correlation matrix")
  func repairsIndefinite() {
    // Pairwise correlations that no joint distribution can have.
    let values: [Double] = [1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1]
    let matrix = CorrelationMatrix(dimension: 3, repairing: values)
    for i in 0..<3 { #expect(abs(matrix.values[i * 3 + i] - 1) < 1e-12) }
    let l = matrix.choleskyFactor
    // L·Lᵀ reproduces the matrix when it is positive definite.
    for i in 0..<3 {
      for j in 0..<3 {
        var sum = 0.0
        for k in 0..<3 { sum += l[i * 3 + k] * l[j * 3 + k] }
        #expect(abs(sum - matrix.values[i * 3 + j]) < 1e-9)
      }
    }
  }
}
