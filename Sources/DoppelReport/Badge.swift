/// A good / caution / risk judgement shown beside a score.
///
/// A badge never relies on colour alone: it carries a symbol and a word, and each level has its own
/// border style, so it reads the same in greyscale and on paper.
enum Badge: String, Equatable {
  /// The value is where it should be.
  case good
  /// The value deserves a look.
  case caution
  /// The value signals a problem.
  case risk
  /// The value was not computed.
  case notComputed = "not-computed"

  /// Reads a verdict level such as `good`, `caution` or `risk` (case-insensitive).
  /// - Parameter level: The level text from the evaluation.
  init(level: String) {
    switch level.lowercased() {
    case "good", "ok", "pass": self = .good
    case "caution", "warning", "warn": self = .caution
    case "risk", "bad", "fail", "high": self = .risk
    default: self = .notComputed
    }
  }

  /// Judges a value for which higher is better.
  /// - Parameters:
  ///   - value: The value.
  ///   - good: The least value that is good.
  ///   - caution: The least value that is only a caution.
  /// - Returns: The badge; `notComputed` for NaN.
  static func higherIsBetter(_ value: Double, good: Double, caution: Double) -> Badge {
    guard value.isFinite else { return .notComputed }
    return value >= good ? .good : (value >= caution ? .caution : .risk)
  }

  /// Judges a value for which lower is better.
  /// - Parameters:
  ///   - value: The value.
  ///   - good: The largest value that is good.
  ///   - caution: The largest value that is only a caution.
  /// - Returns: The badge; `notComputed` for NaN.
  static func lowerIsBetter(_ value: Double, good: Double, caution: Double) -> Badge {
    guard value.isFinite else { return .notComputed }
    return value <= good ? .good : (value <= caution ? .caution : .risk)
  }

  /// The symbol shown before the word.
  var symbol: String {
    switch self {
    case .good: return "✓"
    case .caution: return "!"
    case .risk: return "✕"
    case .notComputed: return "–"
    }
  }

  /// The word shown in the badge.
  var word: String {
    switch self {
    case .good: return "Good"
    case .caution: return "Caution"
    case .risk: return "Risk"
    case .notComputed: return "Not computed"
    }
  }

  /// The badge's markup.
  var html: String {
    "<span class=\"badge \(rawValue)\"><span class=\"symbol\" aria-hidden=\"true\">\(symbol)</span> "
      + word + "</span>"
  }
}
