/// Shape tests on single values, used by ``MetadataDetector`` to recognise identifiers and
/// personal data. Each test looks at one value and never remembers it.
enum ValuePatterns {
  // MARK: - Identifiers

  /// Whether the value is a UUID in its usual 8-4-4-4-12 hexadecimal form (any case).
  static func isUUID(_ value: some StringProtocol) -> Bool {
    var count = 0
    for byte in value.utf8 {
      switch count {
      case 8, 13, 18, 23:
        guard byte == UInt8(ascii: "-") else { return false }
      default:
        guard isHexDigit(byte) else { return false }
      }
      count += 1
      if count > 36 { return false }
    }
    return count == 36
  }

  /// Splits a value into the text before its final run of digits and the length of that run.
  /// - Parameter value: A value such as `P-000123`.
  /// - Returns: The prefix (`P-`) and the digit count (6), or `nil` if the value does not end in
  ///   a digit or the prefix is longer than 32 bytes.
  static func prefixAndDigits(_ value: some StringProtocol) -> (prefix: Substring, width: Int)? {
    let text = Substring(value)
    var start = text.utf8.endIndex
    var width = 0
    while start > text.utf8.startIndex {
      let before = text.utf8.index(before: start)
      guard isDigit(text.utf8[before]) else { break }
      start = before
      width += 1
    }
    guard width > 0, text.utf8.distance(from: text.utf8.startIndex, to: start) <= 32 else {
      return nil
    }
    return (text[..<start], width)
  }

  // MARK: - Personal data

  /// Whether the value looks like an e-mail address: `local@domain.tld` with a local part of
  /// letters, digits and `._%+-`, dot-separated domain labels and a top-level domain of at least
  /// two letters.
  static func isEmail(_ value: some StringProtocol) -> Bool {
    let parts = value.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, let local = parts.first, let domain = parts.last, !local.isEmpty,
      local.utf8.count <= 64
    else { return false }
    let localOK = local.utf8.allSatisfy { byte in
      isAlphanumeric(byte) || "._%+-".utf8.contains(byte)
    }
    let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
    guard localOK, labels.count >= 2, let top = labels.last, top.utf8.count >= 2,
      top.utf8.allSatisfy(isLetter)
    else { return false }
    return labels.allSatisfy { label in
      !label.isEmpty && label.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }
  }

  /// Whether the value looks like a US Social Security number, `ddd-dd-dddd` (or nine plain
  /// digits when the column's name says so).
  static func isNationalID(_ value: some StringProtocol, hinted: Bool) -> Bool {
    let shape = digitShape(value)
    return shape == "999-99-9999" || (hinted && (shape == "999999999" || shape == "999 99 9999"))
  }

  /// Whether the value looks like a telephone number: an optional `+`, digits, spaces, `-`, `.`,
  /// `(` and `)`, with 7–15 digits.
  ///
  /// Unless the column's name says phone, it also needs a `+` or parentheses, or at least ten
  /// digits split by separators, so that codes and dates are not taken for phone numbers.
  static func isPhone(_ value: some StringProtocol, hinted: Bool) -> Bool {
    var digits = 0
    var separators = 0
    var plus = false
    var parentheses = 0
    for (offset, byte) in value.utf8.enumerated() {
      if isDigit(byte) {
        digits += 1
      } else if byte == UInt8(ascii: "+") && offset == 0 {
        plus = true
      } else if byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") {
        parentheses += 1
      } else if " -.".utf8.contains(byte) {
        separators += 1
      } else {
        return false
      }
    }
    guard (7...15).contains(digits) else { return false }
    if hinted { return true }
    return plus || parentheses == 2 || (digits >= 10 && separators >= 1)
  }

  /// Whether the value looks like a UK postcode, such as `SW1A 1AA` or `M1 1AE`.
  static func isUKPostcode(_ value: some StringProtocol) -> Bool {
    let shape = digitShape(value.uppercased())
    return [
      "A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA", "A9A 9AA", "AA9A 9AA",
    ].contains(shape)
  }

  /// Whether the value could be a postal code of some country: 3–10 letters, digits, spaces or
  /// dashes with at least one digit (`12345`, `12345-6789`, `1010`, `K1A 0B1`). Only used when the
  /// column's name says postcode.
  static func isPostcodeLike(_ value: some StringProtocol) -> Bool {
    let bytes = value.utf8
    guard (3...10).contains(bytes.count), bytes.contains(where: isDigit) else { return false }
    return bytes.allSatisfy {
      isAlphanumeric($0) || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-")
    }
  }

  /// Whether the value looks like a street address: a house number (digits, maybe a letter or a
  /// range), at least one name word, then a street word such as `Street` or `Rd` — for example
  /// `12 High Street` or `4B Elm Rd., Springfield`.
  static func isStreetAddress(_ value: String) -> Bool {
    let words = value.split(separator: " ")
    guard words.count >= 3, let number = words.first, isHouseNumber(number) else { return false }
    for word in words.dropFirst(2) {
      let trimmed = word.trimmingSuffix { $0 == "." || $0 == "," }
      if streetSuffixes.contains(trimmed.lowercased()) { return true }
    }
    return false
  }

  /// Whether the value is two or three capitalised words, such as `Jane Smith` or `Mary J. Lee`.
  static func isPersonNameShape(_ value: String) -> Bool {
    let words = value.split(separator: " ")
    guard (2...3).contains(words.count) else { return false }
    guard let first = words.first, let last = words.last, isNameWord(first), isNameWord(last) else {
      return false
    }
    if words.count == 3 {
      let middle = words[1]
      return isNameWord(middle) || isInitial(middle)
    }
    return true
  }

  /// Whether the value is one capitalised word, such as `Jane` or `O'Neil`.
  static func isSingleNameShape(_ value: String) -> Bool {
    !value.contains(" ") && isNameWord(Substring(value))
  }

  /// Whether the first word of the value is a common given name.
  static func startsWithFirstName(_ value: String) -> Bool {
    guard let first = value.split(separator: " ").first else { return false }
    return firstNames.contains(String(first))
  }

  // MARK: - Helpers

  /// The value with digits replaced by `9` and letters by `A` (upper case) or `a`.
  static func digitShape(_ value: some StringProtocol) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(value.utf8.count)
    for byte in value.utf8 {
      if isDigit(byte) {
        out.append(UInt8(ascii: "9"))
      } else if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
        out.append(UInt8(ascii: "A"))
      } else if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") {
        out.append(UInt8(ascii: "a"))
      } else {
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static let streetSuffixes = Set(NameLists.streetSuffixes.map { $0.lowercased() })
  private static let firstNames = Set(NameLists.firstNames)

  private static func isHouseNumber(_ word: Substring) -> Bool {
    let bytes = Array(word.utf8)
    var index = 0
    while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    guard (1...6).contains(index) else { return false }
    let rest = bytes[index...]
    if rest.isEmpty { return true }
    if rest.count == 1, let letter = rest.first { return isLetter(letter) }
    if rest.first == UInt8(ascii: "-") {
      return rest.dropFirst().allSatisfy(isDigit) && rest.count > 1
    }
    return false
  }

  private static func isNameWord(_ word: Substring) -> Bool {
    guard let first = word.first, first.isUppercase, first.isLetter, word.count >= 2 else {
      return false
    }
    return word.dropFirst().allSatisfy { $0.isLetter || $0 == "'" || $0 == "-" }
      && word.contains(where: \.isLowercase)
  }

  private static func isInitial(_ word: Substring) -> Bool {
    guard let first = word.first, first.isUppercase else { return false }
    return word.count == 1 || (word.count == 2 && word.last == ".")
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
  }

  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    isDigit(byte) || isLetter(byte)
  }

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
  }
}

extension Substring {
  /// The substring without trailing characters that match `predicate`.
  fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
    var end = endIndex
    while end > startIndex {
      let before = index(before: end)
      guard predicate(self[before]) else { break }
      end = before
    }
    return self[startIndex..<end]
  }
}
