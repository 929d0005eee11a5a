/// Collects the markup of one inline SVG chart.
///
/// The chart scales with its container through its `viewBox`; it carries no `xmlns` attribute
/// (HTML5 puts inline `<svg>` in the SVG namespace by itself) and no reference to anything outside
/// the page. Identifiers inside it (hatch patterns, gradients) start with the chart's `id`, so many
/// charts can share one page.
struct SVGCanvas {
  /// The chart's identifier, unique in the page.
  let id: String
  /// The width of the coordinate system.
  let width: Double
  /// The height of the coordinate system.
  let height: Double
  private var definitions = ""
  private var body = ""
  private var hasHatch = false

  /// Creates an empty canvas.
  /// - Parameters:
  ///   - id: The chart's identifier, unique in the page; letters, digits and dashes.
  ///   - width: The width of the coordinate system.
  ///   - height: The height of the coordinate system.
  init(id: String, width: Double, height: Double) {
    self.id = id
    self.width = width
    self.height = height
  }

  /// The fill that marks synthetic data: orange with dark diagonal stripes.
  /// - Returns: A `url(#…)` reference to the chart's hatch pattern, defined on first use.
  mutating func syntheticFill() -> String {
    if !hasHatch {
      hasHatch = true
      definitions +=
        "<pattern id=\"\(id)-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\""
        + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\""
        + Palette.synthetic + "\"/><rect width=\"2\" height=\"6\" fill=\""
        + Palette.syntheticStripe + "\"/></pattern>"
    }
    return "url(#\(id)-hatch)"
  }

  /// Adds a definition (gradient, pattern) to the chart's `<defs>`.
  /// - Parameter markup: The definition's markup.
  mutating func define(_ markup: String) {
    definitions += markup
  }

  /// Adds markup as it is.
  /// - Parameter markup: Well-formed SVG markup.
  mutating func raw(_ markup: String) {
    body += markup
  }

  /// Adds a straight line.
  /// - Parameters:
  ///   - x1: Start x.
  ///   - y1: Start y.
  ///   - x2: End x.
  ///   - y2: End y.
  ///   - stroke: The colour.
  ///   - width: The stroke width.
  ///   - dashed: Whether to dash the line.
  mutating func line(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = Palette.ink,
    width: Double = 1, dashed: Bool = false
  ) {
    body +=
      "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\""
      + " y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\""
      + (dashed ? " stroke-dasharray=\"4 3\"" : "") + "/>"
  }

  /// Adds a rectangle, with an optional tooltip.
  /// - Parameters:
  ///   - x: Left edge.
  ///   - y: Top edge.
  ///   - width: Width; negative widths are drawn from the other edge.
  ///   - height: Height; negative heights are drawn from the other edge.
  ///   - fill: The fill.
  ///   - stroke: The outline colour, if any.
  ///   - tooltip: Text shown on hover, not escaped yet.
  mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
    tooltip: String? = nil
  ) {
    let left = Swift.min(x, x + width)
    let top = Swift.min(y, y + height)
    var markup =
      "<rect x=\"\(Self.number(left))\" y=\"\(Self.number(top))\""
      + " width=\"\(Self.number(Swift.abs(width)))\" height=\"\(Self.number(Swift.abs(height)))\""
      + " fill=\"\(fill)\""
    if let stroke { markup += " stroke=\"\(stroke)\" stroke-width=\"1\"" }
    if let tooltip {
      markup += "><title>" + HTMLText.escape(tooltip) + "</title></rect>"
    } else {
      markup += "/>"
    }
    body += markup
  }

  /// Adds a text label.
  /// - Parameters:
  ///   - text: The text, not escaped yet.
  ///   - x: The anchor x.
  ///   - y: The baseline y.
  ///   - anchor: `start`, `middle` or `end`.
  ///   - size: The font size.
  ///   - weight: `normal` or `bold`.
  ///   - fill: The colour.
  ///   - rotate: Degrees to rotate around the anchor point.
  ///   - tooltip: The full text on hover when the label is shortened.
  mutating func text(
    _ text: String, x: Double, y: Double, anchor: String = "middle", size: Double = 11,
    weight: String = "normal", fill: String = Palette.ink, rotate: Double? = nil,
    tooltip: String? = nil
  ) {
    var markup =
      "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\""
      + " font-size=\"\(Self.number(size))\" fill=\"\(fill)\""
    if weight != "normal" { markup += " font-weight=\"\(weight)\"" }
    if let rotate {
      markup += " transform=\"rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))\""
    }
    markup += ">" + HTMLText.escape(text)
    if let tooltip { markup += "<title>" + HTMLText.escape(tooltip) + "</title>" }
    body += markup + "</text>"
  }

  /// The finished `<svg>` element.
  /// - Parameter label: What the chart shows, for screen readers; not escaped yet.
  /// - Returns: The markup.
  func render(label: String) -> String {
    var out =
      "<svg class=\"chart\" id=\"\(id)\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\""
      + " role=\"img\" aria-label=\"\(HTMLText.escape(label))\">"
    if !definitions.isEmpty { out += "<defs>" + definitions + "</defs>" }
    return out + body + "</svg>"
  }

  /// A coordinate with at most one decimal, no trailing `.0`.
  /// - Parameter value: The coordinate.
  /// - Returns: Text such as `12.5` or `40`.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let text = NumberFormat.fixed(value, decimals: 1)
    if text == "-0.0" || text == "0.0" { return "0" }
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
  }
}
