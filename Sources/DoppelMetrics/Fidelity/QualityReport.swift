import DoppelCore

/// SDMetrics' single-table `QualityReport`: Column Shapes, Column Pair Trends and their mean.
///
/// The rules are those of SDMetrics 0.32 as used by SDV 2.0's `evaluate_quality`, reproduced to
/// within 1e-9 on the pbc parity fixture (`Tests/Fixtures/sdmetrics`):
/// - **Column Shapes**: the mean over compared columns of ``KSComplement`` (continuous) or
///   ``TVComplement`` (discrete).
/// - **Column Pair Trends**: every unordered pair of compared columns, in table order. Two
///   continuous columns get ``CorrelationSimilarity``; any other pair gets
///   ``ContingencySimilarity``, after cutting each continuous column into 10 equal-width bins with
///   each table's own edges (numpy `histogram_bin_edges` + `digitize`; a missing value falls in
///   bin 11, with the maximum). A pair counts only if the real data shows a relation:
///   |r_real| > ``correlationThreshold`` or the real Cramér's V > ``associationThreshold``.
/// - **Overall**: the mean of Column Shapes and Column Pair Trends, or Column Shapes alone when no
///   pair counts.
///
/// Unlike SDMetrics, contingency tables are never subsampled (SDMetrics subsamples beyond
/// 50,000 rows); every row counts, so results do not depend on a random draw.
public struct QualityReport: Sendable {
  /// The correlation coefficient of continuous pairs; SDMetrics uses Pearson.
  public var coefficient: CorrelationSimilarity.Coefficient
  /// A continuous pair counts when its real |r| exceeds this (SDMetrics: 0.5).
  public var correlationThreshold: Double
  /// A contingency pair counts when its real Cramér's V exceeds this (SDMetrics: 0.3).
  public var associationThreshold: Double

  /// Creates a report with SDMetrics' defaults.
  /// - Parameters:
  ///   - coefficient: The correlation coefficient of continuous pairs.
  ///   - correlationThreshold: The real |r| a continuous pair must exceed to count.
  ///   - associationThreshold: The real Cramér's V a contingency pair must exceed to count.
  public init(
    coefficient: CorrelationSimilarity.Coefficient = .pearson, correlationThreshold: Double = 0.5,
    associationThreshold: Double = 0.3
  ) {
    self.coefficient = coefficient
    self.correlationThreshold = correlationThreshold
    self.associationThreshold = associationThreshold
  }

  /// The number of equal-width bins a continuous column is cut into for ContingencySimilarity.
  public static let contingencyBins = 10

  /// Scores a synthetic table against a real one.
  /// - Parameters:
  ///   - real: The real table.
  ///   - synthetic: The synthetic table, with the same columns and kinds (in any order).
  ///   - roles: Role overrides by column name; other columns take the default of their kind.
  /// - Returns: The quality scores, columns and pairs in the real table's order.
  /// - Throws: ``DoppelError`` `schemaMismatch` when the tables cannot be compared,
  ///   `unknownColumn` for a role naming no column, `invalidArgument` when no column can be
  ///   scored.
  /// - Complexity: O(p² · n) for p compared columns and n rows (O(p² · n log n) with Spearman).
  public func scores(real: Table, synthetic: Table, roles: [String: ColumnRole] = [:]) throws
    -> QualityScores
  {
    try scores(PreparedTables(real: real, synthetic: synthetic, roles: roles))
  }

  func scores(_ prepared: PreparedTables) throws -> QualityScores {
    var shapes: [QualityScores.ColumnShape] = []
    var compared: [Compared] = []
    for entry in prepared.columns {
      switch entry.values {
      case .continuous(let a, let b):
        let score = QualityReport.ksComplement(
          QualityReport.sortedRounded(a), QualityReport.sortedRounded(b))
        shapes.append(.init(column: entry.name, metric: "KSComplement", score: score))
        let bins = QualityReport.contingencyBins + 1
        compared.append(
          Compared(
            name: entry.name, continuous: (a, b), real: QualityReport.binCodes(a),
            synthetic: QualityReport.binCodes(b), categories: bins))
      case .discrete(let a, let b, let keys):
        let score = QualityReport.tvComplement(a, b, keyCount: keys.count)
        shapes.append(.init(column: entry.name, metric: "TVComplement", score: score))
        let missing = Int32(keys.count)
        compared.append(
          Compared(
            name: entry.name, continuous: nil, real: a.map { $0 < 0 ? missing : $0 },
            synthetic: b.map { $0 < 0 ? missing : $0 }, categories: keys.count + 1))
      case .ignored:
        continue
      }
    }
    let shapeScores = shapes.compactMap(\.score)
    guard !shapeScores.isEmpty else {
      throw DoppelError(
        .invalidArgument,
        "no compared column has values in both tables, so no column shape can be scored")
    }
    let correlation = CorrelationSimilarity(coefficient: coefficient)
    var pairs: [QualityScores.PairTrend] = []
    for i in compared.indices {
      for j in (i + 1)..<compared.count {
        let x = compared[i]
        let y = compared[j]
        if let xc = x.continuous, let yc = y.continuous {
          let realR = correlation.correlation(xc.0, yc.0)
          let synthR = correlation.correlation(xc.1, yc.1)
          var score: Double?
          if let realR, let synthR {
            score = CorrelationSimilarity.score(real: realR, synthetic: synthR)
          }
          let counts = score != nil && abs(realR ?? 0) > correlationThreshold
          pairs.append(
            .init(
              column1: x.name, column2: y.name, metric: "CorrelationSimilarity", score: score,
              realCorrelation: realR, syntheticCorrelation: synthR, realCramersV: nil,
              meetsThreshold: counts))
        } else {
          let real = ContingencySimilarity.Counts(x.real, x.categories, y.real, y.categories)
          let synth = ContingencySimilarity.Counts(
            x.synthetic, x.categories, y.synthetic, y.categories)
          let score = ContingencySimilarity.score(real, synth)
          let v = ContingencySimilarity.cramersV(real)
          pairs.append(
            .init(
              column1: x.name, column2: y.name, metric: "ContingencySimilarity", score: score,
              realCorrelation: nil, syntheticCorrelation: nil, realCramersV: v,
              meetsThreshold: (v ?? 0) > associationThreshold))
        }
      }
    }
    let columnShapes = QualityReport.mean(shapeScores)
    let counted = pairs.filter(\.meetsThreshold).compactMap(\.score)
    let trends = counted.isEmpty ? nil : QualityReport.mean(counted)
    let all = pairs.compactMap(\.score)
    return QualityScores(
      overall: trends.map { (columnShapes + $0) / 2 } ?? columnShapes,
      columnShapes: columnShapes, columnPairTrends: trends,
      columnPairTrendsAllPairs: all.isEmpty ? nil : QualityReport.mean(all), columns: shapes,
      pairs: pairs)
  }

  /// A compared column ready for pair metrics.
  private struct Compared {
    var name: String
    /// The numbers of each table, for continuous columns.
    var continuous: ([Double], [Double])?
    /// Real codes in 0..<categories (bins, or keys with missing last).
    var real: [Int32]
    /// Synthetic codes in 0..<categories.
    var synthetic: [Int32]
    var categories: Int
  }

  /// The plain mean, summed in order.
  static func mean(_ values: [Double]) -> Double {
    values.reduce(0, +) / Double(values.count)
  }

  /// The present values rounded to 14 decimals, ascending, as SDMetrics' KSComplement reads them.
  static func sortedRounded(_ values: [Double]) -> [Double] {
    values.compactMap { $0.isNaN ? nil : KSComplement.roundTo14($0) }.sorted()
  }

  /// 1 − D of two sorted samples, or `nil` when either is empty.
  static func ksComplement(_ a: [Double], _ b: [Double]) -> Double? {
    guard !a.isEmpty, !b.isEmpty else { return nil }
    return 1 - KSComplement.statistic(a, b)
  }

  /// TVComplement of two code arrays (−1 missing) over `keyCount` keys, with SDMetrics' 1e-6 real
  /// count for keys seen only in the synthetic column.
  static func tvComplement(_ real: [Int32], _ synthetic: [Int32], keyCount: Int) -> Double? {
    var realCounts = [Double](repeating: 0, count: keyCount)
    var synthCounts = [Double](repeating: 0, count: keyCount)
    for code in real where code >= 0 { realCounts[Int(code)] += 1 }
    for code in synthetic where code >= 0 { synthCounts[Int(code)] += 1 }
    let synthTotal = synthCounts.reduce(0, +)
    guard realCounts.contains(where: { $0 > 0 }), synthTotal > 0 else { return nil }
    for key in 0..<keyCount where realCounts[key] == 0 && synthCounts[key] > 0 {
      realCounts[key] = 1e-6
    }
    let realTotal = realCounts.reduce(0, +)
    var distance = 0.0
    for key in 0..<keyCount {
      distance += abs(synthCounts[key] / synthTotal - realCounts[key] / realTotal)
    }
    return Swift.max(0, Swift.min(1, 1 - distance / 2))
  }

  /// Bin codes 0…10 (bin numbers 1…11 minus one) of a continuous column with its own edges.
  static func binCodes(_ values: [Double]) -> [Int32] {
    let edges = EqualWidthBins.numpyEdges(values, bins: contingencyBins)
    return values.map {
      Int32(Swift.max(0, Swift.min(contingencyBins, EqualWidthBins.digitize($0, edges: edges) - 1)))
    }
  }
}
