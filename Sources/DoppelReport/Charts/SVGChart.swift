import Foundation

/// Builders of the report's inline SVG charts: histogram, grouped bars, box plot, scatter,
/// heatmap and horizontal bars.
///
/// Every chart has axes with tick labels, axis titles and a legend. Real data is drawn in solid
/// blue, synthetic data in hatched orange (or with triangles instead of circles), so charts stay
/// readable in greyscale. Each builder lives in its own `SVGChart+Kind.swift` file; this file holds
/// the parts they share.
enum SVGChart {
  /// The rectangle that holds a chart's marks, inside its margins.
  struct Plot {
    /// The left edge.
    var left: Double
    /// The top edge.
    var top: Double
    /// The right edge.
    var right: Double
    /// The bottom edge.
    var bottom: Double

    /// The width.
    var width: Double { right - left }
    /// The height.
    var height: Double { bottom - top }
  }

  /// How a legend entry is drawn.
  enum LegendMark {
    /// A solid blue square.
    case realBar
    /// A hatched orange square.
    case syntheticBar
    /// A blue circle.
    case realPoint
    /// An orange triangle.
    case syntheticPoint
  }

  /// The usual pair of legend entries.
  static let realAndSynthetic: [(LegendMark, String)] = [
    (.realBar, "Real"), (.syntheticBar, "Synthetic"),
  ]

  /// The approximate width of a label in the chart's font.
  /// - Parameters:
  ///   - text: The label.
  ///   - size: The font size.
  /// - Returns: The width in chart units.
  static func textWidth(_ text: String, size: Double = 11) -> Double {
    Double(text.count) * size * 0.58
  }

  /// Draws a legend as one row starting at `x`.
  /// - Parameters:
  ///   - canvas: The chart.
  ///   - items: The marks and their labels.
  ///   - x: The left edge of the first entry.
  ///   - y: The vertical centre of the row.
  static func legend(
    _ canvas: inout SVGCanvas, items: [(LegendMark, String)], x: Double, y: Double
  ) {
    var cursor = x
    canvas.raw("<g class=\"legend\">")
    for (mark, label) in items {
      switch mark {
      case .realBar:
        canvas.rect(x: cursor, y: y - 6, width: 12, height: 12, fill: Palette.real)
      case .syntheticBar:
        let fill = canvas.syntheticFill()
        canvas.rect(
          x: cursor, y: y - 6, width: 12, height: 12, fill: fill, stroke: Palette.synthetic)
      case .realPoint:
        canvas.raw(circle(x: cursor + 6, y: y, radius: 4))
      case .syntheticPoint:
        canvas.raw(
          "<path d=\"" + triangle(x: cursor + 6, y: y, size: 5) + "\" fill=\"" + Palette.synthetic
            + "\" stroke=\"" + Palette.syntheticStripe + "\" stroke-width=\"0.8\"/>")
      }
      canvas.text(label, x: cursor + 17, y: y + 4, anchor: "start", size: 11)
      cursor += 17 + textWidth(label) + 16
    }
    canvas.raw("</g>")
  }

  /// Draws the horizontal axis: line, ticks, labels and title.
  /// - Parameters:
  ///   - canvas: The chart.
  ///   - axis: The axis.
  ///   - plot: The plot area.
  ///   - title: The axis title, not escaped yet.
  ///   - grid: Whether to draw vertical grid lines at the ticks.
  static func xAxis(
    _ canvas: inout SVGCanvas, axis: Axis, plot: Plot, title: String, grid: Bool = false
  ) {
    canvas.raw("<g class=\"axis x-axis\">")
    let positions = axis.ticks.map { axis.position($0.value, from: plot.left, to: plot.right) }
    let widest = axis.ticks.map { textWidth($0.label, size: 10) }.max() ?? 0
    let spacing = positions.count > 1 ? Swift.abs(positions[1] - positions[0]) : plot.width
    let stride = spacing > 0 ? Swift.max(1, Int(ceil((widest + 6) / spacing))) : 1
    for (index, tick) in axis.ticks.enumerated() {
      let x = positions[index]
      if grid { canvas.line(x, plot.top, x, plot.bottom, stroke: Palette.grid) }
      canvas.line(x, plot.bottom, x, plot.bottom + 4)
      if index % stride == 0 {
        canvas.text(tick.label, x: x, y: plot.bottom + 16, size: 10)
      }
    }
    canvas.line(plot.left, plot.bottom, plot.right, plot.bottom)
    canvas.text(
      HTMLText.truncate(title, limit: Int(plot.width / 7)), x: (plot.left + plot.right) / 2,
      y: plot.bottom + 34, size: 11, weight: "bold",
      tooltip: title.count * 7 > Int(plot.width)
        ? title : nil)
    canvas.raw("</g>")
  }

  /// Draws the vertical axis: line, ticks, labels, horizontal grid lines and title.
  /// - Parameters:
  ///   - canvas: The chart.
  ///   - axis: The axis.
  ///   - plot: The plot area.
  ///   - title: The axis title, not escaped yet.
  ///   - grid: Whether to draw horizontal grid lines at the ticks.
  static func yAxis(
    _ canvas: inout SVGCanvas, axis: Axis, plot: Plot, title: String, grid: Bool = true
  ) {
    canvas.raw("<g class=\"axis y-axis\">")
    for tick in axis.ticks {
      let y = axis.position(tick.value, from: plot.bottom, to: plot.top)
      if grid { canvas.line(plot.left, y, plot.right, y, stroke: Palette.grid) }
      canvas.line(plot.left - 4, y, plot.left, y)
      canvas.text(tick.label, x: plot.left - 7, y: y + 3.5, anchor: "end", size: 10)
    }
    canvas.line(plot.left, plot.top, plot.left, plot.bottom)
    let middle = (plot.top + plot.bottom) / 2
    canvas.text(
      HTMLText.truncate(title, limit: Int(plot.height / 7)), x: plot.left - 45, y: middle, size: 11,
      weight: "bold", rotate: -90)
    canvas.raw("</g>")
  }

  /// A `<circle>` for a real data point.
  /// - Parameters:
  ///   - x: Centre x.
  ///   - y: Centre y.
  ///   - radius: The radius.
  /// - Returns: The markup.
  static func circle(x: Double, y: Double, radius: Double) -> String {
    "<circle cx=\"\(SVGCanvas.number(x))\" cy=\"\(SVGCanvas.number(y))\" r=\""
      + SVGCanvas.number(radius) + "\" fill=\"" + Palette.real + "\"/>"
  }

  /// Path commands for an upward triangle centred on a point, for a synthetic data point.
  /// - Parameters:
  ///   - x: Centre x.
  ///   - y: Centre y.
  ///   - size: Half the triangle's width.
  /// - Returns: Path data such as `M10 4l5 9h-10z`.
  static func triangle(x: Double, y: Double, size: Double) -> String {
    "M" + SVGCanvas.number(x) + " " + SVGCanvas.number(y - size) + "l"
      + SVGCanvas.number(size) + " " + SVGCanvas.number(size * 1.7) + "h"
      + SVGCanvas.number(-2 * size) + "z"
  }

  /// The text for a value on an axis of numbers or dates.
  /// - Parameters:
  ///   - value: The value.
  ///   - isDate: Whether the value is a date.
  /// - Returns: The text.
  static func valueText(_ value: Double, isDate: Bool) -> String {
    isDate ? NumberFormat.date(value) : NumberFormat.number(value)
  }
}
