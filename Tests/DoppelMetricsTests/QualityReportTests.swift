import DoppelCore
import Testing

@testable import DoppelMetrics

@Suite("Quality report properties")
struct QualityReportTests {
  static let seeds: [UInt64] = [1, 7, 2024]

  @Test("a table compared with itself scores 1 everywhere", arguments: seeds)
  func identicalTablesScoreOne(seed: UInt64) throws {
    let table = try TestSupport.correlated(rows: 300, seed: seed)
    let scores = try QualityReport().scores(real: table, synthetic: table)
    #expect(scores.overall == 1)
    #expect(scores.columnShapes == 1)
    #expect(scores.columnPairTrendsAllPairs == 1)
    for pair in scores.pairs { #expect(pair.score == 1, "\(pair.column1)–\(pair.column2)") }
    #expect(scores.columns.map(\.column) == ["x", "y", "group"])
  }

  @Test("every score stays in [0, 1] for unrelated tables", arguments: seeds)
  func scoresInUnitInterval(seed: UInt64) throws {
    let real = try TestSupport.correlated(rows: 250, seed: seed)
    let synthetic = try TestSupport.correlated(rows: 170, seed: seed + 100, shift: 1.5)
    let scores = try QualityReport(coefficient: .spearman).scores(real: real, synthetic: synthetic)
    let all =
      [scores.overall, scores.columnShapes] + scores.columns.compactMap(\.score)
      + scores.pairs.compactMap(\.score)
      + [scores.columnPairTrends, scores.columnPairTrendsAllPairs]
      .compactMap { $0 }
    for value in all { #expect((0...1).contains(value)) }
    #expect(scores.overall < 1)
  }

  @Test("columns with disjoint supports get KS and TV complements of 0")
  func disjointSupports() throws {
    let real = try Table(columns: [
      TestSupport.numbers("x", [1, 2, 3, 4]), TestSupport.labels("c", ["a", "b", "a", "b"]),
    ])
    let synthetic = try Table(columns: [
      TestSupport.numbers("x", [10, 11, 12]), TestSupport.labels("c", ["p", "q", "q"]),
    ])
    let scores = try QualityReport().scores(real: real, synthetic: synthetic)
    #expect(scores.columns[0].score == 0)
    // Synthetic-only categories add a real count of 1e-6 each (SDMetrics), so TV is 1 − 2e-6/…
    let tv = try #require(scores.columns[1].score)
    #expect(tv >= 0 && tv < 1e-6)
  }

  @Test("KS, correlation and contingency scores are symmetric in the two tables", arguments: seeds)
  func symmetry(seed: UInt64) throws {
    let a = try TestSupport.correlated(rows: 200, seed: seed)
    let b = try TestSupport.correlated(rows: 260, seed: seed + 1, shift: 0.3)
    let forward = try QualityReport().scores(real: a, synthetic: b)
    let backward = try QualityReport().scores(real: b, synthetic: a)
    for (f, g) in zip(forward.columns, backward.columns) where f.metric == "KSComplement" {
      #expect(f.score == g.score, "\(f.column)")
    }
    for (f, g) in zip(forward.pairs, backward.pairs) {
      let difference = abs((f.score ?? -1) - (g.score ?? -1))
      #expect(difference < 1e-12, "\(f.column1)–\(f.column2)")
    }
  }

  @Test("a constant column leaves its correlation pairs undefined and uncounted")
  func constantColumn() throws {
    let real = try Table(columns: [
      TestSupport.numbers("x", [1, 2, 3, 4, 5]), TestSupport.numbers("y", [2, 4, 6, 8, 11]),
      TestSupport.numbers("k", [3, 3, 3, 3, 3]),
    ])
    let scores = try QualityReport().scores(real: real, synthetic: real)
    let pair = try #require(scores.pairs.first { $0.column2 == "k" })
    #expect(pair.score == nil && !pair.meetsThreshold)
    let xy = try #require(scores.pairs.first)
    #expect(xy.meetsThreshold && xy.score == 1)
    #expect(scores.columnPairTrends == 1)
  }

  @Test("Spearman's rho is Pearson's r of average ranks")
  func spearman() throws {
    let x: [Double] = [1, 2, 2, 4, .nan, 10]
    let y: [Double] = [1, 3, 2, 100, 5, 1000]
    let rho = try #require(CorrelationSimilarity.spearman(x, y))
    // scipy.stats.spearmanr([1,2,2,4,10],[1,3,2,100,1000]).statistic
    #expect(abs(rho - 0.9746794344808963) < 1e-12)
    #expect(CorrelationSimilarity.averageRanks([5, 1, 5, 3]) == [3.5, 1, 3.5, 2])
  }

  @Test("ordinal labels compare as numbers, so 1 and 1.0 are one category")
  func numericLabels() throws {
    let real = try Table(columns: [TestSupport.labels("stage", ["1", "2", "2", "3"])])
    let synthetic = try Table(columns: [TestSupport.labels("stage", ["1.0", "2.0", "2", "3"])])
    let scores = try QualityReport().scores(real: real, synthetic: synthetic)
    #expect(scores.columns[0].score == 1)
    let text = try Table(columns: [TestSupport.labels("stage", ["1.0", "2.0", "x", "3"])])
    let mixed = try QualityReport().scores(real: real, synthetic: text)
    #expect(try #require(mixed.columns[0].score) < 1)
  }

  @Test("numpy bin edges and digitize put the maximum and missing values in bin 11")
  func binning() {
    let edges = EqualWidthBins.numpyEdges([41, 4795, .nan, 1000], bins: 10)
    #expect(edges.count == 11 && edges[0] == 41 && edges[10] == 4795)
    #expect(edges[3] == 1467.1999999999998)
    #expect(EqualWidthBins.digitize(41, edges: edges) == 1)
    #expect(EqualWidthBins.digitize(4795, edges: edges) == 11)
    #expect(EqualWidthBins.digitize(.nan, edges: edges) == 11)
    #expect(EqualWidthBins.digitize(1467.1999999999998, edges: edges) == 4)
    #expect(
      EqualWidthBins.numpyEdges([2, 2], bins: 10) == EqualWidthBins.linspace(1.5, 2.5, count: 11))
  }

  @Test("Cramér's V is 1 for a perfect association and undefined for one category")
  func cramersV() {
    let perfect = ContingencySimilarity.Counts([0, 1, 0, 1], 2, [1, 0, 1, 0], 2)
    #expect(ContingencySimilarity.cramersV(perfect) == 1)
    let single = ContingencySimilarity.Counts([0, 0, 0], 2, [0, 1, 1], 2)
    #expect(ContingencySimilarity.cramersV(single) == nil)
  }
}
