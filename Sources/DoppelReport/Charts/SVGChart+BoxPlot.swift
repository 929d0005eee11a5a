import DoppelMetrics

extension SVGChart {
  /// Horizontal box plots of a column, real above synthetic, on one shared axis.
  ///
  /// Boxes span the quartiles, the thick line is the median and whiskers reach the furthest values
  /// within 1.5 IQR (Tukey). The rows are labelled, and the synthetic box is hatched.
  /// - Parameters:
  ///   - id: The chart's identifier, unique in the page.
  ///   - real: Real box statistics, if any.
  ///   - synthetic: Synthetic box statistics, if any.
  ///   - title: The x-axis title (the column name), not escaped yet.
  ///   - isDate: Whether the values are dates.
  /// - Returns: The `<svg>` markup.
  static func boxPlot(
    id: String, real: ChartData.BoxStats?, synthetic: ChartData.BoxStats?, title: String,
    isDate: Bool
  ) -> String {
    var canvas = SVGCanvas(id: id, width: 480, height: 190)
    let plot = Plot(left: 78, top: 30, right: 466, bottom: 140)
    let boxes = [real, synthetic].compactMap { $0 }
    let values = boxes.flatMap { [$0.lowerWhisker, $0.q1, $0.median, $0.q3, $0.upperWhisker] }
      .filter(\.isFinite)
    let axis = Axis.values(
      lower: values.min() ?? 0, upper: values.max() ?? 1, isDate: isDate)
    for tick in axis.ticks {
      let x = axis.position(tick.value, from: plot.left, to: plot.right)
      canvas.line(x, plot.top, x, plot.bottom, stroke: Palette.grid)
    }
    let rows: [(String, ChartData.BoxStats?, Bool)] = [
      ("Real", real, false), ("Synthetic", synthetic, true),
    ]
    let rowHeight = plot.height / 2
    canvas.raw("<g class=\"boxes\">")
    for (index, row) in rows.enumerated() {
      let centre = plot.top + rowHeight * (Double(index) + 0.5)
      canvas.text(row.0, x: plot.left - 8, y: centre + 4, anchor: "end", size: 11)
      guard let box = row.1 else {
        canvas.text("not available", x: plot.left + 8, y: centre + 4, anchor: "start", size: 10)
        continue
      }
      let x = { (value: Double) in axis.position(value, from: plot.left, to: plot.right) }
      let half = rowHeight * 0.3
      let stroke = row.2 ? Palette.syntheticStripe : Palette.ink
      canvas.line(x(box.lowerWhisker), centre, x(box.q1), centre, stroke: stroke)
      canvas.line(x(box.q3), centre, x(box.upperWhisker), centre, stroke: stroke)
      canvas.line(
        x(box.lowerWhisker), centre - half / 2, x(box.lowerWhisker), centre + half / 2,
        stroke: stroke)
      canvas.line(
        x(box.upperWhisker), centre - half / 2, x(box.upperWhisker), centre + half / 2,
        stroke: stroke)
      let fill = row.2 ? canvas.syntheticFill() : Palette.real
      let text = { (value: Double) in valueText(value, isDate: isDate) }
      canvas.rect(
        x: x(box.q1), y: centre - half, width: x(box.q3) - x(box.q1), height: 2 * half,
        fill: fill, stroke: stroke,
        tooltip: "\(row.0): whiskers \(text(box.lowerWhisker)) to \(text(box.upperWhisker)),"
          + " quartiles \(text(box.q1)) to \(text(box.q3)), median \(text(box.median))")
      canvas.line(
        x(box.median), centre - half, x(box.median), centre + half, stroke: "#FFFFFF", width: 4)
      canvas.line(x(box.median), centre - half, x(box.median), centre + half, width: 2)
    }
    canvas.raw("</g>")
    SVGChart.xAxis(&canvas, axis: axis, plot: plot, title: title)
    legend(&canvas, items: realAndSynthetic, x: plot.left, y: 14)
    return canvas.render(label: "Box plots of \(title): real and synthetic")
  }
}
