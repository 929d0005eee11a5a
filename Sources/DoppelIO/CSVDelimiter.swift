/// The byte that separates fields in a delimited text file.
///
/// Only these four are offered because each is a single ASCII byte that can never be part of a
/// multi-byte UTF-8 character, and none can be confused with the quote or a line break.
public enum CSVDelimiter: UInt8, Sendable, CaseIterable {
  /// `,`, the RFC 4180 default.
  case comma = 0x2C
  /// `;`, common where the comma is the decimal separator.
  case semicolon = 0x3B
  /// A horizontal tab, for tab-separated values.
  case tab = 0x09
  /// `|`.
  case pipe = 0x7C
}
