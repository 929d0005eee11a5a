import DoppelCore

/// Character shapes of text values: each digit becomes `9`, each upper-case letter `A`, each
/// lower-case letter `a`, every other character stays. A shape says how a value looks (length,
/// punctuation, letter case) without keeping any of its digits or letters.
public enum TextShapes {
  /// The most frequent shapes of some values and their shares.
  /// - Parameters:
  ///   - values: Text values.
  ///   - limit: The most shapes to keep.
  /// - Returns: Shapes, most frequent first (ties in first-seen order), and their weights.
  public static func learn(_ values: some Sequence<String>, limit: Int) -> (
    shapes: [String], weights: [Double]
  ) {
    var counts: [String: Int] = [:]
    var order: [String] = []
    for value in values {
      let shape = self.shape(of: value)
      if counts[shape] == nil { order.append(shape) }
      counts[shape, default: 0] += 1
    }
    let ranked = order.enumerated().sorted { a, b in
      let ca = counts[a.element] ?? 0
      let cb = counts[b.element] ?? 0
      return ca > cb || (ca == cb && a.offset < b.offset)
    }.prefix(limit).map(\.element)
    let total = Double(ranked.reduce(0) { $0 + (counts[$1] ?? 0) })
    return (ranked, ranked.map { Double(counts[$0] ?? 0) / max(total, 1) })
  }

  /// The shape of one value.
  /// - Parameter value: A text value.
  /// - Returns: Its shape.
  public static func shape(of value: String) -> String {
    var result = ""
    result.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
    for scalar in value.unicodeScalars {
      switch scalar {
      case "0"..."9": result.unicodeScalars.append("9")
      case "A"..."Z": result.unicodeScalars.append("A")
      case "a"..."z": result.unicodeScalars.append("a")
      default:
        if scalar.properties.isUppercase {
          result.unicodeScalars.append("A")
        } else if scalar.properties.isAlphabetic {
          result.unicodeScalars.append("a")
        } else if scalar.properties.numericType != nil {
          result.unicodeScalars.append("9")
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result
  }

  /// A random value of a shape: `9` → a digit, `A` → an upper-case letter, `a` → a lower-case
  /// letter, other characters kept.
  /// - Parameters:
  ///   - shape: A shape from ``shape(of:)``.
  ///   - random: The random stream.
  /// - Returns: A value of that shape.
  public static func fill(_ shape: String, using random: inout SeededGenerator) -> String {
    var result = ""
    result.unicodeScalars.reserveCapacity(shape.unicodeScalars.count)
    let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ".unicodeScalars)
    let lower = Array("abcdefghijklmnopqrstuvwxyz".unicodeScalars)
    let digits = Array("0123456789".unicodeScalars)
    for scalar in shape.unicodeScalars {
      switch scalar {
      case "9": result.unicodeScalars.append(digits[random.nextInt(below: 10)])
      case "A": result.unicodeScalars.append(upper[random.nextInt(below: 26)])
      case "a": result.unicodeScalars.append(lower[random.nextInt(below: 26)])
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
