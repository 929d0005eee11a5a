extension SVGChart {
  /// One panel of a scatter chart: its points, caption and mark.
  struct ScatterPanel {
    /// The points as `[x, y]` pairs.
    var points: [[Double]]
    /// The caption above the panel, such as `Real: 500 of 12,000 rows`; not escaped yet.
    var caption: String
    /// Whether the points are synthetic (orange triangles) rather than real (blue circles).
    var isSynthetic: Bool
  }

  /// Scatter plots of one numeric pair, real beside synthetic, on the same scales.
  /// - Parameters:
  ///   - id: The chart's identifier, unique in the page.
  ///   - panels: The real and the synthetic panel.
  ///   - xTitle: The x-axis title, not escaped yet.
  ///   - yTitle: The y-axis title, not escaped yet.
  ///   - xIsDate: Whether x values are dates.
  ///   - yIsDate: Whether y values are dates.
  /// - Returns: The `<svg>` markup.
  static func scatter(
    id: String, panels: [ScatterPanel], xTitle: String, yTitle: String, xIsDate: Bool,
    yIsDate: Bool
  ) -> String {
    let panelWidth = 420.0
    var canvas = SVGCanvas(
      id: id, width: panelWidth * Double(Swift.max(1, panels.count)), height: 380)
    let all = panels.flatMap(\.points).filter { $0.count >= 2 && $0[0].isFinite && $0[1].isFinite }
    let xs = all.map { $0[0] }
    let ys = all.map { $0[1] }
    let xAxis = Axis.values(lower: xs.min() ?? 0, upper: xs.max() ?? 1, isDate: xIsDate)
    let yAxis = Axis.values(lower: ys.min() ?? 0, upper: ys.max() ?? 1, isDate: yIsDate)
    for (index, panel) in panels.enumerated() {
      let offset = panelWidth * Double(index)
      let plot = Plot(left: offset + 64, top: 52, right: offset + panelWidth - 14, bottom: 322)
      canvas.raw("<g class=\"panel\">")
      canvas.text(
        panel.caption, x: (plot.left + plot.right) / 2, y: 42, size: 11, weight: "bold")
      SVGChart.yAxis(&canvas, axis: yAxis, plot: plot, title: yTitle)
      for tick in xAxis.ticks {
        let x = xAxis.position(tick.value, from: plot.left, to: plot.right)
        canvas.line(x, plot.top, x, plot.bottom, stroke: Palette.grid)
      }
      if panel.isSynthetic {
        var path = ""
        for point in panel.points where point.count >= 2 {
          let x = xAxis.position(point[0], from: plot.left, to: plot.right)
          let y = yAxis.position(point[1], from: plot.bottom, to: plot.top)
          path += triangle(x: x, y: y, size: 3.2)
        }
        canvas.raw(
          "<path class=\"points\" d=\"\(path)\" fill=\"\(Palette.synthetic)\" fill-opacity=\"0.75\""
            + " stroke=\"\(Palette.syntheticStripe)\" stroke-width=\"0.5\"/>")
      } else {
        canvas.raw("<g class=\"points\" fill-opacity=\"0.6\">")
        for point in panel.points where point.count >= 2 {
          let x = xAxis.position(point[0], from: plot.left, to: plot.right)
          let y = yAxis.position(point[1], from: plot.bottom, to: plot.top)
          canvas.raw(circle(x: x, y: y, radius: 2.6))
        }
        canvas.raw("</g>")
      }
      SVGChart.xAxis(&canvas, axis: xAxis, plot: plot, title: xTitle)
      canvas.raw("</g>")
    }
    legend(
      &canvas, items: [(.realPoint, "Real"), (.syntheticPoint, "Synthetic")], x: 64, y: 16)
    return canvas.render(label: "Scatter plots of \(yTitle) against \(xTitle), real and synthetic")
  }
}
