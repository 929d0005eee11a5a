import DoppelMetrics

extension ReportDocument {
  /// The scatter section: the most correlated numeric pairs, real beside synthetic.
  var scatterSection: String {
    let charts = evaluation.charts
    let lead =
      "The numeric pairs most correlated in the real table, drawn from a random sample of up to"
      + " \(NumberFormat.count(charts.scatterSampleSize)) rows of each table, real (circles)"
      + " beside synthetic (triangles) on the same scales."
    guard !charts.scatters.isEmpty else {
      return section(
        "scatter", lead: lead,
        content: absent(
          "No scatter plots.",
          because: "Scatter plots need at least two numeric columns with enough rows."))
    }
    let dataset = evaluation.dataset
    var content = ""
    for (index, scatter) in charts.scatters.enumerated() {
      let realCaption =
        "Real: \(NumberFormat.count(scatter.real.count)) points sampled of "
        + NumberFormat.count(dataset.realRows)
      let syntheticCaption =
        "Synthetic: \(NumberFormat.count(scatter.synthetic.count)) points sampled of "
        + NumberFormat.count(dataset.syntheticRows)
      let chart = SVGChart.scatter(
        id: "scatter-\(index)",
        panels: [
          SVGChart.ScatterPanel(points: scatter.real, caption: realCaption, isSynthetic: false),
          SVGChart.ScatterPanel(
            points: scatter.synthetic, caption: syntheticCaption, isSynthetic: true),
        ], xTitle: scatter.x, yTitle: scatter.y, xIsDate: isDate(scatter.x),
        yIsDate: isDate(scatter.y))
      var caption =
        "<strong>" + HTMLText.escape(scatter.y) + "</strong> against <strong>"
        + HTMLText.escape(scatter.x) + "</strong> · real r = "
        + NumberFormat.fixed(scatter.realCorrelation, decimals: 2)
      if let pair = pairTrend(scatter.x, scatter.y), let synthetic = pair.syntheticCorrelation {
        caption += ", synthetic r = " + NumberFormat.fixed(synthetic, decimals: 2)
      }
      caption += " · \(NumberFormat.count(scatter.real.count)) real and "
      caption += "\(NumberFormat.count(scatter.synthetic.count)) synthetic points sampled of "
      caption += "\(NumberFormat.count(dataset.realRows)) and "
      caption += "\(NumberFormat.count(dataset.syntheticRows)) rows"
      content += figure(caption: caption, chart: chart, wide: true)
    }
    return section("scatter", lead: lead, content: content)
  }

  /// The pair-trend entry of two columns, in either order.
  /// - Parameters:
  ///   - first: One column.
  ///   - second: The other column.
  /// - Returns: The entry, if any.
  func pairTrend(_ first: String, _ second: String) -> QualityScores.PairTrend? {
    evaluation.quality.pairs.first {
      ($0.column1 == first && $0.column2 == second) || ($0.column1 == second && $0.column2 == first)
    }
  }
}
