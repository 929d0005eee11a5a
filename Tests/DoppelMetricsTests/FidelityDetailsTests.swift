import DoppelCore
import Testing

@testable import DoppelMetrics

@Suite("Fidelity details")
struct FidelityDetailsTests {
  @Test("the Kolmogorov survival function matches scipy's kstwobign to 1e-12")
  func kolmogorovSurvival() {
    // scipy.stats.kstwobign.sf at 0.3, 0.5, 1.0, 1.18 and 1.5 (scipy 1.17.1).
    let expected: [(Double, Double)] = [
      (0.3, 0.9999906941986655), (0.5, 0.9639452436648751), (1.0, 0.26999967167735456),
      (1.18, 0.1234538094297657), (1.5, 0.022217962616525127),
    ]
    for (z, p) in expected {
      #expect(abs(KolmogorovSmirnovTest.kolmogorovSurvival(z) - p) < 1e-12, "z = \(z)")
    }
    #expect(KolmogorovSmirnovTest.kolmogorovSurvival(0) == 1)
  }

  @Test("the two-sample KS test gives scipy's D and the Stephens-corrected asymptotic p-value")
  func ksTest() throws {
    let a = (0..<40).map(Double.init)
    let b = (0..<60).map { Double($0) * 0.5 + 5 }
    let test = try #require(KolmogorovSmirnovTest(a, b))
    // scipy: ks_2samp(a, b).statistic; kstwobign.sf((√nₑ + 0.12 + 0.11/√nₑ)·D).
    #expect(abs(test.statistic - 0.13333333333333333) < 1e-15)
    #expect(abs(test.pValue - 0.756888763757838) < 1e-12)
    #expect(KolmogorovSmirnovTest([], b) == nil)
  }

  @Test("the chi-square test matches scipy's chi2_contingency without correction")
  func chiSquare() throws {
    let test = try #require(
      ChiSquareHomogeneityTest(realCounts: [10, 20, 30, 0], syntheticCounts: [15, 15, 40, 0]))
    #expect(test.degreesOfFreedom == 2)
    #expect(abs(test.statistic - 2.3877551020408165) < 1e-12)
    #expect(abs(test.pValue - 0.30304391468510006) < 1e-12)
    let separated = try #require(
      ChiSquareHomogeneityTest(realCounts: [100, 0], syntheticCounts: [0, 100]))
    #expect(separated.statistic == 200)
    #expect(abs(separated.pValue / 2.0884875837625688e-45 - 1) < 1e-10)
    #expect(ChiSquareHomogeneityTest(realCounts: [5], syntheticCounts: [3]) == nil)
  }

  @Test("chi-square tail probabilities keep their relative accuracy far in the tail")
  func chiSquareSurvival() {
    // scipy.stats.chi2.sf.
    let expected: [(Double, Int, Double)] = [
      (3, 1, 0.08326451666355042), (50, 10, 2.669083424904495e-07),
      (500, 3, 4.771672031912771e-108), (0.5, 7, 0.9994464813904249),
    ]
    for (x, df, p) in expected {
      let value = ChiSquareHomogeneityTest.survival(x, degreesOfFreedom: df)
      #expect(abs(value / p - 1) < 1e-10, "x = \(x), df = \(df)")
    }
  }

  @Test("coverage and missing-value similarity follow the SDMetrics definitions")
  func coverage() throws {
    let real = try TestSupport.numbers("x", [37, 50, 97.7, nil])
    let synthetic = try TestSupport.numbers("x", [45, 60, 95])
    let range = try #require(RangeCoverage().score(real: real, synthetic: synthetic))
    #expect(abs(range - (1 - (8 / 60.7 + 2.7 / 60.7))) < 1e-12)
    let outside = try TestSupport.numbers("x", [200, 300])
    #expect(RangeCoverage().score(real: real, synthetic: outside) == 0)
    #expect(MissingValueSimilarity().score(real: real, synthetic: synthetic) == 0.75)

    let labels = try TestSupport.labels("c", ["a", "b", "c", "c", nil])
    let fewer = try TestSupport.labels("c", ["a", "a", "z"])
    let coverage = try #require(CategoryCoverage().score(real: labels, synthetic: fewer))
    #expect(abs(coverage - 1.0 / 3) < 1e-15)
  }

  @Test(
    "per-column details use the role of each column, and ignored columns only get missing similarity"
  )
  func details() throws {
    let real = try TestSupport.correlated(rows: 300, seed: 3)
    let synthetic = try TestSupport.correlated(rows: 300, seed: 4)
    let details = try FidelityDetails(real: real, synthetic: synthetic, seed: 9)
    #expect(details.columns.map(\.column) == ["id", "x", "y", "group"])
    #expect(details.columns[0].test == nil && details.columns[0].missingValueSimilarity == 1)
    #expect(details.columns[1].test == "KS" && details.columns[1].rangeCoverage != nil)
    #expect(details.columns[3].test == "chi-square" && details.columns[3].categoryCoverage == 1)
    let quality = try QualityReport().scores(real: real, synthetic: synthetic)
    let statistic = try #require(details.columns[1].statistic)
    let shape = try #require(quality.columns[0].score)
    #expect(abs(statistic - (1 - shape)) < 1e-15)
    for column in details.columns {
      if let p = column.pValue { #expect((0...1).contains(p)) }
    }
  }

  @Test("pMSE matches a direct minimization of the same penalized logistic likelihood")
  func pmseReference() throws {
    let real = try Table(columns: [
      TestSupport.numbers("x", [1, 2, 3.5, 4, 5.5, 6, 7.25, 8, 2.5, 3]),
      TestSupport.numbers("y", [0.5, 1.5, 1, 2, 3, 2.5, 4, 3.5, 0, 1]),
    ])
    let synthetic = try Table(columns: [
      TestSupport.numbers("x", [2, 3, 4.5, 5, 6.5, 7, 8.25, 9, 9.5, 4, 5, 6]),
      TestSupport.numbers("y", [1, 1, 2, 2.5, 3, 4, 4.5, 4, 5, 2, 3.5, 2.5]),
    ])
    let result = try #require(try PropensityMSE().score(real: real, synthetic: synthetic, seed: 1))
    // scipy.optimize.minimize (BFGS, gtol 1e-12) of Σ[log(1 + e^η) − yη] + ½‖β₁,β₂‖² on the
    // intercept and the two columns standardized with their population standard deviation.
    #expect(abs(result.pmse - 0.026101464430348224) < 1e-9)
    #expect(abs(result.standardizedRatio - 2.5476769381648556) < 1e-7)
    #expect(abs(result.score - (1 - 4 * 0.026101464430348224)) < 1e-8)
  }

  @Test("pMSE is near its null expectation for two samples of one distribution")
  func pmseSameDistribution() throws {
    let real = try TestSupport.correlated(rows: 2000, seed: 11)
    let synthetic = try TestSupport.correlated(rows: 2000, seed: 12)
    let result = try #require(try PropensityMSE().score(real: real, synthetic: synthetic, seed: 1))
    #expect(result.model == "logistic")
    // Parameters: intercept, x, x missing, y, group (4 levels incl. missing → 3 dummies) = 7, so
    // E[pMSE] = 6 · ½³ / 4000. Under the null, (k − 1) · pMSE / E[pMSE] is about χ²₆, whose
    // 99.9% quantile 22.5 gives a ratio of 3.74: the bound 4 fails only for rare samples, and
    // the seeds are fixed.
    #expect(result.standardizedRatio > 0 && result.standardizedRatio < 4)
    #expect(result.score > 0.99)
  }

  @Test("pMSE flags a shifted table and scores separated tables near 0")
  func pmseShifted() throws {
    let real = try TestSupport.correlated(rows: 1000, seed: 21)
    let shifted = try TestSupport.correlated(rows: 1000, seed: 22, shift: 1)
    let result = try #require(try PropensityMSE().score(real: real, synthetic: shifted, seed: 1))
    #expect(result.standardizedRatio > 50)
    let far = try TestSupport.correlated(rows: 1000, seed: 23, shift: 40)
    let separated = try #require(try PropensityMSE().score(real: real, synthetic: far, seed: 1))
    #expect(separated.pmse > 0.2 && separated.score < 0.2)
  }

  @Test("pMSE subsampling is repeatable with a seed and uses at most maximumRows of each table")
  func pmseSubsample() throws {
    let real = try TestSupport.correlated(rows: 900, seed: 31)
    let synthetic = try TestSupport.correlated(rows: 700, seed: 32)
    let measure = PropensityMSE(maximumRows: 300)
    let first = try measure.score(real: real, synthetic: synthetic, seed: 5)
    let again = try measure.score(real: real, synthetic: synthetic, seed: 5)
    let other = try measure.score(real: real, synthetic: synthetic, seed: 6)
    #expect(first == again)
    #expect(first != other)
    #expect(first?.subsampleSize == 300)
    let whole = try PropensityMSE().score(real: real, synthetic: synthetic, seed: 5)
    #expect(whole != nil && whole?.subsampleSize == nil)
    let rows = RowSampler.sample(count: 900, limit: 300, seed: 5, label: "pmse real")
    #expect(rows.count == 300 && rows == rows.sorted() && Set(rows).count == 300)
  }
}
