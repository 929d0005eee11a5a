/// A value of a discrete column as it is compared between two tables.
///
/// Numbers compare by value (`1` equals `1.0`); text compares exactly. Keys sort numbers first,
/// ascending, then text in `String` order, so every loop over keys runs in the same order on
/// every run.
enum DiscreteKey: Hashable, Comparable, Sendable {
  /// A number.
  case number(Double)
  /// A text label.
  case text(String)

  /// The key as a label for charts: numbers in their shortest form, text unchanged.
  var label: String {
    switch self {
    case .number(let value): return NumberLabel.text(value)
    case .text(let text): return text
    }
  }

  static func < (lhs: DiscreteKey, rhs: DiscreteKey) -> Bool {
    switch (lhs, rhs) {
    case (.number(let a), .number(let b)): return a < b
    case (.number, .text): return true
    case (.text, .number): return false
    case (.text(let a), .text(let b)): return a < b
    }
  }
}
