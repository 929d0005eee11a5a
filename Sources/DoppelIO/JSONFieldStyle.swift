/// How ``JSONLinesWriter`` writes the text fields of one column as JSON values.
///
/// An empty field is a missing value and is written as `null` whatever the style.
public enum JSONFieldStyle: Sendable, Equatable, Hashable {
  /// A bare JSON number, such as `42` or `-1.5e3`. Text that is not in JSON's number syntax but
  /// reads as a finite number (`+1`, `.5`, `007`) is written in Swift's shortest form for that
  /// `Double`; anything else is an error.
  case number
  /// A JSON string, escaped as RFC 8259 requires.
  case string
  /// `true` for fields equal to `trueText`, `false` for any other non-empty field.
  case boolean(trueText: String)
}
