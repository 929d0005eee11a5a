import DoppelCore
import DoppelMetrics
import Foundation

/// Hand-built, realistic evaluations for report tests: statistics are computed from seeded
/// samples, so histograms, box plots, scatters and correlations agree with each other.
enum SampleEvaluation {
  /// The six column names of ``full(names:)``, in order: age, income, bmi, admitted, sex,
  /// diagnosis.
  static let defaultNames = ["age", "income", "bmi", "admitted", "sex", "diagnosis"]

  /// A numeric column's values in both tables.
  struct NumericColumn {
    var name: String
    var kind: String
    var real: [Double]
    var synthetic: [Double]
  }

  /// A categorical column's labels and shares in both tables.
  struct CategoricalColumn {
    var name: String
    var labels: [String]
    var real: [Double]
    var synthetic: [Double]
  }

  /// A full evaluation: 6 columns (3 numerical, 1 datetime, 2 categorical), utility, holdout
  /// privacy measures with verdicts, chart data with 2 scatters and a 4 × 4 correlation matrix,
  /// and a model card.
  /// - Parameters:
  ///   - names: Six column names, to test unusual names.
  ///   - rows: Rows of each generated table.
  /// - Returns: The evaluation.
  static func full(names: [String] = defaultNames, rows: Int = 1200) -> Evaluation {
    let numeric = numericColumns(names: names, rows: rows, seed: 7)
    let categorical = [
      CategoricalColumn(
        name: names[4], labels: ["female", "male"], real: [0.52, 0.48], synthetic: [0.55, 0.45]),
      CategoricalColumn(
        name: names[5],
        labels: [
          "hypertension", "type 2 diabetes", "asthma", "chronic kidney disease", "COPD",
          "heart failure", "other",
        ],
        real: [0.28, 0.21, 0.14, 0.11, 0.09, 0.07, 0.10],
        synthetic: [0.30, 0.19, 0.15, 0.10, 0.08, 0.08, 0.10]),
    ]
    return build(
      numeric: numeric, categorical: categorical, realRows: rows, syntheticRows: rows,
      holdoutRows: rows / 4, label: names[5], scatterPairs: [(0, 1), (0, 2)],
      scatterSample: 300, withExtras: true)
  }

  /// An evaluation with the optional parts absent: no label (so no utility), no holdout (so no
  /// DCR share or attack), no model card, no pMSE and no attribute disclosure.
  /// - Returns: The evaluation.
  static func minimal() -> Evaluation {
    var evaluation = full()
    evaluation.utility = nil
    evaluation.modelCard = nil
    evaluation.fidelity.pmse = nil
    evaluation.dataset.label = nil
    evaluation.dataset.holdoutRows = nil
    var privacy = PrivacyResult(
      exactCopyRate: 0.0,
      verdicts: [
        PrivacyResult.Verdict(
          measure: "exactCopyRate", level: "good",
          text: "No synthetic row copies a training row.")
      ])
    privacy.dcrMedianTrain = 0.081
    privacy.nndrMedian = 0.64
    evaluation.privacy = privacy
    return evaluation
  }

  /// A small evaluation for the byte-for-byte snapshot: three columns, few bins and points.
  /// - Returns: The evaluation.
  static func small() -> Evaluation {
    let numeric = Array(numericColumns(names: defaultNames, rows: 60, seed: 3).prefix(2))
    let categorical = [
      CategoricalColumn(
        name: "smoker", labels: ["no", "yes"], real: [0.7, 0.3], synthetic: [0.65, 0.35])
    ]
    return build(
      numeric: numeric, categorical: categorical, realRows: 60, syntheticRows: 60,
      holdoutRows: 20, label: "smoker", scatterPairs: [(0, 1)], scatterSample: 12,
      withExtras: true, bins: 5)
  }

  // MARK: - Building

  private static func numericColumns(names: [String], rows: Int, seed: UInt64) -> [NumericColumn] {
    var realGenerator = SeededGenerator(seed: seed, label: "real")
    var syntheticGenerator = SeededGenerator(seed: seed, label: "synthetic")
    func table(_ generator: inout SeededGenerator, drift: Double) -> [[Double]] {
      var age: [Double] = []
      var income: [Double] = []
      var bmi: [Double] = []
      var admitted: [Double] = []
      let start = 1_420_070_400.0  // 2015-01-01
      let span = 9 * 365.25 * 86_400
      for _ in 0..<rows {
        let a = Swift.max(18, Swift.min(90, 52 + drift * 3 + 15 * generator.nextNormal()))
        age.append(a.rounded())
        income.append(Swift.max(0, 12_000 + 950 * a + 9_000 * generator.nextNormal()))
        bmi.append(21 + 0.09 * a + (3.5 + drift) * generator.nextNormal())
        admitted.append((start + span * generator.nextUnit()).rounded())
      }
      return [age, income, bmi, admitted]
    }
    let real = table(&realGenerator, drift: 0)
    let synthetic = table(&syntheticGenerator, drift: 0.6)
    let kinds = ["numerical", "numerical", "numerical", "datetime"]
    return (0..<4).map {
      NumericColumn(name: names[$0], kind: kinds[$0], real: real[$0], synthetic: synthetic[$0])
    }
  }

  private static func build(
    numeric: [NumericColumn], categorical: [CategoricalColumn], realRows: Int, syntheticRows: Int,
    holdoutRows: Int?, label: String?, scatterPairs: [(Int, Int)], scatterSample: Int,
    withExtras: Bool, bins: Int = 12
  ) -> Evaluation {
    var columns: [DatasetInfo.ColumnInfo] = numeric.map { .init(name: $0.name, kind: $0.kind) }
    columns += categorical.map { .init(name: $0.name, kind: "categorical") }
    let dataset = DatasetInfo(
      realRows: realRows, syntheticRows: syntheticRows, holdoutRows: holdoutRows,
      columns: columns, label: label)

    var distributions: [ChartData.Distribution] = []
    var shapes: [QualityScores.ColumnShape] = []
    var fidelity: [ColumnFidelityDetail] = []
    var realSummaries: [ColumnSummary] = []
    var syntheticSummaries: [ColumnSummary] = []
    for column in numeric {
      let low = Swift.min(column.real.min() ?? 0, column.synthetic.min() ?? 0)
      let high = Swift.max(column.real.max() ?? 1, column.synthetic.max() ?? 1)
      let edges = (0...bins).map { low + (high - low) * Double($0) / Double(bins) }
      distributions.append(
        ChartData.Distribution(
          column: column.name, chart: "histogram", labels: edges.map { String($0) }, edges: edges,
          real: shares(column.real, edges: edges),
          synthetic: shares(column.synthetic, edges: edges),
          realBox: box(column.real), syntheticBox: box(column.synthetic)))
      let ks = ksStatistic(column.real, column.synthetic)
      shapes.append(.init(column: column.name, metric: "KSComplement", score: 1 - ks))
      fidelity.append(
        ColumnFidelityDetail(
          column: column.name, missingValueSimilarity: 1, categoryCoverage: nil,
          rangeCoverage: 0.97, test: "KS", statistic: ks, pValue: ks > 0.05 ? 0.0004 : 0.31))
      realSummaries.append(summary(column.name, column.kind, column.real))
      syntheticSummaries.append(summary(column.name, column.kind, column.synthetic))
    }
    for column in categorical {
      distributions.append(
        ChartData.Distribution(
          column: column.name, chart: "bars", labels: column.labels, edges: nil, real: column.real,
          synthetic: column.synthetic, realBox: nil, syntheticBox: nil))
      let tv = zip(column.real, column.synthetic).map { Swift.abs($0 - $1) }.reduce(0, +) / 2
      shapes.append(.init(column: column.name, metric: "TVComplement", score: 1 - tv))
      fidelity.append(
        ColumnFidelityDetail(
          column: column.name, missingValueSimilarity: 0.995, categoryCoverage: 1,
          rangeCoverage: nil, test: "chi-square", statistic: 3.2, pValue: 0.36))
      for (isReal, shares, rows) in [
        (true, column.real, realRows), (false, column.synthetic, syntheticRows),
      ] {
        var entry = ColumnSummary(
          column: column.name, kind: "categorical", count: rows, missing: isReal ? 3 : 0,
          distinct: column.labels.count)
        entry.topCategories = zip(column.labels, shares).map {
          ColumnSummary.CategoryShare(label: $0, share: $1)
        }
        if isReal { realSummaries.append(entry) } else { syntheticSummaries.append(entry) }
      }
    }

    let numericNames = numeric.map(\.name)
    let realMatrix = correlationMatrix(numeric.map(\.real))
    let syntheticMatrix = correlationMatrix(numeric.map(\.synthetic))
    var pairs: [QualityScores.PairTrend] = []
    for i in 0..<numeric.count {
      for j in (i + 1)..<numeric.count {
        let r = realMatrix[i * numeric.count + j]
        let s = syntheticMatrix[i * numeric.count + j]
        pairs.append(
          .init(
            column1: numericNames[i], column2: numericNames[j], metric: "CorrelationSimilarity",
            score: 1 - Swift.abs(r - s) / 2, realCorrelation: r, syntheticCorrelation: s,
            realCramersV: nil, meetsThreshold: Swift.abs(r) > 0.5))
      }
    }
    for column in categorical {
      for other in numericNames {
        pairs.append(
          .init(
            column1: other, column2: column.name, metric: "ContingencySimilarity", score: 0.93,
            realCorrelation: nil, syntheticCorrelation: nil, realCramersV: 0.12,
            meetsThreshold: false))
      }
    }
    let counted = pairs.filter(\.meetsThreshold).compactMap(\.score)
    let trends = counted.isEmpty ? nil : counted.reduce(0, +) / Double(counted.count)
    let shapeScore = shapes.compactMap(\.score).reduce(0, +) / Double(Swift.max(1, shapes.count))
    let quality = QualityScores(
      overall: trends.map { (shapeScore + $0) / 2 } ?? shapeScore, columnShapes: shapeScore,
      columnPairTrends: trends,
      columnPairTrendsAllPairs: pairs.compactMap(\.score).reduce(0, +) / Double(pairs.count),
      columns: shapes, pairs: pairs)

    let scatters = scatterPairs.map { pair in
      ChartData.Scatter(
        x: numeric[pair.0].name, y: numeric[pair.1].name,
        realCorrelation: realMatrix[pair.0 * numeric.count + pair.1],
        real: points(numeric[pair.0].real, numeric[pair.1].real, count: scatterSample),
        synthetic: points(
          numeric[pair.0].synthetic, numeric[pair.1].synthetic, count: scatterSample))
    }
    let charts = ChartData(
      distributions: distributions, scatters: scatters,
      correlations: ChartData.Correlations(
        columns: numericNames, real: realMatrix, synthetic: syntheticMatrix),
      scatterSampleSize: scatterSample)

    var privacy = PrivacyResult(
      exactCopyRate: 0.004,
      verdicts: [
        .init(
          measure: "exactCopyRate", level: "good",
          text: "0.4% of synthetic rows copy a training row, below the 1% guide."),
        .init(
          measure: "dcrShareCloserToTrain", level: "caution",
          text: "58% of synthetic rows are closer to training rows than to holdout rows."),
        .init(
          measure: "membershipInferenceAUC", level: "good",
          text: "A distance-based attacker does little better than guessing."),
        .init(
          measure: "attributeDisclosure", level: "risk",
          text: "Knowing age and sex reveals the diagnosis far more often than the baseline."),
      ])
    privacy.dcrMedianTrain = 0.071
    privacy.dcrMedianHoldout = 0.083
    privacy.dcrShareCloserToTrain = 0.58
    privacy.nndrMedian = 0.71
    privacy.membershipInferenceAUC = 0.53
    privacy.distanceSampleSize = realRows
    if let last = categorical.last {
      privacy.attributeDisclosure = AttributeDisclosure(
        keys: [numericNames[0], categorical[0].name], sensitive: last.name, tcap: 0.46,
        baseline: 0.28, matchRate: 0.81)
    }

    var utility: UtilityResult?
    if let label {
      let features = columns.map(\.name).filter { $0 != label }
      utility = UtilityResult(
        label: label, task: "classification", model: "random-forest",
        testRows: holdoutRows ?? realRows / 4,
        tstr: ModelScores(accuracy: 0.71, f1Macro: 0.64, rocAUC: 0.78),
        trtr: ModelScores(accuracy: 0.76, f1Macro: 0.70, rocAUC: 0.83),
        importance: features.enumerated().map { index, name in
          let weight = 1 / Double(index + 2)
          return FeatureImportance(
            column: name, tstrImpurity: weight * 0.9, trtrImpurity: weight,
            tstrPermutation: weight * 0.12 - (index == features.count - 1 ? 0.02 : 0),
            trtrPermutation: weight * 0.15)
        }, importanceRankCorrelation: 0.9)
    }

    return Evaluation(
      dataset: dataset, quality: quality,
      fidelity: FidelityDetails(
        columns: fidelity,
        pmse: withExtras
          ? PropensityScore(model: "logistic", pmse: 0.0123, standardizedRatio: 1.8, score: 0.951)
          : nil),
      summary: SummaryComparison(real: realSummaries, synthetic: syntheticSummaries),
      utility: utility, privacy: privacy, charts: charts,
      modelCard: ModelCard(
        synthesizer: "gaussian-copula",
        hyperParameters: [
          "enforceMinMax": "true", "defaultDistribution": "beta", "numericalDistributions": "{}",
        ], seed: 42, privacyBudget: nil, trainingRows: realRows, trainingColumns: columns.count,
        doppelVersion: "0.4.0", fitSeconds: 1.84, sampleSeconds: 0.27),
      seconds: 3.61)
  }

  // MARK: - Statistics

  private static func shares(_ values: [Double], edges: [Double]) -> [Double] {
    var counts = Array(repeating: 0.0, count: edges.count - 1)
    for value in values {
      var bin = edges.count - 2
      for index in 0..<(edges.count - 1) where value < edges[index + 1] {
        bin = index
        break
      }
      counts[bin] += 1
    }
    return counts.map { $0 / Double(Swift.max(1, values.count)) }
  }

  private static func quantile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let position = p * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = Swift.min(sorted.count - 1, lower + 1)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
  }

  private static func box(_ values: [Double]) -> ChartData.BoxStats {
    let sorted = values.sorted()
    let q1 = quantile(sorted, 0.25)
    let q3 = quantile(sorted, 0.75)
    let iqr = q3 - q1
    let low = sorted.first { $0 >= q1 - 1.5 * iqr } ?? q1
    let high = sorted.last { $0 <= q3 + 1.5 * iqr } ?? q3
    return ChartData.BoxStats(
      lowerWhisker: low, q1: q1, median: quantile(sorted, 0.5), q3: q3, upperWhisker: high)
  }

  private static func summary(_ name: String, _ kind: String, _ values: [Double]) -> ColumnSummary {
    let sorted = values.sorted()
    var entry = ColumnSummary(
      column: name, kind: kind, count: values.count, missing: 0, distinct: Set(values).count)
    let mean = values.reduce(0, +) / Double(values.count)
    entry.mean = mean
    entry.std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1))
      .squareRoot()
    entry.min = sorted.first
    entry.p5 = quantile(sorted, 0.05)
    entry.p25 = quantile(sorted, 0.25)
    entry.p50 = quantile(sorted, 0.5)
    entry.p75 = quantile(sorted, 0.75)
    entry.p95 = quantile(sorted, 0.95)
    entry.max = sorted.last
    return entry
  }

  private static func ksStatistic(_ a: [Double], _ b: [Double]) -> Double {
    let x = a.sorted()
    let y = b.sorted()
    var i = 0
    var j = 0
    var largest = 0.0
    while i < x.count && j < y.count {
      let value = Swift.min(x[i], y[j])
      while i < x.count && x[i] <= value { i += 1 }
      while j < y.count && y[j] <= value { j += 1 }
      largest = Swift.max(
        largest, Swift.abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
    }
    return largest
  }

  private static func correlationMatrix(_ columns: [[Double]]) -> [Double] {
    let count = columns.count
    var matrix = Array(repeating: 1.0, count: count * count)
    for i in 0..<count {
      for j in 0..<count where i != j {
        matrix[i * count + j] = pearson(columns[i], columns[j])
      }
    }
    return matrix
  }

  private static func pearson(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n
    let my = y.reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for (a, b) in zip(x, y) {
      sxy += (a - mx) * (b - my)
      sxx += (a - mx) * (a - mx)
      syy += (b - my) * (b - my)
    }
    return sxy / (sxx * syy).squareRoot()
  }

  private static func points(_ x: [Double], _ y: [Double], count: Int) -> [[Double]] {
    let step = Swift.max(1, x.count / Swift.max(1, count))
    return stride(from: 0, to: x.count, by: step).prefix(count).map { [x[$0], y[$0]] }
  }
}
