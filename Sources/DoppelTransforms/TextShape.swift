import DoppelCore

/// The layout of a text value with its content masked: each digit becomes `9`, each upper-case
/// letter `A`, each other letter `a`, and every other character (spaces, `-`, `(`, `+`, …) is kept.
///
/// `(555) 010-4477` has the shape `(999) 999-9999` and `SW1A 1AA` has `AA9A 9AA`. A shape keeps no
/// digit or letter of the value it came from, so shapes learned from real data can be stored in a
/// model file and used to make fake values of the same layout.
public struct TextShape: Sendable, Hashable, Codable, CustomStringConvertible {
  /// A shape and how often it occurred.
  public struct Weighted: Sendable, Hashable, Codable {
    /// The shape.
    public var shape: TextShape
    /// Its share of the values it was learned from, in (0, 1]; the weights of one list sum to 1.
    public var weight: Double

    /// Creates a weighted shape.
    /// - Parameters:
    ///   - shape: The shape.
    ///   - weight: Its share, in (0, 1].
    public init(shape: TextShape, weight: Double) {
      self.shape = shape
      self.weight = weight
    }
  }

  /// The masked text: `9` for a digit, `A` for an upper-case letter, `a` for another letter.
  public let pattern: String

  /// Creates a shape from its masked text.
  /// - Parameter pattern: Text in which `9`, `A` and `a` stand for a digit, an upper-case and a
  ///   lower-case letter, and every other character stands for itself.
  public init(pattern: String) {
    self.pattern = pattern
  }

  /// The shape of a value.
  /// - Parameter value: Any text; its digits and letters are not kept.
  public init(of value: String) {
    var masked = ""
    masked.reserveCapacity(value.utf8.count)
    for character in value {
      if character.isNumber {
        masked.append("9")
      } else if character.isLetter {
        masked.append(character.isUppercase ? "A" : "a")
      } else {
        masked.append(character)
      }
    }
    self.pattern = masked
  }

  /// The masked text.
  public var description: String { pattern }

  /// The number of digit positions.
  public var digitCount: Int { pattern.reduce(0) { $0 + ($1 == "9" ? 1 : 0) } }

  /// Fills the shape with random digits and letters.
  /// - Parameter generator: The random stream; the same state gives the same text.
  /// - Returns: A value of this shape, in ASCII.
  public func generate(using generator: inout SeededGenerator) -> String {
    var out = ""
    out.reserveCapacity(pattern.utf8.count)
    for character in pattern {
      out.append(TextShape.fill(character, using: &generator))
    }
    return out
  }

  /// The most frequent shapes of some values, with their shares.
  ///
  /// Empty values are skipped. Shapes are ordered by frequency, ties by pattern, so the result does
  /// not depend on hashing; weights are shares among the kept shapes.
  /// - Parameters:
  ///   - values: The values to learn from; none of their digits or letters is kept.
  ///   - limit: The most shapes to keep (at least 1).
  /// - Returns: Up to `limit` shapes whose weights sum to 1, or `[]` when all values are empty.
  /// - Complexity: O(*n* + *s* log *s*) for *n* values with *s* distinct shapes.
  public static func learnShapes(from values: [String], limit: Int) -> [Weighted] {
    var counts: [String: Int] = [:]
    for value in values where !value.isEmpty {
      counts[TextShape(of: value).pattern, default: 0] += 1
    }
    let kept = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
      .prefix(max(1, limit))
    let total = Double(kept.reduce(0) { $0 + $1.value })
    return kept.map {
      Weighted(shape: TextShape(pattern: $0.key), weight: Double($0.value) / total)
    }
  }

  /// Draws one shape in proportion to the weights.
  /// - Parameters:
  ///   - shapes: Weighted shapes, such as from ``learnShapes(from:limit:)``.
  ///   - generator: The random stream.
  /// - Returns: A shape, or `nil` when `shapes` is empty.
  public static func pick(from shapes: [Weighted], using generator: inout SeededGenerator)
    -> TextShape?
  {
    guard let last = shapes.last else { return nil }
    let total = shapes.reduce(0) { $0 + max(0, $1.weight) }
    var target = generator.nextUnit() * total
    for entry in shapes {
      target -= max(0, entry.weight)
      if target < 0 { return entry.shape }
    }
    return last.shape
  }

  private static let digits = Array("0123456789")
  private static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
  private static let lower = Array("abcdefghijklmnopqrstuvwxyz")

  private static func fill(_ character: Character, using generator: inout SeededGenerator)
    -> Character
  {
    switch character {
    case "9": return digits[generator.nextInt(below: 10)]
    case "A": return upper[generator.nextInt(below: 26)]
    case "a": return lower[generator.nextInt(below: 26)]
    default: return character
    }
  }
}
