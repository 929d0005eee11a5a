/// A strftime-style pattern for date and time text, such as `%Y-%m-%d` or `%m/%d/%Y %H:%M`.
///
/// Values are converted to seconds since 1970-01-01T00:00:00Z (UTC; no time zone conversion) and
/// back, so a synthetic datetime column is written exactly as the original was.
///
/// Supported fields: `%Y` (4-digit year), `%m` (month 01–12), `%d` (day 01–31), `%H` (hour 00–23),
/// `%M` (minute), `%S` (second), `%f` (fraction of a second, 1–9 digits), `%z` (`Z` or `±hh:mm`
/// offset, read and written as `Z`), `%%`; any other character must match itself.
/// `%-m`, `%-d`, `%-H`, `%-M` and `%-S` are the same fields without zero padding (`3`, not `03`),
/// and `%Nf` (N = 1–9) is a fraction of exactly N digits; plain `%f` is written with 6 digits.
/// Parsing and formatting are in `DateTimeFormat+Parsing.swift`.
public struct DateTimeFormat: Sendable, Equatable, Hashable, Codable {
  /// The pattern text.
  public var pattern: String

  /// Creates a format from its pattern.
  /// - Parameter pattern: A strftime-style pattern such as `%Y-%m-%d`.
  public init(_ pattern: String) {
    self.pattern = pattern
  }

  /// ISO 8601 calendar date, `2024-03-31`.
  public static let isoDate = DateTimeFormat("%Y-%m-%d")
  /// ISO 8601 date and time in UTC, `2024-03-31T12:00:00Z`.
  public static let isoDateTimeUTC = DateTimeFormat("%Y-%m-%dT%H:%M:%SZ")
}
