import DoppelCore
import Testing

@testable import DoppelMetrics

@Suite("Summary statistics")
struct SummaryTests {
  @Test("numeric summaries match numpy (type-7 percentiles, sample standard deviation)")
  func numbers() throws {
    let column = try TestSupport.numbers("v", [1, 3.5, nil, 2.25, 10, 7, 7, 4])
    let summary = ColumnSummary(describing: column)
    #expect(summary.count == 8 && summary.missing == 1 && summary.distinct == 6)
    // numpy.percentile(x, q) and numpy.std(x, ddof=1) for x = [1, 3.5, 2.25, 10, 7, 7, 4].
    let expected: [(Double?, Double)] = [
      (summary.mean, 4.964285714285714), (summary.std, 3.15709706926504), (summary.min, 1),
      (summary.p5, 1.375), (summary.p25, 2.875), (summary.p50, 4), (summary.p75, 7),
      (summary.p95, 9.099999999999998), (summary.max, 10),
    ]
    for (value, reference) in expected {
      let actual = try #require(value)
      #expect(abs(actual - reference) < 1e-12)
    }
    #expect(summary.topCategories.isEmpty)
  }

  @Test("category summaries list up to 10 labels by share, ties by label")
  func categories() throws {
    let values: [String?] =
      (0..<26).map { String(UnicodeScalar(UInt8(97 + $0))) } + ["m", "m", nil]
    let summary = ColumnSummary(describing: try TestSupport.labels("c", values))
    #expect(summary.distinct == 26 && summary.missing == 1)
    #expect(summary.topCategories.count == 10)
    #expect(summary.topCategories[0] == .init(label: "m", share: 3.0 / 28))
    #expect(summary.topCategories[1].label == "a" && summary.topCategories[9].label == "i")
    #expect(summary.mean == nil)
  }

  @Test("identifier columns are counted but never list values")
  func identifiers() throws {
    let summary = ColumnSummary(describing: try TestSupport.ids("id", count: 5))
    #expect(summary.distinct == 5 && summary.topCategories.isEmpty && summary.mean == nil)
  }

  @Test("CSV rows start with the header and write numbers in their shortest form")
  func csv() throws {
    let table = try TestSupport.correlated(rows: 50, seed: 2)
    let comparison = SummaryComparison(real: table, synthetic: table)
    let rows = comparison.real.csvRows()
    #expect(rows.count == 5)
    #expect(rows[0] == ColumnSummary.csvHeader)
    #expect(rows.allSatisfy { $0.count == ColumnSummary.csvHeader.count })
    #expect(rows[1][0] == "id" && rows[1][2] == "50" && rows[1][5] == "")
    #expect(rows[4][14].contains("mid="))
    let whole = try TestSupport.numbers("w", [418, 2])
    #expect(ColumnSummary(describing: whole).csvRow[13] == "418")
  }
}
