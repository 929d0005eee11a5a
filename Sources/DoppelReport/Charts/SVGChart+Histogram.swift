extension SVGChart {
  /// A histogram of real and synthetic shares side by side in each bin.
  ///
  /// Bins are placed by their edges on a linear axis (dates when `isDate`), so uneven bins keep
  /// their true widths. Each bar has a tooltip with the bin and both shares.
  /// - Parameters:
  ///   - id: The chart's identifier, unique in the page.
  ///   - edges: Bin edges, one more than the shares.
  ///   - real: Real shares per bin.
  ///   - synthetic: Synthetic shares per bin.
  ///   - title: The x-axis title (the column name), not escaped yet.
  ///   - isDate: Whether the values are dates.
  /// - Returns: The `<svg>` markup.
  static func histogram(
    id: String, edges: [Double], real: [Double], synthetic: [Double], title: String,
    isDate: Bool
  ) -> String {
    var canvas = SVGCanvas(id: id, width: 480, height: 300)
    let plot = Plot(left: 58, top: 34, right: 466, bottom: 248)
    let bins = Swift.min(edges.count - 1, real.count, synthetic.count)
    let finiteEdges = edges.filter(\.isFinite)
    let low = finiteEdges.min() ?? 0
    let high = finiteEdges.max() ?? 1
    let xAxis = Axis.values(lower: low, upper: high, isDate: isDate, expand: false)
    let largest =
      (real.prefix(Swift.max(0, bins)) + synthetic.prefix(Swift.max(0, bins)))
      .filter(\.isFinite).max() ?? 0
    let yAxis = Axis.share(maximum: largest)
    SVGChart.yAxis(&canvas, axis: yAxis, plot: plot, title: "Share of rows")
    let fill = canvas.syntheticFill()
    canvas.raw("<g class=\"bars\">")
    for bin in 0..<Swift.max(0, bins) {
      let start = xAxis.position(edges[bin], from: plot.left, to: plot.right)
      let end = xAxis.position(edges[bin + 1], from: plot.left, to: plot.right)
      let width = end - start
      let gap = Swift.min(1, width * 0.1)
      let half = (width - 2 * gap) / 2
      let range =
        "[" + valueText(edges[bin], isDate: isDate) + ", "
        + valueText(edges[bin + 1], isDate: isDate) + (bin == bins - 1 ? "]" : ")")
      let realTop = yAxis.position(safe(real[bin]), from: plot.bottom, to: plot.top)
      let syntheticTop = yAxis.position(safe(synthetic[bin]), from: plot.bottom, to: plot.top)
      canvas.rect(
        x: start + gap, y: realTop, width: half, height: plot.bottom - realTop,
        fill: Palette.real, tooltip: "\(range) real \(NumberFormat.percent(safe(real[bin])))")
      canvas.rect(
        x: start + gap + half, y: syntheticTop, width: half, height: plot.bottom - syntheticTop,
        fill: fill,
        tooltip: "\(range) synthetic \(NumberFormat.percent(safe(synthetic[bin])))")
    }
    canvas.raw("</g>")
    SVGChart.xAxis(&canvas, axis: xAxis, plot: plot, title: title)
    legend(&canvas, items: realAndSynthetic, x: plot.left, y: 16)
    return canvas.render(label: "Histogram of \(title): real and synthetic shares per bin")
  }

  /// A share for drawing: non-finite or negative values count as zero.
  /// - Parameter value: The share.
  /// - Returns: The share, or 0.
  static func safe(_ value: Double) -> Double {
    value.isFinite && value > 0 ? value : 0
  }
}
