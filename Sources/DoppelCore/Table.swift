/// A column-wise table: named, typed columns of equal length.
///
/// Tables are values: copying one is cheap until it is changed. Column names are unique and
/// non-empty; a table built with ``init(columns:)`` checks this.
public struct Table: Sendable, Equatable {
  /// The columns, in order.
  public private(set) var columns: [Column]
  /// The number of rows.
  public private(set) var rowCount: Int

  /// Creates a table, checking names and lengths.
  /// - Parameter columns: The columns; all must have the same length and distinct, non-empty names.
  /// - Throws: ``DoppelError`` (`emptyColumnName`, `duplicateColumnName`, `schemaMismatch`).
  public init(columns: [Column]) throws {
    var seen = Set<String>()
    for column in columns {
      if column.name.isEmpty {
        throw DoppelError(.emptyColumnName, "a column has an empty name; give every column a name")
      }
      if !seen.insert(column.name).inserted {
        throw DoppelError(
          .duplicateColumnName, "two columns are named alike; rename one of them",
          context: .init(column: column.name))
      }
    }
    let count = columns.first?.count ?? 0
    if let bad = columns.first(where: { $0.count != count }) {
      throw DoppelError(
        .schemaMismatch, "column has \(bad.count) rows but the first column has \(count)",
        context: .init(column: bad.name))
    }
    self.columns = columns
    self.rowCount = count
  }

  /// The column names, in order.
  public var columnNames: [String] { columns.map(\.name) }

  /// The column called `name`, if there is one.
  public subscript(name: String) -> Column? {
    columns.first { $0.name == name }
  }

  /// The position of the column called `name`, if there is one.
  /// - Parameter name: A column name.
  /// - Returns: Its index in ``columns``.
  public func index(of name: String) -> Int? {
    columns.firstIndex { $0.name == name }
  }

  /// The rows at `indices`, in that order, with every column.
  /// - Parameter indices: Row positions to keep.
  /// - Returns: A table with one row per index.
  public func selectingRows(_ indices: [Int]) -> Table {
    // Selecting rows keeps lengths equal and names unique, so the checks cannot fail.
    Table(unchecked: columns.map { $0.selecting(indices) }, rowCount: indices.count)
  }

  /// The rows in `range`.
  /// - Parameter range: Row positions to keep.
  /// - Returns: A table with the rows of `range`.
  public func slice(_ range: Range<Int>) -> Table {
    selectingRows(Array(range))
  }

  /// Appends the rows of a table with the same schema.
  ///
  /// Categorical codes are remapped when the two tables have different category lists.
  /// - Parameter other: A table with the same column names and kinds, in the same order.
  /// - Throws: ``DoppelError`` `schemaMismatch` if the schemas differ.
  public mutating func append(_ other: Table) throws {
    guard other.columns.count == columns.count else {
      throw DoppelError(
        .schemaMismatch,
        "cannot append a table with \(other.columns.count) columns to one with \(columns.count)")
    }
    var merged: [Column] = []
    merged.reserveCapacity(columns.count)
    for (mine, theirs) in zip(columns, other.columns) {
      guard mine.name == theirs.name, mine.kind == theirs.kind else {
        throw DoppelError(
          .schemaMismatch, "column names or kinds differ between the tables",
          context: .init(column: mine.name))
      }
      var column = mine
      switch (mine.values, theirs.values) {
      case (.numbers(var a), .numbers(let b)):
        a.append(contentsOf: b)
        column.values = .numbers(a)
      case (.strings(var a), .strings(let b)):
        a.append(contentsOf: b)
        column.values = .strings(a)
      case (.categories(var codes, var labels), .categories(let otherCodes, let otherLabels)):
        if labels == otherLabels {
          codes.append(contentsOf: otherCodes)
        } else {
          var position = Dictionary(
            uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
          var remap: [Int32] = []
          for label in otherLabels {
            if let code = position[label] {
              remap.append(code)
            } else {
              let code = Int32(labels.count)
              labels.append(label)
              position[label] = code
              remap.append(code)
            }
          }
          codes.append(contentsOf: otherCodes.map { remap[Int($0)] })
        }
        column.values = .categories(codes: codes, categories: labels)
      default:
        throw DoppelError(
          .schemaMismatch, "column layouts differ between the tables",
          context: .init(column: mine.name))
      }
      column.missing.append(contentsOf: theirs.missing)
      merged.append(column)
    }
    self.columns = merged
    self.rowCount += other.rowCount
  }

  private init(unchecked columns: [Column], rowCount: Int) {
    self.columns = columns
    self.rowCount = rowCount
  }
}
