import DoppelMetrics

extension ReportDocument {
  /// The quality section: per-column scores with fidelity details, the top pairs, and pMSE.
  var qualitySection: String {
    var content = columnQualityTable.html
    content += pairTable
    content += propensityNote
    return section(
      "quality",
      lead: "SDMetrics-compatible scores per column and per column pair, with coverage,"
        + " missing-value similarity and a two-sample test for each column.",
      content: content)
  }

  /// One row per column: shape score and fidelity details.
  private var columnQualityTable: HTMLTable {
    let fidelity = evaluation.fidelity.columns
    var names = evaluation.quality.columns.map(\.column)
    for detail in fidelity where !names.contains(detail.column) { names.append(detail.column) }
    var rows: [[HTMLTable.Cell]] = []
    for name in names {
      let shape = evaluation.quality.columns.first { $0.column == name }
      let detail = fidelity.first { $0.column == name }
      var scoreCell = HTMLTable.Cell.number(NumberFormat.missing)
      if let score = shape?.score {
        scoreCell = HTMLTable.Cell(
          html: NumberFormat.percent(score) + " " + qualityBadge(score).html, numeric: true)
      }
      var coverage = NumberFormat.missing
      if let value = detail?.categoryCoverage {
        coverage = NumberFormat.percent(value) + " of categories"
      } else if let value = detail?.rangeCoverage {
        coverage = NumberFormat.percent(value) + " of range"
      }
      rows.append([
        HTMLTable.Cell(html: HTMLText.escape(name), header: true),
        .text(kind(of: name)),
        .text(shape?.metric ?? NumberFormat.missing),
        scoreCell,
        .number(text(detail?.missingValueSimilarity) { NumberFormat.percent($0) }),
        .number(coverage),
        .text(detail?.test ?? NumberFormat.missing),
        .number(text(detail?.statistic) { NumberFormat.fixed($0, decimals: 3) }),
        .number(text(detail?.pValue, NumberFormat.pValue)),
      ])
    }
    return HTMLTable(
      caption: "Quality by column (\(counted(names.count, "column")))",
      headers: [
        "Column", "Kind", "Shape metric", "Shape score", "Missing-value similarity", "Coverage",
        "Test", "Statistic", "p-value",
      ],
      numericHeaders: [false, false, false, true, true, true, false, true, true], rows: rows)
  }

  /// The pairs most associated in the real table, strongest first.
  private var pairTable: String {
    let pairs = evaluation.quality.pairs
    guard !pairs.isEmpty else {
      return absent(
        "No column pairs were scored.", because: "Pair trends need at least two columns.")
    }
    let strength = { (pair: QualityScores.PairTrend) -> Double in
      let value = pair.realCorrelation.map { Swift.abs($0) } ?? pair.realCramersV ?? -1
      return value.isFinite ? value : -1
    }
    let ranked = pairs.enumerated().sorted { left, right in
      let a = strength(left.element)
      let b = strength(right.element)
      return a != b ? a > b : left.offset < right.offset
    }.map(\.element)
    let shown = ranked.prefix(options.maxPairRows)
    var rows: [[HTMLTable.Cell]] = []
    for pair in shown {
      let real: String
      let synthetic: String
      if let correlation = pair.realCorrelation {
        real = "r = " + NumberFormat.fixed(correlation, decimals: 2)
        synthetic = text(pair.syntheticCorrelation) { "r = " + NumberFormat.fixed($0, decimals: 2) }
      } else if let cramers = pair.realCramersV {
        real = "V = " + NumberFormat.fixed(cramers, decimals: 2)
        synthetic = NumberFormat.missing
      } else {
        real = NumberFormat.missing
        synthetic = NumberFormat.missing
      }
      rows.append([
        HTMLTable.Cell(html: HTMLText.escape(pair.column1), header: true),
        .text(pair.column2),
        .text(pair.metric),
        .number(real),
        .number(synthetic),
        .number(text(pair.score) { NumberFormat.percent($0) }),
        .text(pair.meetsThreshold ? "✓ yes" : "no"),
      ])
    }
    let table = HTMLTable(
      caption: "Column pairs, strongest real association first (showing \(shown.count) of"
        + " \(counted(pairs.count, "pair")))",
      headers: [
        "Column 1", "Column 2", "Metric", "Real association", "Synthetic association", "Score",
        "Counts in pair trends",
      ], numericHeaders: [false, false, false, true, true, true, false], rows: rows)
    var out = table.html
    out += note(
      "Pairs count in the pair-trends score when the real |r| exceeds 0.5 (numeric pairs) or"
        + " Cramér's V exceeds 0.3 (categorical pairs)."
        + (evaluation.quality.columnPairTrendsAllPairs.map {
          " Over all pairs, without that threshold, the score is \(NumberFormat.percent($0))."
        } ?? ""))
    return out
  }

  /// The propensity-score (pMSE) line.
  private var propensityNote: String {
    guard let pmse = evaluation.fidelity.pmse else {
      return absent(
        "Propensity score (pMSE) not computed.",
        because: "The evaluation holds no propensity result for these tables.")
    }
    return "<p class=\"pmse\"><strong>Propensity score (pMSE, "
      + HTMLText.escape(pmse.model) + " model):</strong> pMSE "
      + NumberFormat.fixed(pmse.pmse, decimals: 4) + ", standardized ratio "
      + NumberFormat.fixed(pmse.standardizedRatio, decimals: 2) + " (about 1 is ideal), score "
      + NumberFormat.percent(pmse.score) + " " + qualityBadge(pmse.score).html
      + ". A classifier tries to tell real rows from synthetic ones; the closer to chance, the"
      + " better.</p>\n"
  }
}
