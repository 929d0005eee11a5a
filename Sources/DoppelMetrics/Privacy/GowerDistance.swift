import DoppelCore

/// Gower's distance between rows of tables with mixed column kinds.
///
/// Gower's general coefficient (J. C. Gower, "A general coefficient of similarity and some of its
/// properties", Biometrics 27(4), 857–871, 1971) averages one dissimilarity in [0, 1] per column:
/// - numerical and datetime columns: |a − b| / range, where the range (maximum − minimum) comes
///   from the real training table given to ``init(reference:)``. A value outside that range can
///   be further than one range away; its dissimilarity is capped at 1. A column that is constant
///   in the training table counts any difference as 1.
/// - categorical and boolean columns: 0 when the labels are equal, 1 otherwise. Labels are
///   compared as text, so two tables whose category lists are in different orders compare
///   correctly.
/// - missing values: two missing values are equal (0) and a missing value differs from any
///   present value (1). Gower's paper drops such comparisons from the average instead; counting
///   them keeps every row comparable with every other and makes distance 0 mean "identical".
///   A non-finite number counts as missing.
/// - identifier, free-text and personal-data columns are left out: their values are generated
///   fresh by design, so they say nothing about closeness.
///
/// The distance is the mean over the compared columns, so it lies in [0, 1]; 0 means the rows
/// are identical on every compared column.
public struct GowerDistance: Sendable, Equatable {
  /// How one compared column is measured.
  public enum Rule: Sendable, Equatable {
    /// min(|a − b| / range, 1), with the minimum and range of the reference table; a range of 0
    /// counts any difference as 1.
    case numeric(minimum: Double, range: Double)
    /// 0 when the labels are equal, 1 otherwise.
    case categorical
  }

  /// The compared columns, in the reference table's order.
  public let columns: [String]
  /// One rule per compared column, in the order of ``columns``.
  public let rules: [Rule]

  /// Learns the compared columns and the numeric ranges from a real table.
  /// - Parameter reference: The real training table; its numerical and datetime columns give the
  ///   ranges. A column with no present value gets a range of 0.
  public init(reference: Table) {
    var columns: [String] = []
    var rules: [Rule] = []
    for column in reference.columns {
      switch column.kind {
      case .numerical, .datetime:
        var low = Double.infinity
        var high = -Double.infinity
        if let values = column.numbers {
          for row in 0..<values.count where !column.missing[row] && values[row].isFinite {
            low = Swift.min(low, values[row])
            high = Swift.max(high, values[row])
          }
        }
        columns.append(column.name)
        rules.append(
          low <= high ? .numeric(minimum: low, range: high - low) : .numeric(minimum: 0, range: 0))
      case .categorical, .boolean:
        columns.append(column.name)
        rules.append(.categorical)
      case .id, .text, .pii:
        continue
      }
    }
    self.columns = columns
    self.rules = rules
  }

  /// The Gower distance between one row of a table and one row of another (or the same) table.
  ///
  /// This is the plain, one-pair form; ``PrivacyEvaluator`` uses a vectorised search built on the
  /// same rules.
  /// - Parameters:
  ///   - first: A table with every compared column.
  ///   - firstRow: A valid row of `first`.
  ///   - second: A table with every compared column.
  ///   - secondRow: A valid row of `second`.
  /// - Returns: The mean dissimilarity over the compared columns, in [0, 1]; 0 when there is no
  ///   compared column.
  /// - Throws: ``DoppelError`` `unknownColumn` when a table lacks a compared column,
  ///   `schemaMismatch` when a column is stored differently than in the reference table.
  public func distance(_ first: Table, row firstRow: Int, _ second: Table, row secondRow: Int)
    throws -> Double
  {
    precondition(firstRow >= 0 && firstRow < first.rowCount, "Index out of bounds")
    precondition(secondRow >= 0 && secondRow < second.rowCount, "Index out of bounds")
    guard !columns.isEmpty else { return 0 }
    var total = 0.0
    for (name, rule) in zip(columns, rules) {
      let a = try GowerDistance.column(name, of: first, for: rule)
      let b = try GowerDistance.column(name, of: second, for: rule)
      switch rule {
      case .numeric(_, let range):
        let x = GowerDistance.number(a, firstRow)
        let y = GowerDistance.number(b, secondRow)
        switch (x, y) {
        case (nil, nil): break
        case (let x?, let y?):
          if range > 0 {
            total += Swift.min(abs(x - y) / range, 1)
          } else if x != y {
            total += 1
          }
        default: total += 1
        }
      case .categorical:
        if GowerDistance.label(a, firstRow) != GowerDistance.label(b, secondRow) { total += 1 }
      }
    }
    return total / Double(columns.count)
  }

  /// The column `name` of `table`, checked against the storage `rule` needs.
  static func column(_ name: String, of table: Table, for rule: Rule) throws -> Column {
    guard let column = table[name] else {
      throw DoppelError(
        .unknownColumn,
        "the table has no column of this name; compare tables with the same columns",
        context: .init(column: name))
    }
    let needed: ColumnStorageKind
    switch rule {
    case .numeric: needed = .numbers
    case .categorical: needed = .categories
    }
    guard column.kind.storage == needed else {
      throw DoppelError(
        .schemaMismatch,
        "the column is stored as \(column.kind.storage.rawValue), not \(needed.rawValue) as in the real table",
        context: .init(column: name))
    }
    return column
  }

  private static func number(_ column: Column, _ row: Int) -> Double? {
    guard !column.missing[row], let values = column.numbers, values[row].isFinite else {
      return nil
    }
    return values[row]
  }

  private static func label(_ column: Column, _ row: Int) -> String? {
    guard !column.missing[row], let (codes, labels) = column.categories else { return nil }
    let code = Int(codes[row])
    return code >= 0 && code < labels.count ? labels[code] : nil
  }
}
