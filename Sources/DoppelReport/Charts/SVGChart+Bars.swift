extension SVGChart {
  /// A grouped bar chart of real and synthetic shares per category.
  ///
  /// Labels are shortened to fit and rotated when there are many; the full label is in each bar's
  /// tooltip.
  /// - Parameters:
  ///   - id: The chart's identifier, unique in the page.
  ///   - labels: The category labels, not escaped yet.
  ///   - real: Real shares per category.
  ///   - synthetic: Synthetic shares per category.
  ///   - title: The x-axis title (the column name), not escaped yet.
  /// - Returns: The `<svg>` markup.
  static func bars(id: String, labels: [String], real: [Double], synthetic: [Double], title: String)
    -> String
  {
    let count = Swift.min(labels.count, real.count, synthetic.count)
    let longest = labels.prefix(count).map(\.count).max() ?? 0
    let rotate = count > 6 || (count > 3 && longest > 8) || longest > 14
    let labelLimit = rotate ? 14 : Swift.max(4, 60 / Swift.max(1, count))
    let bottomMargin = rotate ? 52 + Double(Swift.min(longest, labelLimit)) * 4.5 : 52
    var canvas = SVGCanvas(id: id, width: 480, height: 248 + bottomMargin)
    let plot = Plot(left: 58, top: 34, right: 466, bottom: 248)
    let largest = (real.prefix(count) + synthetic.prefix(count)).filter(\.isFinite).max() ?? 0
    let yAxis = Axis.share(maximum: largest)
    SVGChart.yAxis(&canvas, axis: yAxis, plot: plot, title: "Share of rows")
    let fill = canvas.syntheticFill()
    let band = plot.width / Double(Swift.max(1, count))
    let barWidth = Swift.min(28, band * 0.4)
    canvas.raw("<g class=\"bars\">")
    for index in 0..<count {
      let centre = plot.left + band * (Double(index) + 0.5)
      let realTop = yAxis.position(safe(real[index]), from: plot.bottom, to: plot.top)
      let syntheticTop = yAxis.position(safe(synthetic[index]), from: plot.bottom, to: plot.top)
      canvas.rect(
        x: centre - barWidth, y: realTop, width: barWidth, height: plot.bottom - realTop,
        fill: Palette.real,
        tooltip: "\(labels[index]): real \(NumberFormat.percent(safe(real[index])))")
      canvas.rect(
        x: centre, y: syntheticTop, width: barWidth, height: plot.bottom - syntheticTop,
        fill: fill,
        tooltip: "\(labels[index]): synthetic \(NumberFormat.percent(safe(synthetic[index])))")
    }
    canvas.raw("</g><g class=\"axis x-axis\">")
    for index in 0..<count {
      let centre = plot.left + band * (Double(index) + 0.5)
      canvas.line(centre, plot.bottom, centre, plot.bottom + 4)
      let label = HTMLText.truncate(labels[index], limit: labelLimit)
      let shortened = label != labels[index] ? labels[index] : nil
      if rotate {
        canvas.text(
          label, x: centre + 3, y: plot.bottom + 12, anchor: "end", size: 10, rotate: -40,
          tooltip: shortened)
      } else {
        canvas.text(label, x: centre, y: plot.bottom + 16, size: 10, tooltip: shortened)
      }
    }
    canvas.line(plot.left, plot.bottom, plot.right, plot.bottom)
    canvas.text(
      HTMLText.truncate(title, limit: 56), x: (plot.left + plot.right) / 2,
      y: canvas.height - 8, size: 11, weight: "bold")
    canvas.raw("</g>")
    legend(&canvas, items: realAndSynthetic, x: plot.left, y: 16)
    return canvas.render(label: "Bar chart of \(title): real and synthetic shares per category")
  }
}
