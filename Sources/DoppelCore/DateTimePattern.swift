/// A ``DateTimeFormat`` pattern split into fields once, so that many values parse and format
/// quickly.
///
/// Dates are proleptic Gregorian and converted to and from a day count with Howard Hinnant's
/// `days_from_civil` / `civil_from_days` algorithms ("chrono-Compatible Low-Level Date
/// Algorithms", 2013), so no calendar, locale or time zone database is involved.
struct DateTimePattern: Sendable {
  /// One piece of a pattern.
  enum Field: Sendable, Equatable {
    /// A byte that must appear as is.
    case literal(UInt8)
    /// `%Y`: exactly four digits.
    case year
    /// `%m` (two digits) or `%-m` (one or two digits, no leading zero).
    case month(padded: Bool)
    /// `%d` or `%-d`.
    case day(padded: Bool)
    /// `%H` or `%-H`.
    case hour(padded: Bool)
    /// `%M` or `%-M`.
    case minute(padded: Bool)
    /// `%S` or `%-S`.
    case second(padded: Bool)
    /// `%f` (1–9 digits read, 6 written) or `%Nf` (exactly N digits).
    case fraction(digits: Int?)
    /// `%z`: `Z` or a `±hh:mm` / `±hhmm` offset; written as `Z`.
    case zone
  }

  /// The fields in order.
  let fields: [Field]
  /// Whether the pattern uses only supported directives and is not empty.
  let isValid: Bool
  /// The first unsupported directive, such as `%b`, if any.
  let unsupportedDirective: String?

  /// Splits a pattern into fields.
  /// - Parameter pattern: A strftime-style pattern.
  init(_ pattern: String) {
    var fields: [Field] = []
    var unsupported: String?
    let bytes = Array(pattern.utf8)
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      guard byte == UInt8(ascii: "%") else {
        fields.append(.literal(byte))
        index += 1
        continue
      }
      let start = index
      index += 1
      var padded = true
      if index < bytes.count && bytes[index] == UInt8(ascii: "-") {
        padded = false
        index += 1
      }
      var width = 0
      var hasWidth = false
      while index < bytes.count, let digit = Self.digitValue(bytes[index]) {
        width = width * 10 + digit
        hasWidth = true
        index += 1
      }
      guard index < bytes.count else {
        unsupported = unsupported ?? String(decoding: bytes[start...], as: UTF8.self)
        break
      }
      let directive = bytes[index]
      index += 1
      let field: Field?
      switch directive {
      case UInt8(ascii: "Y") where padded && !hasWidth: field = .year
      case UInt8(ascii: "m") where !hasWidth: field = .month(padded: padded)
      case UInt8(ascii: "d") where !hasWidth: field = .day(padded: padded)
      case UInt8(ascii: "H") where !hasWidth: field = .hour(padded: padded)
      case UInt8(ascii: "M") where !hasWidth: field = .minute(padded: padded)
      case UInt8(ascii: "S") where !hasWidth: field = .second(padded: padded)
      case UInt8(ascii: "f") where padded && (!hasWidth || (1...9).contains(width)):
        field = .fraction(digits: hasWidth ? width : nil)
      case UInt8(ascii: "z") where padded && !hasWidth: field = .zone
      case UInt8(ascii: "%") where padded && !hasWidth: field = .literal(UInt8(ascii: "%"))
      default: field = nil
      }
      if let field {
        fields.append(field)
      } else {
        unsupported = unsupported ?? String(decoding: bytes[start..<index], as: UTF8.self)
      }
    }
    self.fields = fields
    self.unsupportedDirective = unsupported
    self.isValid = unsupported == nil && !fields.isEmpty
  }

  /// The smallest step the pattern can write, in seconds.
  var resolution: Double {
    var result = 86_400.0
    for field in fields {
      switch field {
      case .hour: result = min(result, 3_600)
      case .minute: result = min(result, 60)
      case .second: result = min(result, 1)
      case .fraction(let digits): result = min(result, Self.power10(-(digits ?? 6)))
      default: break
      }
    }
    return result
  }

  /// Whether the pattern has a `%f` field without a digit count.
  var hasOpenFraction: Bool {
    fields.contains(.fraction(digits: nil))
  }

  /// Reads a value.
  /// - Parameter text: The text to read; all of it must match.
  /// - Returns: Seconds since 1970-01-01T00:00:00Z, or `nil` if the text does not match or names
  ///   an impossible date or time.
  func parse(_ text: some StringProtocol) -> Double? {
    parseDetailed(text)?.seconds
  }

  /// Reads a value and reports how many fraction digits it had.
  /// - Parameter text: The text to read; all of it must match.
  /// - Returns: The seconds and the number of `%f` digits read (0 when there is no fraction).
  func parseDetailed(_ text: some StringProtocol) -> (seconds: Double, fractionDigits: Int)? {
    guard isValid else { return nil }
    var reader = Reader()
    let matched = text.utf8.withContiguousStorageIfAvailable { reader.read(fields, $0) }
    let ok = matched ?? Array(text.utf8).withUnsafeBufferPointer { reader.read(fields, $0) }
    guard ok else { return nil }
    return reader.seconds().map { ($0, reader.fractionDigits) }
  }

  /// Writes a value.
  /// - Parameter seconds: Seconds since 1970-01-01T00:00:00Z.
  /// - Returns: The text, or `""` for a value that is not finite or beyond ±10¹⁴ seconds.
  func format(_ seconds: Double) -> String {
    guard seconds.isFinite, abs(seconds) < 1e14 else { return "" }
    var fractionWidth = 0
    for case .fraction(let digits) in fields { fractionWidth = max(fractionWidth, digits ?? 6) }
    var whole: Int64
    var fractionUnits: Int64 = 0
    if fractionWidth > 0 {
      let floorSeconds = seconds.rounded(.down)
      whole = Int64(floorSeconds)
      let scale = Self.power10(fractionWidth)
      fractionUnits = Int64(((seconds - floorSeconds) * scale).rounded())
      if fractionUnits >= Int64(scale) {
        whole += 1
        fractionUnits = 0
      }
    } else {
      let step = resolution
      whole = Int64((seconds / step).rounded()) * Int64(step)
    }
    let days = Self.floorDivide(whole, 86_400)
    let secondOfDay = Int(whole - days * 86_400)
    let (year, month, day) = Self.civil(fromDays: Int(days))
    var out: [UInt8] = []
    out.reserveCapacity(fields.count + 8)
    for field in fields {
      switch field {
      case .literal(let byte): out.append(byte)
      case .year:
        if year < 0 { out.append(UInt8(ascii: "-")) }
        Self.append(abs(year), width: 4, to: &out)
      case .month(let padded): Self.append(month, width: padded ? 2 : 1, to: &out)
      case .day(let padded): Self.append(day, width: padded ? 2 : 1, to: &out)
      case .hour(let padded): Self.append(secondOfDay / 3_600, width: padded ? 2 : 1, to: &out)
      case .minute(let padded):
        Self.append(secondOfDay / 60 % 60, width: padded ? 2 : 1, to: &out)
      case .second(let padded): Self.append(secondOfDay % 60, width: padded ? 2 : 1, to: &out)
      case .fraction(let digits):
        let width = digits ?? 6
        let units = Int(fractionUnits / Int64(Self.power10(fractionWidth - width)))
        Self.append(units, width: width, to: &out)
      case .zone: out.append(UInt8(ascii: "Z"))
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The pattern text with `%f` replaced by `%Nf`.
  /// - Parameters:
  ///   - pattern: A pattern text.
  ///   - digits: The digit count to fix.
  /// - Returns: The new pattern text.
  static func fixingFraction(of pattern: String, digits: Int) -> String {
    pattern.replacing("%f", with: "%\(digits)f")
  }

  // MARK: - Calendar arithmetic

  /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
  /// - Parameters:
  ///   - year: The year; 0 is 1 BC.
  ///   - month: 1–12.
  ///   - day: 1–31.
  /// - Returns: The day number; negative before 1970.
  static func days(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let shiftedMonth = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The proleptic Gregorian date of a day number (Hinnant's `civil_from_days`).
  /// - Parameter days: Days since 1970-01-01.
  /// - Returns: Year, month (1–12) and day (1–31).
  static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra =
      (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  /// The number of days in a month of the proleptic Gregorian calendar.
  /// - Parameters:
  ///   - month: 1–12.
  ///   - year: The year.
  /// - Returns: 28–31.
  static func daysInMonth(_ month: Int, year: Int) -> Int {
    switch month {
    case 2:
      let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      return leap ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  // MARK: - Helpers

  private static func digitValue(_ byte: UInt8) -> Int? {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte &- UInt8(ascii: "0")) : nil
  }

  private static func power10(_ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<abs(exponent) { result *= 10 }
    return exponent < 0 ? 1 / result : result
  }

  private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
  }

  private static func append(_ value: Int, width: Int, to out: inout [UInt8]) {
    var digits: [UInt8] = []
    var rest = value
    repeat {
      digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
      rest /= 10
    } while rest > 0
    if digits.count < width {
      out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count))
    }
    out.append(contentsOf: digits.reversed())
  }

  /// The state of one parse.
  private struct Reader {
    var year = 1970
    var month = 1
    var day = 1
    var hour = 0
    var minute = 0
    var second = 0
    var fraction = 0.0
    var fractionDigits = 0
    var offsetSeconds = 0

    mutating func read(_ fields: [Field], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
      var index = 0
      for field in fields {
        switch field {
        case .literal(let byte):
          guard index < bytes.count, bytes[index] == byte else { return false }
          index += 1
        case .year:
          guard let value = number(bytes, &index, padded: true, width: 4) else { return false }
          year = value
        case .month(let padded):
          guard let value = number(bytes, &index, padded: padded, width: 2) else { return false }
          month = value
        case .day(let padded):
          guard let value = number(bytes, &index, padded: padded, width: 2) else { return false }
          day = value
        case .hour(let padded):
          guard let value = number(bytes, &index, padded: padded, width: 2) else { return false }
          hour = value
        case .minute(let padded):
          guard let value = number(bytes, &index, padded: padded, width: 2) else { return false }
          minute = value
        case .second(let padded):
          guard let value = number(bytes, &index, padded: padded, width: 2) else { return false }
          second = value
        case .fraction(let digits):
          let start = index
          var units = 0
          let limit = min(bytes.count, start + (digits ?? 9))
          while index < limit, let digit = DateTimePattern.digitValue(bytes[index]) {
            units = units * 10 + digit
            index += 1
          }
          let count = index - start
          guard count > 0, digits == nil || count == digits else { return false }
          fractionDigits = count
          fraction = Double(units) / DateTimePattern.power10(count)
        case .zone:
          guard readZone(bytes, &index) else { return false }
        }
      }
      return index == bytes.count
    }

    /// Reads `width` digits (padded) or 1 to `width` digits without a leading zero (a lone `0` is
    /// allowed).
    private func number(
      _ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, padded: Bool, width: Int
    ) -> Int? {
      var value = 0
      var count = 0
      var leadingZero = false
      while count < width, index < bytes.count, let digit = DateTimePattern.digitValue(bytes[index])
      {
        if count == 0 { leadingZero = digit == 0 }
        value = value * 10 + digit
        count += 1
        index += 1
      }
      if padded ? count != width : (count == 0 || (leadingZero && count > 1)) { return nil }
      return value
    }

    private mutating func readZone(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> Bool
    {
      guard index < bytes.count else { return false }
      let sign = bytes[index]
      if sign == UInt8(ascii: "Z") {
        index += 1
        offsetSeconds = 0
        return true
      }
      guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return false }
      index += 1
      guard let hours = number(bytes, &index, padded: true, width: 2), hours <= 23 else {
        return false
      }
      if index < bytes.count && bytes[index] == UInt8(ascii: ":") { index += 1 }
      guard let minutes = number(bytes, &index, padded: true, width: 2), minutes <= 59 else {
        return false
      }
      let offset = hours * 3_600 + minutes * 60
      offsetSeconds = sign == UInt8(ascii: "+") ? offset : -offset
      return true
    }

    /// The instant read, or `nil` for an impossible date or time.
    func seconds() -> Double? {
      guard (1...12).contains(month), day >= 1,
        day <= DateTimePattern.daysInMonth(month, year: year),
        (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
      else { return nil }
      let days = DateTimePattern.days(year: year, month: month, day: day)
      let whole = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
      return Double(whole) + fraction
    }
  }
}
