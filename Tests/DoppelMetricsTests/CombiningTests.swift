import DoppelCore
import DoppelMetrics
import Foundation
import Testing

@Suite("Combining rules and regression for synthetic-data inference")
struct CombiningTests {
  // Three syntheses with q = 1.0, 1.2, 1.4 and u = 0.04, 0.05, 0.06, worked by hand:
  // q̄ = 3.6/3 = 1.2; b = ((−0.2)² + 0² + 0.2²)/(3 − 1) = 0.08/2 = 0.04; ū = 0.15/3 = 0.05.
  let q = [1.0, 1.2, 1.4]
  let u = [0.04, 0.05, 0.06]

  @Test("the fully synthetic rule of Raghunathan, Reiter and Rubin on a hand-worked example")
  func fullRule() throws {
    let c = try CombiningRule.fullySynthetic.combine(
      estimates: q, variances: u, syntheticRows: 100, realRows: 100)
    // T_f = (1 + 1/3)(0.04) − 0.05 = 0.053333… − 0.05 = 0.003333…
    #expect(abs(c.estimate - 1.2) < 1e-12)
    #expect(abs(c.variance - 0.01 / 3) < 1e-12)
    // ν_f = 2(1 − 3·0.05/(4·0.04))² = 2(1 − 0.9375)² = 2 · 0.00390625 = 0.0078125
    #expect(abs((c.degreesOfFreedom ?? 0) - 0.0078125) < 1e-12)
    #expect(!c.adjusted)
  }

  @Test("the full rule falls back to (n_syn/n)·ū when T_f is not positive")
  func fullRuleAdjusted() throws {
    // q all equal: b = 0, so T_f = −ū < 0; with 50 synthetic and 100 real rows, T* = 0.5·0.05.
    let c = try CombiningRule.fullySynthetic.combine(
      estimates: [2, 2, 2], variances: u, syntheticRows: 50, realRows: 100)
    #expect(c.adjusted)
    #expect(abs(c.variance - 0.025) < 1e-12)
    #expect(c.degreesOfFreedom == nil)
  }

  @Test("the partially synthetic rule of Reiter on the hand-worked example")
  func partialRule() throws {
    let c = try CombiningRule.partiallySynthetic.combine(
      estimates: q, variances: u, syntheticRows: 100, realRows: 100)
    // T_p = 0.05 + 0.04/3 = 0.063333…; ν_p = 2(1 + 0.05/(0.04/3))² = 2(4.75)² = 45.125
    #expect(abs(c.variance - (0.05 + 0.04 / 3)) < 1e-12)
    #expect(abs((c.degreesOfFreedom ?? 0) - 45.125) < 1e-9)
  }

  @Test("synthpop's simplified rules on the hand-worked example")
  func synthpopRules() throws {
    // k = n: T = ū(1 + 1/3) = 0.05 · 4/3; proper: ū(1 + 2/3) = 0.05 · 5/3.
    let simple = try CombiningRule.synthpop.combine(
      estimates: q, variances: u, syntheticRows: 100, realRows: 100)
    #expect(abs(simple.variance - 0.2 / 3) < 1e-12)
    let proper = try CombiningRule.synthpop.combine(
      estimates: q, variances: u, syntheticRows: 100, realRows: 100, proper: true)
    #expect(abs(proper.variance - 0.25 / 3) < 1e-12)
    // Half as many synthetic rows: k/n = 0.5, T = 0.05(0.5 + 1/3).
    let half = try CombiningRule.synthpop.combine(
      estimates: q, variances: u, syntheticRows: 50, realRows: 100)
    #expect(abs(half.variance - 0.05 * (0.5 + 1.0 / 3)) < 1e-12)
    // Partial: ū·k/n + b/m = 0.05 + 0.04/3.
    let partial = try CombiningRule.synthpopPartial.combine(
      estimates: q, variances: u, syntheticRows: 100, realRows: 100)
    #expect(abs(partial.variance - (0.05 + 0.04 / 3)) < 1e-12)
    // One synthesis is enough for synthpop's full rule, not for the others.
    #expect(
      (try? CombiningRule.synthpop.combine(
        estimates: [1], variances: [0.1], syntheticRows: 10, realRows: 10)) != nil)
    #expect(throws: DoppelError.self) {
      _ = try CombiningRule.fullySynthetic.combine(
        estimates: [1], variances: [0.1], syntheticRows: 10, realRows: 10)
    }
  }

  @Test("Student t quantiles match tabulated values")
  func tQuantiles() {
    // Tabulated: t(0.975; 1) = 12.7062, t(0.975; 10) = 2.2281, t(0.975; 30) = 2.0423.
    #expect(abs(StudentT.quantile(0.975, degrees: 1) - 12.706_204_736) < 1e-6)
    #expect(abs(StudentT.quantile(0.975, degrees: 10) - 2.228_138_852) < 1e-6)
    #expect(abs(StudentT.quantile(0.975, degrees: 30) - 2.042_272_456) < 1e-6)
    #expect(abs(StudentT.quantile(0.975, degrees: .infinity) - 1.959_963_985) < 1e-6)
    #expect(abs(StudentT.quantile(0.025, degrees: 10) + 2.228_138_852) < 1e-6)
  }

  @Test("interval overlap of simple intervals")
  func overlap() {
    #expect(SyntheticInference.intervalOverlap(0...2, 0...2) == 1)
    // [0, 2] and [1, 3] share [1, 2]: ½(1/2 + 1/2) = 0.5.
    #expect(abs(SyntheticInference.intervalOverlap(0...2, 1...3) - 0.5) < 1e-12)
    // [0, 4] contains [1, 2]: ½(1/4 + 1/1) = 0.625.
    #expect(abs(SyntheticInference.intervalOverlap(0...4, 1...2) - 0.625) < 1e-12)
    // Apart by one unit: ½(−1/1 − 1/1) = −1.
    #expect(abs(SyntheticInference.intervalOverlap(0...1, 2...3) + 1) < 1e-12)
  }

  @Test("least squares recovers an exact line with zero standard errors")
  func exactLine() throws {
    let x = [0.0, 1, 2, 3, 4, 5]
    let table = try numericTable(["x": x, "y": x.map { 2 + 3 * $0 }])
    let model = try RegressionModel(formula: "y ~ x", family: .linear)
    let fit = try model.fit(table, design: model.design(for: table))
    #expect(fit.names == ["(Intercept)", "x"])
    #expect(abs(fit.coefficients[0] - 2) < 1e-10)
    #expect(abs(fit.coefficients[1] - 3) < 1e-10)
    #expect(fit.standardErrors.allSatisfy { $0 < 1e-6 })
  }

  @Test("least squares standard errors on a small example worked by hand")
  func smallRegression() throws {
    // x = 1…5, y = 2, 4, 5, 4, 5: x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6, slope 0.6, intercept 2.2.
    // Residuals −0.8, 0.6, 1.0, −0.6, −0.2: RSS = 2.4, s² = 2.4/3 = 0.8.
    // se(slope) = √(0.8/10); se(intercept) = √(0.8(1/5 + 9/10)).
    let table = try numericTable(["x": [1, 2, 3, 4, 5], "y": [2, 4, 5, 4, 5]])
    let model = try RegressionModel(formula: "y ~ x", family: .linear)
    let fit = try model.fit(table, design: model.design(for: table))
    #expect(abs(fit.coefficients[0] - 2.2) < 1e-12)
    #expect(abs(fit.coefficients[1] - 0.6) < 1e-12)
    #expect(abs(fit.standardErrors[1] - (0.08).squareRoot()) < 1e-12)
    #expect(abs(fit.standardErrors[0] - (0.88).squareRoot()) < 1e-12)
  }

  @Test("logistic regression on a 2×2 table gives the log odds ratio and Woolf's standard error")
  func logistic2x2() throws {
    // x = 0: three 1s, one 0 → log odds log 3; x = 1: one 1, three 0s → log odds −log 3.
    // MLE: β₀ = log 3, β₁ = −2 log 3; var β₁ = 1/3 + 1 + 1 + 1/3 = 8/3, var β₀ = 1/3 + 1.
    let table = try numericTable(["x": [0, 0, 0, 0, 1, 1, 1, 1], "y": [1, 1, 1, 0, 1, 0, 0, 0]])
    let model = try RegressionModel(formula: "y ~ x", family: .logistic)
    let fit = try model.fit(table, design: model.design(for: table))
    #expect(abs(fit.coefficients[0] - log(3)) < 1e-8)
    #expect(abs(fit.coefficients[1] + 2 * log(3)) < 1e-8)
    #expect(abs(fit.standardErrors[1] - (8.0 / 3).squareRoot()) < 1e-6)
    #expect(abs(fit.standardErrors[0] - (4.0 / 3).squareRoot()) < 1e-6)
  }

  @Test("logistic regression solves the score equations on a continuous example")
  func logisticScore() throws {
    let x: [Double] = [0.5, 1.2, 1.9, 2.3, 2.8, 3.1, 3.7, 4.4, 5.0, 5.6, 6.1, 7.0]
    let y: [Double] = [0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1]
    let table = try numericTable(["x": x, "y": y])
    let model = try RegressionModel(formula: "y ~ x", family: .logistic)
    let fit = try model.fit(table, design: model.design(for: table))
    var score0 = 0.0
    var score1 = 0.0
    for (xi, yi) in zip(x, y) {
      let p = 1 / (1 + exp(-(fit.coefficients[0] + fit.coefficients[1] * xi)))
      score0 += yi - p
      score1 += (yi - p) * xi
    }
    #expect(abs(score0) < 1e-8)
    #expect(abs(score1) < 1e-8)
    #expect(fit.coefficients[1] > 0)
  }

  @Test("categorical predictors are dummy-coded against their first level")
  func dummies() throws {
    // Codes 2, 0, 1 are b, c, a; y = 1 for a, 3 for b, 6 for c (exactly): intercept 1, b +2,
    // c +5.
    let table = try Table(columns: [
      Column(
        name: "g", kind: .categorical,
        values: .categories(codes: [2, 0, 1, 2, 0, 1, 0], categories: ["c", "a", "b"])),
      Column(
        name: "y", kind: .numerical(NumericalFormat(isInteger: false)),
        values: .numbers([3, 6, 1, 3, 6, 1, 6])),
    ])
    let model = try RegressionModel(formula: "y ~ g", family: .linear)
    let fit = try model.fit(table, design: model.design(for: table))
    #expect(fit.names == ["(Intercept)", "gb", "gc"])
    #expect(abs(fit.coefficients[0] - 1) < 1e-10)
    #expect(abs(fit.coefficients[1] - 2) < 1e-10)
    #expect(abs(fit.coefficients[2] - 5) < 1e-10)
  }

  @Test("synthetic tables equal to the real one combine to the real estimates with overlap 1")
  func identicalTables() throws {
    let table = try numericTable(["x": [1, 2, 3, 4, 5, 6], "y": [2.1, 3.9, 6.2, 7.8, 10.1, 12]])
    let result = try SyntheticInference.compare(
      formula: "y ~ x", family: nil, real: table, synthetic: [table, table],
      rule: .fullySynthetic)
    #expect(result.family == .linear)
    for c in result.coefficients {
      #expect(abs(c.syntheticEstimate - c.realEstimate) < 1e-12)
      // b = 0 so the adjusted variance (n_syn/n)·ū = ū is used: the same interval.
      #expect(c.adjusted)
      #expect(abs(c.intervalOverlap - 1) < 1e-9)
      #expect(abs(c.standardizedDifference) < 1e-9)
    }
    #expect(result.text.contains("(Intercept)"))
  }

  @Test("a malformed formula or an unknown column is a clear error")
  func badFormula() throws {
    #expect(throws: DoppelError.self) { _ = try RegressionModel(formula: "y x", family: .linear) }
    #expect(throws: DoppelError.self) {
      _ = try RegressionModel(formula: "y ~ x +", family: .linear)
    }
    let table = try numericTable(["x": [1, 2, 3], "y": [1, 2, 3]])
    #expect(throws: DoppelError.self) {
      _ = try SyntheticInference.compare(
        formula: "y ~ w", family: nil, real: table, synthetic: [table, table],
        rule: .partiallySynthetic)
    }
  }

  private func numericTable(_ columns: KeyValuePairs<String, [Double]>) throws -> Table {
    try Table(
      columns: columns.map { name, values in
        try Column(
          name: name, kind: .numerical(NumericalFormat(isInteger: false)),
          values: .numbers(values))
      })
  }
}
