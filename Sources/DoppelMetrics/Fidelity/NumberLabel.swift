import Foundation

/// Numbers written as short text for labels and CSV cells.
enum NumberLabel {
  /// The shortest text that reads back as the same `Double`; whole numbers without `.0`.
  /// - Parameter value: A number.
  /// - Returns: Its text, such as `418`, `0.5` or `1e-07`.
  static func text(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
      return String(Int64(value))
    }
    return "\(value)"
  }

  /// The number with at most six significant digits, for axis labels.
  /// - Parameter value: A number.
  /// - Returns: Its text, such as `1467.2`.
  static func short(_ value: Double) -> String {
    guard value.isFinite else { return "\(value)" }
    let text = String(format: "%.6g", value)
    return text == "-0" ? "0" : text
  }
}
