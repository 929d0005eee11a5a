/// What a column holds, with only the options valid for that kind.
///
/// The kind decides how a column is stored in a ``Table``, how a synthesizer models it and how it
/// is written back to text. It is detected by ``MetadataDetector`` and can be edited in the
/// metadata JSON.
public enum ColumnKind: Sendable, Equatable, Hashable {
  /// Numbers, stored as `Double`; integers stay integers and decimals keep their precision.
  case numerical(NumericalFormat)
  /// A small set of labels, stored as dictionary codes.
  case categorical
  /// Two values with their original spellings, stored as categorical codes.
  case boolean(BooleanSpelling)
  /// Points in time, stored as seconds since 1970-01-01T00:00:00Z, written in their format.
  case datetime(DateTimeFormat)
  /// A unique identifier; synthetic tables get fresh, unique values of the same shape.
  case id(IdentifierShape)
  /// Free text with too many distinct values to be a category; stored as strings.
  case text
  /// Personal data (e-mail, phone, name, …); synthetic tables get realistic fake values.
  case pii(PIIKind)

  /// The name used in metadata JSON: `numerical`, `categorical`, `boolean`, `datetime`, `id`,
  /// `text` or `pii`.
  public var name: String {
    switch self {
    case .numerical: return "numerical"
    case .categorical: return "categorical"
    case .boolean: return "boolean"
    case .datetime: return "datetime"
    case .id: return "id"
    case .text: return "text"
    case .pii: return "pii"
    }
  }

  /// How values of this kind are stored in a ``Column``.
  public var storage: ColumnStorageKind {
    switch self {
    case .numerical, .datetime: return .numbers
    case .categorical, .boolean: return .categories
    case .id, .text, .pii: return .strings
    }
  }
}

/// The three physical layouts of a ``Column``.
public enum ColumnStorageKind: String, Sendable, Codable {
  /// `[Double]` values.
  case numbers
  /// `[Int32]` codes into a list of category labels.
  case categories
  /// `[String]` values.
  case strings
}

/// How numbers of a numerical column are written.
public struct NumericalFormat: Sendable, Equatable, Hashable, Codable {
  /// Whether every value is a whole number; synthetic values are then rounded.
  public var isInteger: Bool
  /// The most digits after the decimal point seen, or `nil` to write full precision.
  public var decimals: Int?

  /// Creates a format.
  /// - Parameters:
  ///   - isInteger: Whether values are whole numbers.
  ///   - decimals: Digits after the decimal point, or `nil` for full precision.
  public init(isInteger: Bool, decimals: Int? = nil) {
    self.isInteger = isInteger
    self.decimals = isInteger ? 0 : decimals
  }
}

/// The two spellings of a boolean column, such as `yes`/`no` or `1`/`0`.
public struct BooleanSpelling: Sendable, Equatable, Hashable, Codable {
  /// How `true` is written.
  public var trueText: String
  /// How `false` is written.
  public var falseText: String

  /// Creates a spelling.
  /// - Parameters:
  ///   - trueText: How `true` is written.
  ///   - falseText: How `false` is written.
  public init(trueText: String, falseText: String) {
    self.trueText = trueText
    self.falseText = falseText
  }
}

/// The shape of identifier values, so fresh ones look like the originals.
public enum IdentifierShape: Sendable, Equatable, Hashable {
  /// Whole numbers; synthetic rows are numbered from 1.
  case integer
  /// A fixed prefix then a zero-padded number, such as `P-000123`.
  case prefixed(prefix: String, width: Int)
  /// Random version-4 UUIDs.
  case uuid
  /// Any other text; synthetic values are `id-` and a number.
  case other
}

/// The kinds of personal data Doppel recognises and replaces with fake values.
public enum PIIKind: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
  /// E-mail addresses.
  case email
  /// Telephone numbers.
  case phone
  /// National identity numbers such as a US SSN (`123-45-6789`).
  case nationalID = "national_id"
  /// Full person names, such as `Jane Smith`.
  case personName = "person_name"
  /// First (given) names.
  case firstName = "first_name"
  /// Last (family) names.
  case lastName = "last_name"
  /// Street addresses, such as `12 High Street`.
  case streetAddress = "street_address"
  /// Postal codes.
  case postcode
}
