import DoppelCore

/// Realistic fake personal data, one value per call, driven by a ``SeededGenerator``.
///
/// Nothing here stores or copies a value of the user's data. Names come from the built-in
/// public-domain lists in ``NameLists``; e-mail addresses use only the domains reserved for
/// examples by RFC 2606; phone numbers, postcodes and national ids follow a ``TextShape`` learned
/// from the data, which holds no digit or letter of it, and are filled with random characters
/// chosen so that they cannot belong to anyone:
/// - phone numbers end in `555-01dd`, the US range reserved for fiction;
/// - US SSN-shaped ids (nine digits, 3-2-4) use area 900–999, which the Social Security
///   Administration never issues, and group 10–49, outside the groups used by taxpayer numbers
///   (ITINs); other ids that start with a digit start with 9, and ids that start with letters
///   start with `Q`, a letter never used at the start of a UK National Insurance number (other
///   countries' formats get no such guarantee);
/// - street addresses combine a random house number with common street words.
///
/// The same generator state always gives the same value.
public enum FakeValues {
  /// The e-mail domains used, all reserved for documentation by RFC 2606.
  public static let exampleDomains = ["example.com", "example.org", "example.net"]

  /// The shape used for phone numbers when none was learned: `(999) 999-9999`.
  public static let defaultPhoneShape = TextShape(pattern: "(999) 999-9999")
  /// The shape used for postcodes when none was learned: a five-digit ZIP code.
  public static let defaultPostcodeShape = TextShape(pattern: "99999")
  /// The shape used for national ids when none was learned: a US SSN, `999-99-9999`.
  public static let defaultNationalIDShape = TextShape(pattern: "999-99-9999")

  /// A fake value of a kind.
  /// - Parameters:
  ///   - kind: The kind of personal data.
  ///   - shapes: Shapes learned from the column, used for phones, postcodes and national ids;
  ///     empty means the default shape.
  ///   - generator: The random stream.
  /// - Returns: A fake value.
  public static func value(
    of kind: PIIKind, shapes: [TextShape.Weighted] = [], using generator: inout SeededGenerator
  ) -> String {
    switch kind {
    case .email: return email(using: &generator)
    case .phone:
      return phone(shape: TextShape.pick(from: shapes, using: &generator), using: &generator)
    case .nationalID:
      return nationalID(shape: TextShape.pick(from: shapes, using: &generator), using: &generator)
    case .personName: return personName(using: &generator)
    case .firstName: return firstName(using: &generator)
    case .lastName: return lastName(using: &generator)
    case .streetAddress: return streetAddress(using: &generator)
    case .postcode:
      return postcode(shape: TextShape.pick(from: shapes, using: &generator), using: &generator)
    }
  }

  /// A common given name, such as `Olivia`.
  /// - Parameter generator: The random stream.
  /// - Returns: A name from ``NameLists/firstNames``.
  public static func firstName(using generator: inout SeededGenerator) -> String {
    draw(NameLists.firstNames, using: &generator)
  }

  /// A common surname, such as `Garcia`.
  /// - Parameter generator: The random stream.
  /// - Returns: A name from ``NameLists/lastNames``.
  public static func lastName(using generator: inout SeededGenerator) -> String {
    draw(NameLists.lastNames, using: &generator)
  }

  /// A full name, `First Last`, with a middle initial one time in ten (`First M. Last`).
  /// - Parameter generator: The random stream.
  /// - Returns: A fake person's name.
  public static func personName(using generator: inout SeededGenerator) -> String {
    let first = firstName(using: &generator)
    let last = lastName(using: &generator)
    if generator.nextInt(below: 10) == 0 {
      let initial = draw(Array("ABCDEFGHJKLMNPRSTW"), using: &generator)
      return "\(first) \(initial). \(last)"
    }
    return "\(first) \(last)"
  }

  /// An e-mail address such as `olivia.garcia42@example.com`, always at a reserved example domain.
  /// - Parameter generator: The random stream.
  /// - Returns: A fake address.
  public static func email(using generator: inout SeededGenerator) -> String {
    let first = firstName(using: &generator).lowercased()
    let last = lastName(using: &generator).lowercased()
    var local: String
    switch generator.nextInt(below: 4) {
    case 0: local = "\(first).\(last)"
    case 1: local = "\(first)\(last)"
    case 2: local = "\(first.prefix(1)).\(last)"
    default: local = "\(first)_\(last)"
    }
    if generator.nextInt(below: 2) == 0 { local += String(1 + generator.nextInt(below: 99)) }
    return local + "@" + draw(exampleDomains, using: &generator)
  }

  /// A street address such as `123 Oak Street`.
  /// - Parameter generator: The random stream.
  /// - Returns: A fake address: a house number from 1 to 9999, a street name and a street word.
  public static func streetAddress(using generator: inout SeededGenerator) -> String {
    let number = 1 + generator.nextInt(below: 9_999)
    let name = draw(streetNames, using: &generator)
    let suffix = draw(streetWords, using: &generator)
    return "\(number) \(name) \(suffix)"
  }

  /// A phone number in a shape, ending in the fictional range `555-01dd` when it has at least
  /// seven digits.
  /// - Parameters:
  ///   - shape: The layout, or `nil` for ``defaultPhoneShape``.
  ///   - generator: The random stream.
  /// - Returns: A fake phone number.
  public static func phone(shape: TextShape?, using generator: inout SeededGenerator) -> String {
    let layout = shape ?? defaultPhoneShape
    var digits = (0..<layout.digitCount).map { _ in generator.nextInt(below: 10) }
    if let first = digits.indices.first { digits[first] = 2 + generator.nextInt(below: 8) }
    if digits.count >= 7 {
      let tail = digits.count - 7
      for (offset, digit) in [5, 5, 5, 0, 1].enumerated() { digits[tail + offset] = digit }
    }
    return fill(layout, digits: digits, using: &generator)
  }

  /// A postcode in a shape, filled with random digits and letters.
  /// - Parameters:
  ///   - shape: The layout, or `nil` for ``defaultPostcodeShape``.
  ///   - generator: The random stream.
  /// - Returns: A fake postcode.
  public static func postcode(shape: TextShape?, using generator: inout SeededGenerator) -> String {
    (shape ?? defaultPostcodeShape).generate(using: &generator)
  }

  /// A national id in a shape, chosen from numbers that are never issued (see ``FakeValues``).
  /// - Parameters:
  ///   - shape: The layout, or `nil` for ``defaultNationalIDShape``.
  ///   - generator: The random stream.
  /// - Returns: A fake national id.
  public static func nationalID(shape: TextShape?, using generator: inout SeededGenerator)
    -> String
  {
    let layout = shape ?? defaultNationalIDShape
    var text = Array(layout.generate(using: &generator))
    guard let first = text.first else { return "" }
    if first.isNumber {
      text[0] = "9"
      let digitPositions = text.indices.filter { text[$0].isNumber }
      let groups = layout.pattern.split { $0 != "9" }.map(\.count)
      if digitPositions.count == 9 && (groups == [3, 2, 4] || groups == [9]) {
        let group = 10 + generator.nextInt(below: 40)
        text[digitPositions[3]] = Character(String(group / 10))
        text[digitPositions[4]] = Character(String(group % 10))
      }
    } else if first.isLetter {
      text[0] = first.isUppercase ? "Q" : "q"
      if text.count > 1 && text[1].isLetter { text[1] = text[1].isUppercase ? "Q" : "q" }
    }
    return String(text)
  }

  // MARK: - Helpers

  private static func draw<T>(_ items: [T], using generator: inout SeededGenerator) -> T {
    items[generator.nextInt(below: items.count)]
  }

  /// Writes `digits` into the digit positions of `shape`, filling letters at random.
  private static func fill(
    _ shape: TextShape, digits: [Int], using generator: inout SeededGenerator
  )
    -> String
  {
    var out = ""
    var next = 0
    for character in shape.pattern {
      if character == "9" {
        out += String(digits[next])
        next += 1
      } else {
        out += TextShape(pattern: String(character)).generate(using: &generator)
      }
    }
    return out
  }

  private static let streetNames = [
    "Ash", "Aspen", "Birch", "Cedar", "Cherry", "Chestnut", "Church", "Cypress", "Dogwood", "Elm",
    "Forest", "Franklin", "Garden", "Hickory", "Highland", "Hill", "Holly", "Jefferson", "Lake",
    "Laurel", "Lincoln", "Magnolia", "Maple", "Meadow", "Mill", "Oak", "Orchard", "Park", "Pine",
    "Poplar", "Ridge", "River", "Spring", "Spruce", "Sunset", "Sycamore", "Valley", "Walnut",
    "Washington", "Willow",
  ]

  private static let streetWords = [
    "Avenue", "Boulevard", "Court", "Drive", "Lane", "Place", "Road", "Street", "Terrace", "Way",
  ]
}
