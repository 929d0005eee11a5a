/// The values of one column, in one of three physical layouts.
public enum ColumnValues: Sendable, Equatable {
  /// Numbers (numerical values, or datetimes as seconds since 1970-01-01T00:00:00Z).
  case numbers([Double])
  /// Dictionary codes into `categories`; a code is an index into that list.
  case categories(codes: [Int32], categories: [String])
  /// Text values (identifiers, free text, personal data).
  case strings([String])

  /// The number of rows.
  public var count: Int {
    switch self {
    case .numbers(let values): return values.count
    case .categories(let codes, _): return codes.count
    case .strings(let values): return values.count
    }
  }

  /// The layout of these values.
  public var storage: ColumnStorageKind {
    switch self {
    case .numbers: return .numbers
    case .categories: return .categories
    case .strings: return .strings
    }
  }
}

/// One named, typed column of a ``Table`` with an explicit missing mask.
///
/// In a missing row the value array holds a placeholder (0, code 0 or `""`) that carries no
/// meaning; always check ``missing`` first.
public struct Column: Sendable, Equatable {
  /// The column's name, unique within its table.
  public var name: String
  /// What the column holds.
  public var kind: ColumnKind
  /// The stored values.
  public var values: ColumnValues
  /// Which rows are missing.
  public var missing: MissingMask

  /// Creates a column, checking that the layout fits the kind and the mask fits the values.
  /// - Parameters:
  ///   - name: The column's name.
  ///   - kind: What the column holds.
  ///   - values: The values, in the layout that `kind` requires.
  ///   - missing: The missing mask; `nil` means no value is missing.
  /// - Throws: ``DoppelError`` with code `schemaMismatch` when the layout or length is wrong.
  public init(name: String, kind: ColumnKind, values: ColumnValues, missing: MissingMask? = nil)
    throws
  {
    guard kind.storage == values.storage else {
      throw DoppelError(
        .schemaMismatch,
        "a \(kind.name) column needs \(kind.storage.rawValue) values, not \(values.storage.rawValue)",
        context: .init(column: name))
    }
    let mask = missing ?? MissingMask(count: values.count)
    guard mask.count == values.count else {
      throw DoppelError(
        .schemaMismatch,
        "the missing mask has \(mask.count) rows but the values have \(values.count)",
        context: .init(column: name))
    }
    self.name = name
    self.kind = kind
    self.values = values
    self.missing = mask
  }

  /// The number of rows.
  public var count: Int { values.count }

  /// The column's numbers, or `nil` if it is not stored as numbers.
  public var numbers: [Double]? {
    if case .numbers(let values) = values { return values }
    return nil
  }

  /// The column's codes and labels, or `nil` if it is not stored as categories.
  public var categories: (codes: [Int32], labels: [String])? {
    if case .categories(let codes, let labels) = values { return (codes, labels) }
    return nil
  }

  /// The column's strings, or `nil` if it is not stored as strings.
  public var strings: [String]? {
    if case .strings(let values) = values { return values }
    return nil
  }

  /// The rows at `indices`, in that order.
  /// - Parameter indices: Row positions to keep; each must be valid.
  /// - Returns: A column with one row per index and the same name, kind and categories.
  public func selecting(_ indices: some Collection<Int>) -> Column {
    var copy = self
    switch values {
    case .numbers(let values): copy.values = .numbers(indices.map { values[$0] })
    case .categories(let codes, let labels):
      copy.values = .categories(codes: indices.map { codes[$0] }, categories: labels)
    case .strings(let values): copy.values = .strings(indices.map { values[$0] })
    }
    copy.missing = missing.selecting(indices)
    return copy
  }
}
