import DoppelCore
import Testing

@testable import DoppelMetrics

@Suite("Chart data")
struct ChartDataTests {
  @Test("histograms share 20 bins over the union range and their shares sum to 1")
  func histograms() throws {
    let real = try TestSupport.correlated(rows: 400, seed: 1)
    let synthetic = try TestSupport.correlated(rows: 300, seed: 2, shift: 2)
    let charts = try ChartData(real: real, synthetic: synthetic, seed: 3)
    #expect(charts.distributions.map(\.column) == ["x", "y", "group"])
    let x = charts.distributions[0]
    #expect(x.chart == "histogram" && x.real.count == 20 && x.labels.count == 21)
    let edges = try #require(x.edges)
    #expect(edges.count == 21)
    #expect(abs(x.real.reduce(0, +) - 1) < 1e-12 && abs(x.synthetic.reduce(0, +) - 1) < 1e-12)
    let box = try #require(x.realBox)
    #expect(box.lowerWhisker <= box.q1 && box.q1 <= box.median && box.median <= box.q3)
    #expect(box.q3 <= box.upperWhisker)
    #expect(charts.distributions[2].chart == "bars")
  }

  @Test("bars show the 20 most frequent real categories and pool the rest as other")
  func bars() throws {
    let labels = (0..<30).flatMap { index in Array(repeating: "c\(index)", count: 30 - index) }
    let real = try Table(columns: [TestSupport.labels("c", labels)])
    let synthetic = try Table(columns: [TestSupport.labels("c", ["c0", "new", "c29"])])
    let charts = try ChartData(real: real, synthetic: synthetic, seed: 1)
    let bars = charts.distributions[0]
    #expect(bars.labels.count == 21 && bars.labels.first == "c0" && bars.labels.last == "other")
    #expect(abs(bars.synthetic[20] - 2.0 / 3) < 1e-12)
    #expect(abs(bars.real.reduce(0, +) - 1) < 1e-12)
  }

  @Test("Tukey whiskers stop at the last value within 1.5 IQR")
  func whiskers() throws {
    let box = try #require(ChartData.BoxStats(values: [1, 2, 3, 4, 5, 6, 7, 8, 100, .nan]))
    #expect(box.q1 == 3 && box.median == 5 && box.q3 == 7 && box.upperWhisker == 8)
    #expect(box.lowerWhisker == 1)
  }

  @Test("scatters pick the most correlated pairs and sample at most N rows repeatably")
  func scatters() throws {
    let real = try TestSupport.correlated(rows: 800, seed: 4)
    let synthetic = try TestSupport.correlated(rows: 900, seed: 5)
    let charts = try ChartData(real: real, synthetic: synthetic, seed: 6, scatterSampleSize: 120)
    let again = try ChartData(real: real, synthetic: synthetic, seed: 6, scatterSampleSize: 120)
    #expect(charts == again)
    #expect(charts.scatterSampleSize == 120)
    let scatter = try #require(charts.scatters.first)
    #expect(scatter.x == "x" && scatter.y == "y" && scatter.realCorrelation > 0.6)
    #expect(scatter.real.count == 120 && scatter.synthetic.count == 120)
    #expect(scatter.real.allSatisfy { $0.count == 2 && !$0[0].isNaN })
  }

  @Test("correlation matrices are symmetric with a unit diagonal")
  func correlations() throws {
    let table = try TestSupport.correlated(rows: 200, seed: 8)
    let charts = try ChartData(real: table, synthetic: table, seed: 1)
    let matrices = try #require(charts.correlations)
    #expect(matrices.columns == ["x", "y"])
    #expect(matrices.real.count == 4 && matrices.real[0] == 1 && matrices.real[3] == 1)
    #expect(matrices.real[1] == matrices.real[2] && matrices.real == matrices.synthetic)
  }
}
