/// Reads SDV's metadata JSON (single-table, or the V1 multi-table wrapper with one table) into
/// ``TableMetadata``.
///
/// The sdtypes map to Doppel kinds as follows:
///
/// | sdtype | kind |
/// | --- | --- |
/// | `numerical` | `numerical`; whole numbers when `computer_representation` is `Int…`/`UInt…` |
/// | `categorical` | `categorical` |
/// | `boolean` | `boolean` spelled `True`/`False` (pandas' spelling) |
/// | `datetime` | `datetime` with `datetime_format`; without one, the format is left empty for detection to fill |
/// | `id` | `id`: `.integer` for an `Int…` representation, `.prefixed` for a `regex_format` such as `P-\d{6}` or `[0-9]{6}`, `.uuid` for a UUID regex, else `.other` |
/// | `email` | `pii(.email)` |
/// | `phone_number`, `phone` | `pii(.phone)` |
/// | `ssn`, `national_id` | `pii(.nationalID)` |
/// | `name` | `pii(.personName)` |
/// | `first_name`, `last_name` | `pii(.firstName)`, `pii(.lastName)` |
/// | `address`, `street_address` | `pii(.streetAddress)` |
/// | `postcode`, `zipcode`, `postalcode`, `zip` | `pii(.postcode)` |
/// | `text` | `text` |
/// | anything else | `text` when the column says `"pii": false`; otherwise an error |
///
/// Personal-data sdtypes stay personal data even with `"pii": false`, because Doppel never copies
/// personal values into synthetic tables. Other sdtypes (`city`, `country_code`, `unknown`, …)
/// are personal by default in SDV and Doppel cannot fake them, so they are refused unless marked
/// `"pii": false`; all such columns are listed in one error.
enum SDVMetadata {
  /// Converts a parsed SDV document.
  /// - Parameter document: The whole JSON document.
  /// - Returns: The table's metadata.
  /// - Throws: ``DoppelError`` `invalidMetadata` or `unsupportedVersion`.
  static func read(_ document: JSONValue) throws -> TableMetadata {
    if let version = document["METADATA_SPEC_VERSION"] {
      let known = ["SINGLE_TABLE_V1", "MULTI_TABLE_V1", "V1"]
      guard let text = version.string, known.contains(text) else {
        throw DoppelError(
          .unsupportedVersion,
          "SDV METADATA_SPEC_VERSION \(version.string.map { "\"\($0)\"" } ?? version.typeName) is "
            + "not one Doppel reads; use SDV's V1 metadata (SINGLE_TABLE_V1 or V1)")
      }
    }
    if let tables = document["tables"] {
      guard case .object(let members) = tables else {
        throw DoppelError(.invalidMetadata, "SDV metadata \"tables\" must be an object of tables")
      }
      guard members.count == 1, let only = members.first else {
        throw DoppelError(
          .invalidMetadata,
          "the SDV metadata describes \(members.count) tables (\(Table.quotedList(members.map(\.key)))); "
            + "Doppel reads one table per file, so keep only the table to synthesize")
      }
      return try table(only.value, name: only.key)
    }
    return try table(document, name: nil)
  }

  private static func table(_ value: JSONValue, name: String?) throws -> TableMetadata {
    let place = name.map { " of table \"\($0)\"" } ?? ""
    guard case .object(let columnMembers)? = value["columns"] else {
      throw DoppelError(
        .invalidMetadata, "SDV metadata\(place) needs a \"columns\" object keyed by column name")
    }
    var columns: [ColumnMetadata] = []
    var problems: [String] = []
    var unfakeable: [(column: String, sdtype: String)] = []
    for (column, spec) in columnMembers {
      guard case .object = spec, let sdtype = spec["sdtype"]?.string else {
        problems.append("column \"\(column)\" needs an object with a string \"sdtype\"")
        continue
      }
      switch try kind(sdtype: sdtype, spec: spec, column: column) {
      case .some(let kind): columns.append(ColumnMetadata(name: column, kind: kind))
      case .none: unfakeable.append((column, sdtype))
      }
    }
    if !unfakeable.isEmpty {
      let sdtypes = unfakeable.map(\.sdtype).reduce(into: [String]()) {
        if !$0.contains($1) { $0.append($1) }
      }
      problems.append(
        "\(Table.quotedList(unfakeable.map(\.column))) \(unfakeable.count == 1 ? "has" : "have") "
          + "sdtype \(sdtypes.joined(separator: ", ")), personal data that Doppel cannot fake; set "
          + "\"pii\": false to keep the values as text, use a supported sdtype (email, "
          + "phone_number, ssn, name, first_name, last_name, address, postcode), or remove the "
          + "column from the file to let Doppel detect it")
    }
    if !problems.isEmpty {
      throw DoppelError(
        .invalidMetadata, "SDV metadata\(place): " + problems.joined(separator: "; "))
    }
    var primaryKey: String?
    if let key = value["primary_key"] {
      guard let text = key.string else {
        throw DoppelError(
          .invalidMetadata,
          "SDV metadata\(place): \"primary_key\" must be one column name, not \(key.typeName)")
      }
      primaryKey = text
    }
    return TableMetadata(columns: columns, primaryKey: primaryKey)
  }

  /// The Doppel kind of one SDV column, or `nil` for a personal sdtype Doppel cannot fake.
  private static func kind(sdtype: String, spec: JSONValue, column: String) throws -> ColumnKind? {
    let representation = spec["computer_representation"]?.string ?? ""
    let isIntegerRepresentation =
      representation.hasPrefix("Int") || representation.hasPrefix("UInt")
    switch sdtype {
    case "numerical":
      return .numerical(NumericalFormat(isInteger: isIntegerRepresentation))
    case "categorical":
      return .categorical
    case "boolean":
      return .boolean(BooleanSpelling(trueText: "True", falseText: "False"))
    case "datetime":
      guard let format = spec["datetime_format"]?.string else {
        return .datetime(DateTimeFormat(""))
      }
      let pattern = DateTimePattern(format)
      guard pattern.isValid else {
        throw DoppelError(
          .invalidMetadata,
          "the datetime_format \"\(format)\" is not supported"
            + (pattern.unsupportedDirective.map { " (\($0))" } ?? "")
            + "; Doppel reads %Y, %m, %d, %H, %M, %S, %f, %z and literal characters",
          context: .init(column: column))
      }
      return .datetime(DateTimeFormat(format))
    case "id":
      if isIntegerRepresentation { return .id(.integer) }
      return .id(identifierShape(regex: spec["regex_format"]?.string))
    case "text":
      return .text
    default:
      if let pii = piiKinds[sdtype] { return .pii(pii) }
      return spec["pii"]?.bool == false ? .text : nil
    }
  }

  private static let piiKinds: [String: PIIKind] = [
    "email": .email, "phone_number": .phone, "phone": .phone, "ssn": .nationalID,
    "national_id": .nationalID, "name": .personName, "first_name": .firstName,
    "last_name": .lastName, "address": .streetAddress, "street_address": .streetAddress,
    "postcode": .postcode, "zipcode": .postcode, "postalcode": .postcode, "zip": .postcode,
  ]

  /// The identifier shape a simple SDV `regex_format` describes.
  ///
  /// `PREFIX\d{N}` and `PREFIX[0-9]{N}` (with an optional `^…$` and backslash-escaped prefix
  /// characters) give `.prefixed`; a UUID pattern gives `.uuid`; anything else `.other`.
  static func identifierShape(regex: String?) -> IdentifierShape {
    guard var text = regex else { return .other }
    if text.hasPrefix("^") { text.removeFirst() }
    if text.hasSuffix("$") { text.removeLast() }
    let lower = text.lowercased()
    if lower.contains("{8}-") && lower.contains("{4}-") && lower.contains("{12}") { return .uuid }
    for digitClass in ["\\d{", "[0-9]{"] {
      guard let range = text.firstRange(of: digitClass), text.hasSuffix("}") else {
        continue
      }
      let count = text[range.upperBound..<text.index(before: text.endIndex)]
      guard let width = Int(count), width > 0, width <= 40 else { continue }
      var prefix = ""
      var escaped = false
      for character in text[..<range.lowerBound] {
        if escaped {
          prefix.append(character)
          escaped = false
        } else if character == "\\" {
          escaped = true
        } else if "[](){}*+?.|^$".contains(character) {
          return .other
        } else {
          prefix.append(character)
        }
      }
      return escaped ? .other : .prefixed(prefix: prefix, width: width)
    }
    return .other
  }
}
