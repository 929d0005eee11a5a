extension SVGChart {
  /// A square heatmap of a correlation matrix on the diverging blue–white–orange scale.
  ///
  /// Each cell has a tooltip with its two columns and value; small matrices also print the value in
  /// the cell, so the chart reads without colour. A gradient legend with ticks explains the scale.
  /// - Parameters:
  ///   - id: The chart's identifier, unique in the page.
  ///   - columns: The column names, not escaped yet.
  ///   - values: The matrix, row-major, `columns.count²` values.
  ///   - limit: The magnitude drawn at full colour; larger values are clamped (and the legend's
  ///     end labels say so when `limit` is below 1).
  ///   - title: What the matrix shows, for screen readers; not escaped yet.
  ///   - scaleTitle: The legend's title, such as `Pearson r`; not escaped yet.
  ///   - showValues: Whether to print values in the cells.
  /// - Returns: The `<svg>` markup.
  static func heatmap(
    id: String, columns: [String], values: [Double], limit: Double, title: String,
    scaleTitle: String, showValues: Bool
  ) -> String {
    let count = columns.count
    var canvas = SVGCanvas(id: id, width: 440, height: 450)
    let plot = Plot(left: 124, top: 84, right: 424, bottom: 384)
    let cell = plot.width / Double(Swift.max(1, count))
    let labelLimit = Swift.max(3, Swift.min(18, Int(cell / 5)))
    let labelLimitSide = 18
    canvas.raw("<g class=\"cells\">")
    for row in 0..<count {
      for column in 0..<count {
        let index = row * count + column
        let value = index < values.count ? values[index] : .nan
        let x = plot.left + cell * Double(column)
        let y = plot.top + cell * Double(row)
        let shown = value.isFinite ? NumberFormat.fixed(value, decimals: 2) : NumberFormat.missing
        canvas.rect(
          x: x, y: y, width: cell, height: cell, fill: Palette.diverging(value / limit),
          stroke: "#FFFFFF", tooltip: "\(columns[row]) × \(columns[column]): \(shown)")
        if showValues {
          canvas.text(
            shown, x: x + cell / 2, y: y + cell / 2 + 4, size: Swift.min(11, cell * 0.28),
            fill: Palette.needsLightText(value / limit) ? "#FFFFFF" : Palette.ink)
        }
      }
    }
    canvas.raw("</g><g class=\"axis\">")
    for (index, name) in columns.enumerated() {
      let middle = plot.top + cell * (Double(index) + 0.5)
      let centre = plot.left + cell * (Double(index) + 0.5)
      let side = HTMLText.truncate(name, limit: labelLimitSide)
      canvas.text(
        side, x: plot.left - 6, y: middle + 4, anchor: "end", size: 10,
        tooltip: side != name ? name : nil)
      let top = HTMLText.truncate(name, limit: Swift.max(labelLimit, 12))
      canvas.text(
        top, x: centre, y: plot.top - 6, anchor: "start", size: 10, rotate: -45,
        tooltip: top != name ? name : nil)
    }
    canvas.raw("</g>")
    canvas.define(
      "<linearGradient id=\"\(id)-scale\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">"
        + "<stop offset=\"0\" stop-color=\"\(Palette.diverging(-1))\"/>"
        + "<stop offset=\"0.5\" stop-color=\"\(Palette.diverging(0))\"/>"
        + "<stop offset=\"1\" stop-color=\"\(Palette.diverging(1))\"/></linearGradient>")
    let legendTop = plot.bottom + 22
    canvas.raw("<g class=\"legend\">")
    canvas.text(scaleTitle, x: plot.left - 8, y: legendTop + 10, anchor: "end", size: 10)
    canvas.rect(
      x: plot.left, y: legendTop, width: plot.width, height: 12, fill: "url(#\(id)-scale)",
      stroke: Palette.muted)
    let scaleAxis = Axis(
      lower: -limit, upper: limit,
      ticks: [-1, -0.5, 0, 0.5, 1].map { share in
        let value = share * limit
        var label = NumberFormat.number(value)
        if limit < 1 && share == -1 { label = "≤ " + label }
        if limit < 1 && share == 1 { label = "≥ " + label }
        return Axis.Tick(value: value, label: label)
      })
    for tick in scaleAxis.ticks {
      let x = scaleAxis.position(tick.value, from: plot.left, to: plot.right)
      canvas.line(x, legendTop + 12, x, legendTop + 16)
      canvas.text(tick.label, x: x, y: legendTop + 28, size: 10)
    }
    canvas.raw("</g>")
    return canvas.render(label: "\(title): correlation heatmap")
  }
}
