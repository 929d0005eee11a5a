import DoppelMetrics

extension ReportDocument {
  /// The largest difference drawn at full colour in the difference heatmap.
  static let differenceLimit = 0.5

  /// The correlation section: real, synthetic and difference heatmaps.
  var correlationSection: String {
    let lead =
      "Pearson correlations between numeric columns: real, synthetic, and synthetic minus real."
      + " Blue is negative, orange positive, white zero; hover a cell for its value."
    guard let matrices = evaluation.charts.correlations, matrices.columns.count >= 2 else {
      return section(
        "correlations", lead: lead,
        content: absent(
          "No correlation heatmaps.",
          because: "Correlations need at least two numeric columns; this table has fewer."))
    }
    let count = matrices.columns.count
    let cells = count * count
    guard matrices.real.count == cells, matrices.synthetic.count == cells else {
      return section(
        "correlations", lead: lead,
        content: absent(
          "No correlation heatmaps.",
          because: "The evaluation's correlation matrices do not match their column list;"
            + " evaluate the tables again."))
    }
    let difference = zip(matrices.synthetic, matrices.real).map { $0 - $1 }
    let showValues = count <= options.maxHeatmapValueColumns
    let panels: [(String, [Double], Double, String)] = [
      ("Real", matrices.real, 1, "Pearson r"),
      ("Synthetic", matrices.synthetic, 1, "Pearson r"),
      ("Difference (synthetic − real)", difference, Self.differenceLimit, "Δ r"),
    ]
    var content = "<div class=\"chart-grid heatmaps\">\n"
    for (index, panel) in panels.enumerated() {
      let chart = SVGChart.heatmap(
        id: "corr-\(index)", columns: matrices.columns, values: panel.1, limit: panel.2,
        title: panel.0, scaleTitle: panel.3, showValues: showValues)
      content += figure(caption: HTMLText.escape(panel.0), chart: chart)
    }
    content += "</div>\n"
    let largest = difference.filter(\.isFinite).map { Swift.abs($0) }.max() ?? 0
    content += note(
      "\(counted(count, "numeric column")); the largest absolute difference is "
        + NumberFormat.fixed(largest, decimals: 2)
        + ". Differences beyond ±\(NumberFormat.number(Self.differenceLimit)) are drawn at full"
        + " colour." + (showValues ? "" : " Cell values are in the tooltips."))
    return section("correlations", lead: lead, content: content)
  }
}
