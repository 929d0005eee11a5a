import Foundation

/// Locale-free number and date text for tables, tick labels and tooltips.
///
/// Every function is deterministic: the same value always gives the same text on every machine,
/// whatever the user's locale or time zone, so reports can be compared byte for byte. Dates are
/// seconds since 1970-01-01T00:00:00Z shown in UTC, as ``DoppelCore`` stores them.
enum NumberFormat {
  /// The text shown for a value that is missing or not a number.
  static let missing = "–"

  /// A value with a fixed number of decimals and optional thousands separators.
  /// - Parameters:
  ///   - value: The value.
  ///   - decimals: Digits after the decimal point, 0 to 9.
  ///   - grouping: Whether to separate thousands with commas.
  /// - Returns: Text such as `12,345.68`.
  static func fixed(_ value: Double, decimals: Int, grouping: Bool = false) -> String {
    guard value.isFinite else { return nonFinite(value) }
    let digits = Swift.max(0, Swift.min(9, decimals))
    var scale: Int64 = 1
    for _ in 0..<digits { scale *= 10 }
    let scaled = (Swift.abs(value) * Double(scale)).rounded()
    guard scaled < 9.0e15 else { return scientific(value, digits: 3) }
    let whole = Int64(scaled)
    let integerPart = whole / scale
    let fraction = whole % scale
    var text = grouping ? grouped(integerPart) : String(integerPart)
    if digits > 0 {
      let fractionText = String(fraction)
      text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }
    return (value < 0 && whole != 0 ? "-" : "") + text
  }

  /// An integer with commas between thousands.
  /// - Parameter value: The value.
  /// - Returns: Text such as `1,234,567`.
  static func grouped(_ value: Int64) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, character) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(character)
    }
    return (value < 0 ? "-" : "") + out
  }

  /// An integer count with commas between thousands.
  /// - Parameter value: The count.
  /// - Returns: Text such as `12,000`.
  static func count(_ value: Int) -> String {
    grouped(Int64(value))
  }

  /// A general-purpose number for tables: about four significant digits, thousands separated,
  /// trailing zeros removed, scientific notation for very large or very small magnitudes.
  /// - Parameter value: The value.
  /// - Returns: Text such as `0.1235`, `12.35` or `1,234,568`.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return nonFinite(value) }
    let magnitude = Swift.abs(value)
    if magnitude == 0 { return "0" }
    if magnitude >= 1e15 || magnitude < 1e-4 { return scientific(value, digits: 3) }
    let exponent = Int(floor(log10(magnitude)))
    let decimals = Swift.max(0, Swift.min(6, 3 - exponent))
    return trimZeros(fixed(value, decimals: decimals, grouping: true))
  }

  /// A share in [0, 1] as a percentage.
  /// - Parameters:
  ///   - value: The share.
  ///   - decimals: Digits after the decimal point.
  /// - Returns: Text such as `87.5%`.
  static func percent(_ value: Double, decimals: Int = 1) -> String {
    guard value.isFinite else { return nonFinite(value) }
    return fixed(value * 100, decimals: decimals) + "%"
  }

  /// A short label for chart ticks: `k`, `M` and `B` suffixes for large values.
  /// - Parameters:
  ///   - value: The value.
  ///   - step: The distance between neighbouring ticks; it decides the decimals shown.
  /// - Returns: Text such as `2.5k`.
  static func compact(_ value: Double, step: Double) -> String {
    guard value.isFinite else { return nonFinite(value) }
    let largest = Swift.max(Swift.abs(value), Swift.abs(step))
    var divisor = 1.0
    var suffix = ""
    if largest >= 1e9 {
      divisor = 1e9
      suffix = "B"
    } else if largest >= 1e6 {
      divisor = 1e6
      suffix = "M"
    } else if largest >= 1e4 {
      divisor = 1e3
      suffix = "k"
    }
    let scaledStep = Swift.abs(step) / divisor
    var decimals = 0
    if scaledStep > 0 && scaledStep.isFinite {
      decimals = Swift.max(0, Swift.min(6, -Int(floor(log10(scaledStep) + 1e-9))))
    }
    if value == 0 && !suffix.isEmpty { return "0" }
    let text = fixed(value / divisor, decimals: decimals)
    return (text == "-0" ? "0" : text) + suffix
  }

  /// A value in scientific notation.
  /// - Parameters:
  ///   - value: The value.
  ///   - digits: Significant digits.
  /// - Returns: Text such as `1.23e-5`.
  static func scientific(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return nonFinite(value) }
    if value == 0 { return "0" }
    var exponent = Int(floor(log10(Swift.abs(value))))
    var mantissa = value / pow(10, Double(exponent))
    let places = Swift.max(0, digits - 1)
    let unit = pow(10, Double(places))
    mantissa = (mantissa * unit).rounded() / unit
    if Swift.abs(mantissa) >= 10 {
      mantissa /= 10
      exponent += 1
    }
    return trimZeros(fixed(mantissa, decimals: places)) + "e" + String(exponent)
  }

  /// A p-value: `< 0.001` below one in a thousand, three decimals otherwise.
  /// - Parameter value: The p-value.
  /// - Returns: Text such as `0.042`.
  static func pValue(_ value: Double) -> String {
    guard value.isFinite else { return nonFinite(value) }
    return value < 0.001 ? "< 0.001" : fixed(value, decimals: 3)
  }

  /// A duration in seconds, in the largest sensible unit.
  /// - Parameter seconds: The duration.
  /// - Returns: Text such as `850 ms`, `12.3 s` or `4 min 5 s`.
  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return nonFinite(seconds) }
    if seconds < 1 { return fixed(seconds * 1000, decimals: 0) + " ms" }
    if seconds < 60 { return fixed(seconds, decimals: seconds < 10 ? 2 : 1) + " s" }
    let whole = Int64(seconds.rounded())
    if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
    return "\(whole / 3600) h \((whole % 3600) / 60) min"
  }

  /// A time span such as a standard deviation of dates, in days (or hours when short).
  /// - Parameter seconds: The span in seconds.
  /// - Returns: Text such as `36.5 days`.
  static func span(_ seconds: Double) -> String {
    guard seconds.isFinite else { return nonFinite(seconds) }
    let days = seconds / 86_400
    if Swift.abs(days) >= 1 { return number(days) + " days" }
    return number(seconds / 3600) + " h"
  }

  /// A point in time as an ISO 8601 date, with the time of day when it is not midnight.
  /// - Parameter seconds: Seconds since 1970-01-01T00:00:00Z.
  /// - Returns: Text such as `2021-03-04` or `2021-03-04 13:05`.
  static func date(_ seconds: Double) -> String {
    guard seconds.isFinite else { return nonFinite(seconds) }
    let parts = CivilTime(seconds: seconds)
    let day = parts.dateText
    if parts.hour == 0 && parts.minute == 0 { return day }
    return day + " " + pad(parts.hour) + ":" + pad(parts.minute)
  }

  /// Zero-pads a number to two digits.
  /// - Parameter value: The number.
  /// - Returns: Text such as `07`.
  static func pad(_ value: Int) -> String {
    value < 10 && value >= 0 ? "0\(value)" : String(value)
  }

  private static func trimZeros(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var out = text
    while out.hasSuffix("0") { out.removeLast() }
    if out.hasSuffix(".") { out.removeLast() }
    return out
  }

  private static func nonFinite(_ value: Double) -> String {
    if value.isNaN { return missing }
    return value > 0 ? "∞" : "-∞"
  }
}
