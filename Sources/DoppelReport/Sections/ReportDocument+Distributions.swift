import DoppelMetrics

extension ReportDocument {
  /// The distributions to chart, within the option's limit.
  private var chartedDistributions: ArraySlice<ChartData.Distribution> {
    evaluation.charts.distributions.prefix(options.maxDistributionCharts)
  }

  /// The shape score of a column, if scored.
  /// - Parameter column: The column name.
  /// - Returns: The score.
  func shapeScore(_ column: String) -> Double? {
    evaluation.quality.columns.first { $0.column == column }?.score
  }

  /// The per-column distribution section: histograms for numbers and dates, bars for categories.
  var distributionSection: String {
    let all = evaluation.charts.distributions
    guard !all.isEmpty else {
      return section(
        "distributions", lead: "Real and synthetic distributions of each column.",
        content: absent(
          "No distribution charts.",
          because: "The evaluation holds no chart data for any column (identifier, text and"
            + " personal-data columns are not charted)."))
    }
    var content = "<div class=\"chart-grid\">\n"
    for (index, distribution) in chartedDistributions.enumerated() {
      var caption = "<strong>" + HTMLText.escape(distribution.column) + "</strong> · "
      caption += HTMLText.escape(kind(of: distribution.column))
      if let score = shapeScore(distribution.column) {
        caption += " · shape score " + NumberFormat.percent(score)
      }
      let chart: String
      if distribution.chart == "histogram", let edges = distribution.edges,
        edges.count == distribution.real.count + 1
      {
        chart = SVGChart.histogram(
          id: "dist-\(index)", edges: edges, real: distribution.real,
          synthetic: distribution.synthetic, title: distribution.column,
          isDate: isDate(distribution.column))
      } else {
        let shown = Swift.min(
          options.maxCategories, distribution.labels.count, distribution.real.count,
          distribution.synthetic.count)
        if shown < distribution.labels.count {
          caption += " · showing \(shown) of \(NumberFormat.count(distribution.labels.count))"
          caption += " categories"
        }
        chart = SVGChart.bars(
          id: "dist-\(index)", labels: Array(distribution.labels.prefix(shown)),
          real: Array(distribution.real.prefix(shown)),
          synthetic: Array(distribution.synthetic.prefix(shown)), title: distribution.column)
      }
      content += figure(caption: caption, chart: chart)
    }
    content += "</div>\n"
    if all.count > chartedDistributions.count {
      content += note(
        "Showing \(chartedDistributions.count) of \(all.count) columns; raise"
          + " ReportOptions.maxDistributionCharts to see all.")
    }
    return section(
      "distributions",
      lead: "Each column's distribution in the real table (solid blue) and the synthetic table"
        + " (hatched orange), as shares of non-missing rows. Hover a bar for its value.",
      content: content)
  }

  /// The box-plot section for numeric and date columns.
  var boxPlotSection: String {
    let boxed = chartedDistributions.filter { $0.realBox != nil || $0.syntheticBox != nil }
    let lead =
      "Quartiles, median and Tukey whiskers (1.5 × IQR) of each numeric column, real above"
      + " synthetic on a shared axis."
    guard !boxed.isEmpty else {
      return section(
        "box-plots", lead: lead,
        content: absent(
          "No box plots.", because: "The table has no numeric or date column with box statistics."))
    }
    var content = "<div class=\"chart-grid\">\n"
    for (index, distribution) in boxed.enumerated() {
      let caption =
        "<strong>" + HTMLText.escape(distribution.column) + "</strong> · "
        + HTMLText.escape(kind(of: distribution.column))
      let chart = SVGChart.boxPlot(
        id: "box-\(index)", real: distribution.realBox, synthetic: distribution.syntheticBox,
        title: distribution.column, isDate: isDate(distribution.column))
      content += figure(caption: caption, chart: chart)
    }
    content += "</div>\n"
    return section("box-plots", lead: lead, content: content)
  }
}
