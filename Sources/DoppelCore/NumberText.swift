/// Reading and writing numbers as plain decimal text, the way data files write them.
enum NumberText {
  /// What the text of one number looks like.
  struct Shape: Sendable, Equatable {
    /// No decimal point and no exponent.
    var isIntegerText: Bool
    /// Digits after the decimal point.
    var decimals: Int
    /// Written with an exponent, such as `1e-05`.
    var hasExponent: Bool
  }

  /// The shape of a number written the way detection accepts: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`
  /// and an optional exponent `[eE][+-]?[0-9]+`.
  ///
  /// Text that would not come back unchanged from a `Double` is refused, so such columns stay
  /// text: a leading `+` or zero (`+5`, `007`, ZIP codes), a bare point (`.5`, `5.`), whole numbers
  /// of more than 15 digits (ids, card numbers) and more than 17 significant digits.
  /// - Parameter text: The text.
  /// - Returns: Its shape, or `nil` if it is not a number in this strict sense.
  static func strictShape(_ text: some StringProtocol) -> Shape? {
    var iterator = text.utf8.makeIterator()
    var byte = iterator.next()
    if byte == UInt8(ascii: "-") { byte = iterator.next() }
    var integerDigits = 0
    var significant = 0
    var leadingZero = false
    while let current = byte, isDigit(current) {
      if integerDigits == 0 { leadingZero = current == UInt8(ascii: "0") }
      if significant > 0 || current != UInt8(ascii: "0") { significant += 1 }
      integerDigits += 1
      byte = iterator.next()
    }
    guard integerDigits > 0, !(leadingZero && integerDigits > 1) else { return nil }
    var decimals = 0
    if byte == UInt8(ascii: ".") {
      byte = iterator.next()
      while let current = byte, isDigit(current) {
        if significant > 0 || current != UInt8(ascii: "0") { significant += 1 }
        decimals += 1
        byte = iterator.next()
      }
      guard decimals > 0 else { return nil }
    } else if integerDigits > 15 {
      return nil
    }
    var hasExponent = false
    if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
      hasExponent = true
      byte = iterator.next()
      if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { byte = iterator.next() }
      var exponentDigits = 0
      while let current = byte, isDigit(current) {
        exponentDigits += 1
        byte = iterator.next()
      }
      guard exponentDigits > 0, exponentDigits <= 4 else { return nil }
    }
    guard byte == nil, significant <= 17 else { return nil }
    return Shape(
      isIntegerText: decimals == 0 && !hasExponent, decimals: decimals, hasExponent: hasExponent)
  }

  /// Reads a number leniently: an optional sign, digits with an optional point (`5.`, `.5`) and
  /// an optional exponent. `inf`, `nan` and hexadecimal are refused.
  /// - Parameter text: The text.
  /// - Returns: The nearest `Double`, or `nil`.
  static func parse(_ text: some StringProtocol) -> Double? {
    var digits = 0
    var index = text.utf8.startIndex
    let end = text.utf8.endIndex
    if index < end, text.utf8[index] == UInt8(ascii: "-") || text.utf8[index] == UInt8(ascii: "+") {
      index = text.utf8.index(after: index)
    }
    var seenPoint = false
    while index < end {
      let byte = text.utf8[index]
      if isDigit(byte) {
        digits += 1
      } else if byte == UInt8(ascii: ".") && !seenPoint {
        seenPoint = true
      } else {
        break
      }
      index = text.utf8.index(after: index)
    }
    guard digits > 0 else { return nil }
    if index < end {
      let byte = text.utf8[index]
      guard byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") else { return nil }
      index = text.utf8.index(after: index)
      if index < end, text.utf8[index] == UInt8(ascii: "-") || text.utf8[index] == UInt8(ascii: "+")
      {
        index = text.utf8.index(after: index)
      }
      var exponentDigits = 0
      while index < end, isDigit(text.utf8[index]) {
        exponentDigits += 1
        index = text.utf8.index(after: index)
      }
      guard exponentDigits > 0, index == end else { return nil }
    }
    guard let value = Double(String(text)), value.isFinite else { return nil }
    return value
  }

  /// Writes a number in a column's format.
  ///
  /// Whole-number columns are rounded and written without `.0`. With `decimals` the value is
  /// rounded to that many digits and trailing zeros are dropped (`2.60` is written `2.6`, as data
  /// files do). Without, the shortest text that reads back as the same `Double` is written. The
  /// result is always plain decimal text, never an exponent.
  /// - Parameters:
  ///   - value: The number.
  ///   - format: The column's format.
  /// - Returns: The text, or `""` for a value that is not finite.
  static func format(_ value: Double, _ format: NumericalFormat) -> String {
    guard value.isFinite else { return "" }
    if format.isInteger {
      let rounded = value.rounded()
      if abs(rounded) < 9.0e18 { return String(Int64(rounded)) }
      return plainDecimal(rounded)
    }
    if let decimals = format.decimals, decimals >= 0, decimals <= 15 {
      var scale = 1.0
      for _ in 0..<decimals { scale *= 10 }
      let scaled = (value * scale).rounded()
      if abs(scaled) < 0x1p53 {
        return fixedPoint(Int64(scaled), decimals: decimals)
      }
    }
    return plainDecimal(value)
  }

  /// The shortest round-trip text of `value` in plain decimal notation (`0.00001`, not `1e-05`;
  /// `12`, not `12.0`).
  /// - Parameter value: A finite number.
  /// - Returns: Its text.
  static func plainDecimal(_ value: Double) -> String {
    guard value.isFinite else { return "" }
    if value == 0 { return "0" }
    let text = Array(value.description.utf8)
    var negative = false
    var digits: [UInt8] = []
    var pointPosition: Int?
    var exponent = 0
    var index = 0
    if index < text.count && text[index] == UInt8(ascii: "-") {
      negative = true
      index += 1
    }
    while index < text.count {
      let byte = text[index]
      if isDigit(byte) {
        digits.append(byte)
      } else if byte == UInt8(ascii: ".") {
        pointPosition = digits.count
      } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
        exponent = Int(String(decoding: text[(index + 1)...], as: UTF8.self)) ?? 0
        break
      }
      index += 1
    }
    // The decimal point sits `point` digits from the left of `digits`.
    var point = (pointPosition ?? digits.count) + exponent
    while let first = digits.first, first == UInt8(ascii: "0"), digits.count > 1 {
      digits.removeFirst()
      point -= 1
    }
    while let last = digits.last, last == UInt8(ascii: "0"), digits.count > 1 {
      digits.removeLast()
    }
    var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
    if point <= 0 {
      out.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ".")])
      out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -point))
      out.append(contentsOf: digits)
    } else if point >= digits.count {
      out.append(contentsOf: digits)
      out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: point - digits.count))
    } else {
      out.append(contentsOf: digits[..<point])
      out.append(UInt8(ascii: "."))
      out.append(contentsOf: digits[point...])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `units / 10^decimals` as text without trailing zeros.
  private static func fixedPoint(_ units: Int64, decimals: Int) -> String {
    if units == 0 { return "0" }
    var text = Array(String(units.magnitude).utf8)
    if decimals > 0 {
      if text.count <= decimals {
        text.insert(
          contentsOf: repeatElement(UInt8(ascii: "0"), count: decimals + 1 - text.count), at: 0)
      }
      text.insert(UInt8(ascii: "."), at: text.count - decimals)
      while text.last == UInt8(ascii: "0") { text.removeLast() }
      if text.last == UInt8(ascii: ".") { text.removeLast() }
    }
    if units < 0 { text.insert(UInt8(ascii: "-"), at: 0) }
    return String(decoding: text, as: UTF8.self)
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }
}
