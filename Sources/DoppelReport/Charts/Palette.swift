import Foundation

/// The report's colours: Okabe and Ito's colour-blind-safe palette ("Color Universal Design",
/// 2008), with real data in blue and synthetic data in orange.
///
/// Colour is never the only cue: synthetic bars are also hatched, synthetic points are triangles
/// rather than circles, and every badge carries a word and a symbol, so the report reads the same
/// in greyscale and for readers who cannot tell the hues apart.
enum Palette {
  /// Real data: Okabe–Ito blue.
  static let real = "#0072B2"
  /// Synthetic data: Okabe–Ito orange.
  static let synthetic = "#E69F00"
  /// The dark stripes drawn over synthetic fills.
  static let syntheticStripe = "#6B4A00"
  /// Axis lines and text.
  static let ink = "#222222"
  /// Secondary text.
  static let muted = "#555555"
  /// Grid lines.
  static let grid = "#DDDDDD"

  /// A colour on the diverging blue–white–orange scale.
  /// - Parameter value: A value in [-1, 1]; values outside are clamped, NaN is grey.
  /// - Returns: A `#RRGGBB` colour: -1 is blue, 0 is white, 1 is orange.
  static func diverging(_ value: Double) -> String {
    guard value.isFinite else { return "#BBBBBB" }
    let t = Swift.max(-1, Swift.min(1, value))
    let end: (Double, Double, Double) = t < 0 ? (0x00, 0x72, 0xB2) : (0xE6, 0x9F, 0x00)
    let share = Swift.abs(t)
    let red = 255 + (end.0 - 255) * share
    let green = 255 + (end.1 - 255) * share
    let blue = 255 + (end.2 - 255) * share
    return "#" + hex(red) + hex(green) + hex(blue)
  }

  /// Whether text over a diverging colour should be white rather than dark.
  /// - Parameter value: The value the colour was made from.
  /// - Returns: `true` for the dark blue end of the scale.
  static func needsLightText(_ value: Double) -> Bool {
    value.isFinite && value < -0.55
  }

  private static func hex(_ component: Double) -> String {
    let value = Int(Swift.max(0, Swift.min(255, component.rounded())))
    let digits = Array("0123456789ABCDEF")
    return String(digits[value / 16]) + String(digits[value % 16])
  }
}
