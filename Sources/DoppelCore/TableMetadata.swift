/// What Doppel knows about a table: each column's kind and profile, and the primary key.
///
/// Metadata is detected from the data by ``MetadataDetector``, saved as editable JSON (sorted
/// keys, `formatVersion` 1) and read back with ``TableMetadata/decode(from:)``; SDV's
/// single-table metadata JSON is accepted too. Wherever a command takes `--metadata`, the file's
/// choices override detection.
public struct TableMetadata: Sendable, Equatable, Codable {
  /// The metadata JSON format this version writes and reads.
  public static let formatVersion = 1

  /// The columns, in table order.
  public var columns: [ColumnMetadata]
  /// The column that identifies rows, if any; it must be an `id` column.
  public var primaryKey: String?
  /// The number of data rows seen when the metadata was detected.
  public var rowCount: Int?
  /// The column a utility model predicts (the label or target), if one is declared.
  public var label: String?

  /// Creates metadata.
  /// - Parameters:
  ///   - columns: One entry per column, in table order.
  ///   - primaryKey: The primary key column, if any.
  ///   - rowCount: The number of rows profiled.
  public init(columns: [ColumnMetadata], primaryKey: String? = nil, rowCount: Int? = nil) {
    self.columns = columns
    self.primaryKey = primaryKey
    self.rowCount = rowCount
  }

  /// The column names, in order.
  public var columnNames: [String] { columns.map(\.name) }

  /// The entry for `name`, if any.
  public subscript(name: String) -> ColumnMetadata? {
    columns.first { $0.name == name }
  }

  private enum CodingKeys: String, CodingKey {
    case formatVersion, columns, primaryKey, rowCount, label
  }

  /// Reads metadata JSON written by ``encode(to:)``.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `unsupportedVersion` for a newer file.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let version = try container.decodeIfPresent(Int.self, forKey: .formatVersion) ?? 1
    if version > TableMetadata.formatVersion {
      throw DoppelError(
        .unsupportedVersion,
        "metadata formatVersion \(version) is newer than this Doppel reads (\(TableMetadata.formatVersion)); upgrade Doppel"
      )
    }
    columns = try container.decode([ColumnMetadata].self, forKey: .columns)
    primaryKey = try container.decodeIfPresent(String.self, forKey: .primaryKey)
    rowCount = try container.decodeIfPresent(Int.self, forKey: .rowCount)
    label = try container.decodeIfPresent(String.self, forKey: .label)
  }

  /// Writes metadata JSON with its `formatVersion`.
  /// - Parameter encoder: The encoder.
  /// - Throws: Any error the encoder throws.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(TableMetadata.formatVersion, forKey: .formatVersion)
    try container.encode(columns, forKey: .columns)
    try container.encodeIfPresent(primaryKey, forKey: .primaryKey)
    try container.encodeIfPresent(rowCount, forKey: .rowCount)
    try container.encodeIfPresent(label, forKey: .label)
  }
}

/// One column's kind and profile.
public struct ColumnMetadata: Sendable, Equatable, Codable {
  /// The column name.
  public var name: String
  /// What the column holds.
  public var kind: ColumnKind
  /// The share of rows whose value is missing, in [0, 1], as profiled.
  public var missingRate: Double?
  /// The number of distinct non-missing values, as profiled (a lower bound when capped).
  public var distinctCount: Int?

  /// Creates a column entry.
  /// - Parameters:
  ///   - name: The column name.
  ///   - kind: What the column holds.
  ///   - missingRate: The share of missing rows.
  ///   - distinctCount: The number of distinct values.
  public init(name: String, kind: ColumnKind, missingRate: Double? = nil, distinctCount: Int? = nil)
  {
    self.name = name
    self.kind = kind
    self.missingRate = missingRate
    self.distinctCount = distinctCount
  }

  private enum CodingKeys: String, CodingKey {
    case name, type, integer, decimals, trueValue, falseValue, format, shape, prefix, width, pii
    case missingRate, distinctCount
  }

  /// Reads a column entry such as `{"name": "age", "type": "numerical", "integer": true}`.
  /// - Parameter decoder: The decoder.
  /// - Throws: ``DoppelError`` `invalidMetadata` for an unknown type or a missing option.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    missingRate = try c.decodeIfPresent(Double.self, forKey: .missingRate)
    distinctCount = try c.decodeIfPresent(Int.self, forKey: .distinctCount)
    let type = try c.decode(String.self, forKey: .type)
    switch type {
    case "numerical":
      let isInteger = try c.decodeIfPresent(Bool.self, forKey: .integer) ?? false
      let decimals = try c.decodeIfPresent(Int.self, forKey: .decimals)
      kind = .numerical(NumericalFormat(isInteger: isInteger, decimals: decimals))
    case "categorical":
      kind = .categorical
    case "boolean":
      let yes = try c.decodeIfPresent(String.self, forKey: .trueValue) ?? "true"
      let no = try c.decodeIfPresent(String.self, forKey: .falseValue) ?? "false"
      kind = .boolean(BooleanSpelling(trueText: yes, falseText: no))
    case "datetime":
      let format =
        try c.decodeIfPresent(String.self, forKey: .format) ?? DateTimeFormat.isoDate.pattern
      kind = .datetime(DateTimeFormat(format))
    case "id":
      switch try c.decodeIfPresent(String.self, forKey: .shape) ?? "other" {
      case "integer": kind = .id(.integer)
      case "uuid": kind = .id(.uuid)
      case "prefixed":
        let prefix = try c.decodeIfPresent(String.self, forKey: .prefix) ?? ""
        let width = try c.decodeIfPresent(Int.self, forKey: .width) ?? 1
        kind = .id(.prefixed(prefix: prefix, width: max(1, width)))
      case "other": kind = .id(.other)
      case let other:
        throw DoppelError(
          .invalidMetadata,
          "unknown id shape \"\(other)\"; use integer, prefixed, uuid or other",
          context: .init(column: name))
      }
    case "text":
      kind = .text
    case "pii":
      let raw = try c.decodeIfPresent(String.self, forKey: .pii) ?? ""
      guard let pii = PIIKind(rawValue: raw) else {
        throw DoppelError(
          .invalidMetadata,
          "unknown pii kind; use one of \(PIIKind.allCases.map(\.rawValue).joined(separator: ", "))",
          context: .init(column: name))
      }
      kind = .pii(pii)
    default:
      throw DoppelError(
        .invalidMetadata,
        "unknown column type \"\(type)\"; use numerical, categorical, boolean, datetime, id, text or pii",
        context: .init(column: name))
    }
  }

  /// Writes the column entry with flat, editable keys.
  /// - Parameter encoder: The encoder.
  /// - Throws: Any error the encoder throws.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(name, forKey: .name)
    try c.encode(kind.name, forKey: .type)
    try c.encodeIfPresent(missingRate, forKey: .missingRate)
    try c.encodeIfPresent(distinctCount, forKey: .distinctCount)
    switch kind {
    case .numerical(let format):
      try c.encode(format.isInteger, forKey: .integer)
      if !format.isInteger { try c.encodeIfPresent(format.decimals, forKey: .decimals) }
    case .categorical, .text:
      break
    case .boolean(let spelling):
      try c.encode(spelling.trueText, forKey: .trueValue)
      try c.encode(spelling.falseText, forKey: .falseValue)
    case .datetime(let format):
      try c.encode(format.pattern, forKey: .format)
    case .id(let shape):
      switch shape {
      case .integer: try c.encode("integer", forKey: .shape)
      case .uuid: try c.encode("uuid", forKey: .shape)
      case .other: try c.encode("other", forKey: .shape)
      case .prefixed(let prefix, let width):
        try c.encode("prefixed", forKey: .shape)
        try c.encode(prefix, forKey: .prefix)
        try c.encode(width, forKey: .width)
      }
    case .pii(let pii):
      try c.encode(pii.rawValue, forKey: .pii)
    }
  }
}
