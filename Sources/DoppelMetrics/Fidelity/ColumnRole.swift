import DoppelCore

/// How the fidelity metrics treat a column: compared as a continuous distribution, as discrete
/// categories, or left out.
///
/// The role follows SDMetrics' split of SDV sdtypes (SDMetrics 0.32, `sdmetrics.reports.utils`):
/// `numerical` and `datetime` columns are continuous (KSComplement, CorrelationSimilarity),
/// `categorical`, `boolean` and `ordinal` columns are discrete (TVComplement,
/// ContingencySimilarity), and identifiers, free text and personal data are left out because a
/// synthesizer generates them fresh by design.
///
/// Pass a `[String: ColumnRole]` map to override the role of named columns; for example SDV's
/// `ordinal` sdtype (whole numbers with few distinct values) is ``discrete`` even when Doppel
/// detected the column as numerical.
public enum ColumnRole: String, Sendable, Codable, CaseIterable {
  /// A distribution of numbers (datetimes as seconds since 1970).
  case continuous
  /// A set of categories; category labels that are all numbers are compared as numbers, as pandas
  /// reads them, so `1` and `1.0` are the same value.
  case discrete
  /// Left out of every metric except the missing-value similarity.
  case ignored

  /// The default role of a column kind.
  ///
  /// `numerical` and `datetime` are continuous; `categorical` and `boolean` are discrete; `id`,
  /// `text` and `pii` are ignored.
  /// - Parameter kind: A column kind.
  public init(kind: ColumnKind) {
    switch kind {
    case .numerical, .datetime: self = .continuous
    case .categorical, .boolean: self = .discrete
    case .id, .text, .pii: self = .ignored
    }
  }

  /// The role of every column of a table, in column order: the default of its kind unless
  /// `overrides` names it.
  /// - Parameters:
  ///   - table: The table whose columns get roles.
  ///   - overrides: Roles for named columns; every name must be a column of `table`.
  /// - Returns: One role per column, in table order.
  /// - Throws: ``DoppelError`` `unknownColumn` when `overrides` names a column that is not in the
  ///   table (all such names are listed).
  public static func roles(for table: Table, overrides: [String: ColumnRole] = [:]) throws
    -> [ColumnRole]
  {
    let names = Set(table.columnNames)
    let unknown = overrides.keys.filter { !names.contains($0) }.sorted()
    if let first = unknown.first {
      let list = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
      throw DoppelError(
        .unknownColumn,
        "column roles name \(list), which the table does not have; check the spelling",
        context: .init(column: first))
    }
    return table.columns.map { overrides[$0.name] ?? ColumnRole(kind: $0.kind) }
  }
}
