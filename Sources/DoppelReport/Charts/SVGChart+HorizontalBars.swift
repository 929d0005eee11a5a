extension SVGChart {
  /// One group of a horizontal bar chart: a label with a real and a synthetic value.
  struct BarGroup {
    /// The label on the left, not escaped yet.
    var label: String
    /// The value drawn in solid blue.
    var real: Double
    /// The value drawn in hatched orange.
    var synthetic: Double
  }

  /// A horizontal grouped bar chart, such as variable importance of two models.
  ///
  /// Values may be negative (permutation importance can be); bars grow from a zero line.
  /// - Parameters:
  ///   - id: The chart's identifier, unique in the page.
  ///   - groups: The groups, top to bottom.
  ///   - realName: The legend label of the blue bars.
  ///   - syntheticName: The legend label of the hatched bars.
  ///   - title: The x-axis title, not escaped yet.
  /// - Returns: The `<svg>` markup.
  static func horizontalBars(
    id: String, groups: [BarGroup], realName: String, syntheticName: String, title: String
  ) -> String {
    let rowHeight = 26.0
    let plotHeight = rowHeight * Double(Swift.max(1, groups.count))
    var canvas = SVGCanvas(id: id, width: 900, height: plotHeight + 92)
    let plot = Plot(left: 170, top: 36, right: 880, bottom: 36 + plotHeight)
    let values = groups.flatMap { [$0.real, $0.synthetic] }.filter(\.isFinite)
    let axis = Axis.numeric(
      lower: Swift.min(0, values.min() ?? 0), upper: Swift.max(0, values.max() ?? 1)
    ) { value, step in
      NumberFormat.compact(value, step: step)
    }
    for tick in axis.ticks {
      let x = axis.position(tick.value, from: plot.left, to: plot.right)
      canvas.line(x, plot.top, x, plot.bottom, stroke: Palette.grid)
    }
    let zero = axis.position(0, from: plot.left, to: plot.right)
    let fill = canvas.syntheticFill()
    canvas.text(
      "Feature", x: plot.left - 8, y: plot.top - 8, anchor: "end", size: 11, weight: "bold")
    canvas.raw("<g class=\"bars\">")
    for (index, group) in groups.enumerated() {
      let top = plot.top + rowHeight * Double(index)
      let label = HTMLText.truncate(group.label, limit: 22)
      canvas.text(
        label, x: plot.left - 8, y: top + rowHeight / 2 + 4, anchor: "end", size: 11,
        tooltip: label != group.label ? group.label : nil)
      let realValue = group.real.isFinite ? group.real : 0
      let syntheticValue = group.synthetic.isFinite ? group.synthetic : 0
      canvas.rect(
        x: zero, y: top + 3,
        width: axis.position(realValue, from: plot.left, to: plot.right) - zero,
        height: 9, fill: Palette.real,
        tooltip: "\(group.label): \(realName) \(NumberFormat.number(group.real))")
      canvas.rect(
        x: zero, y: top + 13,
        width: axis.position(syntheticValue, from: plot.left, to: plot.right) - zero, height: 9,
        fill: fill,
        tooltip: "\(group.label): \(syntheticName) \(NumberFormat.number(group.synthetic))")
    }
    canvas.raw("</g>")
    canvas.line(zero, plot.top, zero, plot.bottom, stroke: Palette.muted)
    SVGChart.xAxis(&canvas, axis: axis, plot: plot, title: title)
    legend(
      &canvas, items: [(.realBar, realName), (.syntheticBar, syntheticName)], x: plot.left, y: 16)
    return canvas.render(label: "Bar chart: \(title), \(realName) and \(syntheticName)")
  }
}
