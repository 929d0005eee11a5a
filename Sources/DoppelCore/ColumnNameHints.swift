/// What a column's name suggests about its values: an identifier, or a kind of personal data.
///
/// The name is split into lower-case words at every character that is not a letter or digit and
/// at lower-to-upper case changes, so `customer_id`, `customerID`, `Customer Id` and `ID` all end
/// in the word `id`.
struct ColumnNameHints: Sendable, Equatable {
  /// The name's words, lower-cased.
  let words: [String]

  /// Splits a column name into words.
  /// - Parameter name: A column name.
  init(_ name: String) {
    var words: [String] = []
    var current = ""
    var previousWasLower = false
    for character in name {
      guard character.isLetter || character.isNumber else {
        if !current.isEmpty { words.append(current) }
        current = ""
        previousWasLower = false
        continue
      }
      if character.isUppercase && previousWasLower && !current.isEmpty {
        words.append(current)
        current = ""
      }
      current += character.lowercased()
      previousWasLower = character.isLowercase || character.isNumber
    }
    if !current.isEmpty { words.append(current) }
    self.words = words
  }

  /// Whether the name marks a row identifier: its last word is `id`, `key`, `uuid`, `guid` or
  /// `pk`, or the whole name is `identifier`.
  var isIdentifier: Bool {
    guard let last = words.last else { return false }
    return ["id", "key", "uuid", "guid", "pk", "identifier"].contains(last)
  }

  /// The kind of personal data the name suggests, if any.
  var pii: PIIKind? {
    let joined = words.joined()
    func has(_ word: String) -> Bool { words.contains(word) }
    if has("email") || has("mail") || joined.contains("email") { return .email }
    if ["phone", "telephone", "tel", "mobile", "cell", "fax", "phonenumber"].contains(where: has) {
      return .phone
    }
    if ["ssn", "nino", "nin", "sin"].contains(where: has) || joined.contains("socialsecurity")
      || joined.contains("nationalid") || joined.contains("nationalinsurance")
    {
      return .nationalID
    }
    if ["zip", "zipcode", "postcode", "postal", "postalcode"].contains(where: has)
      || joined.contains("postcode") || joined.contains("zipcode")
    {
      return .postcode
    }
    if ["firstname", "forename", "fname", "givenname"].contains(where: has)
      || joined.contains("firstname") || joined.contains("givenname")
    {
      return .firstName
    }
    if ["lastname", "surname", "lname", "familyname"].contains(where: has)
      || joined.contains("lastname") || joined.contains("familyname")
    {
      return .lastName
    }
    if ["address", "street", "addr", "streetaddress"].contains(where: has)
      || joined.contains("address")
    {
      return .streetAddress
    }
    if has("name") || has("fullname") { return .personName }
    return nil
  }
}
