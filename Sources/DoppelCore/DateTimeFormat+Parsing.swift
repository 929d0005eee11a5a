extension DateTimeFormat {
  /// Reads a date or time written in this format.
  ///
  /// The whole text must match the pattern. Fields the pattern lacks default to 1970-01-01
  /// 00:00:00. Impossible dates and times (month 13, 30 February, hour 24, second 60) give `nil`.
  /// A `%z` offset is applied, so the result is always UTC. No `DateFormatter`, calendar or locale
  /// is used: the result is the same on every machine.
  /// - Parameter text: The text to read, such as `2024-03-31`.
  /// - Returns: Seconds since 1970-01-01T00:00:00Z, or `nil` if the text does not match.
  /// - Complexity: O(*n*) in the length of the pattern and the text; the pattern is split anew on
  ///   every call, so convert many values through ``Table/init(text:metadata:)``, which splits it
  ///   once.
  public func parse(_ text: some StringProtocol) -> Double? {
    DateTimePattern(pattern).parse(text)
  }

  /// Writes a point in time in this format.
  ///
  /// The value is first rounded to the format's ``resolution`` (a date-only format writes the
  /// nearest day). For every text `s` that ``parse(_:)`` accepts without a `%z` offset other than
  /// `Z`, `format(parse(s))` is `s` again. Sub-microsecond fractions are not kept for instants far
  /// from 1970, because a `Double` holds only about 16 significant digits.
  /// - Parameter seconds: Seconds since 1970-01-01T00:00:00Z.
  /// - Returns: The text, or `""` if `seconds` is not finite or beyond ±10¹⁴ (about 3 million
  ///   years) or the pattern is not valid.
  public func format(_ seconds: Double) -> String {
    let compiled = DateTimePattern(pattern)
    return compiled.isValid ? compiled.format(seconds) : ""
  }

  /// The smallest step between two values this format can write, in seconds: 86,400 for a date,
  /// 3,600 with hours, 60 with minutes, 1 with seconds, and 10⁻ᴺ with `%Nf` (10⁻⁶ for `%f`).
  public var resolution: Double {
    DateTimePattern(pattern).resolution
  }

  /// Whether the pattern uses only supported fields (see ``DateTimeFormat``).
  public var isValid: Bool {
    DateTimePattern(pattern).isValid
  }

  /// The formats that ``MetadataDetector`` tries, most preferred first.
  ///
  /// ISO 8601 forms come first, then year-first with slashes, then month-first (US) before
  /// day-first forms, so a column whose days are all 12 or less is read as month-first; a single
  /// day above 12 rules the month-first form out. Forms without zero padding use `%-m`, `%-d` and
  /// `%-H`. A `%f` form is narrowed to `%Nf` when every value has N fraction digits.
  public static let detectionCandidates: [DateTimeFormat] = [
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%MZ",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%-m/%-d/%Y",
    "%-d/%-m/%Y",
    "%-m/%-d/%Y %H:%M",
    "%-d/%-m/%Y %H:%M",
    "%-m/%-d/%Y %-H:%M",
    "%-d/%-m/%Y %-H:%M",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d-%m-%Y",
    "%m-%d-%Y",
  ].map(DateTimeFormat.init)
}
