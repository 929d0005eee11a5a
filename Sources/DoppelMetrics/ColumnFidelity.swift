import DoppelCore

/// A short per-column fidelity table: the shape score of each column and its missing-rate gap.
///
/// Continuous columns (numerical, datetime) are scored with ``KSComplement``, discrete ones
/// (categorical, boolean) with ``TVComplement``; identifiers, text and personal data get no shape
/// score because their values are generated fresh by design.
public struct ColumnFidelity: Sendable, Codable, Equatable {
  /// One column's scores.
  public struct Entry: Sendable, Codable, Equatable {
    /// The column name.
    public var column: String
    /// The column kind (`numerical`, `categorical`, …).
    public var kind: String
    /// The metric used for the shape score, or `nil` when none applies.
    public var metric: String?
    /// The shape score in [0, 1], higher is better.
    public var score: Double?
    /// The real table's share of missing values.
    public var realMissingRate: Double
    /// The synthetic table's share of missing values.
    public var syntheticMissingRate: Double
    /// |real − synthetic| missing rate.
    public var missingRateDifference: Double
  }

  /// One entry per column, in table order.
  public var columns: [Entry]
  /// The mean shape score over the scored columns, or `nil` when none is scored.
  public var averageScore: Double?

  /// Compares two tables with the same columns.
  /// - Parameters:
  ///   - real: The real table.
  ///   - synthetic: The synthetic table.
  /// - Throws: ``DoppelError`` `schemaMismatch` when the columns differ in names or kinds.
  public init(real: Table, synthetic: Table) throws {
    guard real.columnNames == synthetic.columnNames else {
      throw DoppelError(.schemaMismatch, "the real and synthetic tables have different columns")
    }
    var entries: [Entry] = []
    for (r, s) in zip(real.columns, synthetic.columns) {
      guard r.kind.storage == s.kind.storage else {
        throw DoppelError(
          .schemaMismatch, "the column has different types in the two tables",
          context: .init(column: r.name))
      }
      var metric: String?
      var score: Double?
      switch r.kind {
      case .numerical, .datetime:
        metric = KSComplement().id
        score = KSComplement().score(real: r, synthetic: s)
      case .categorical, .boolean:
        metric = TVComplement().id
        score = TVComplement().score(real: r, synthetic: s)
      case .id, .text, .pii:
        break
      }
      let rm = r.count > 0 ? Double(r.missing.missingCount) / Double(r.count) : 0
      let sm = s.count > 0 ? Double(s.missing.missingCount) / Double(s.count) : 0
      entries.append(
        Entry(
          column: r.name, kind: r.kind.name, metric: metric, score: score, realMissingRate: rm,
          syntheticMissingRate: sm, missingRateDifference: abs(rm - sm)))
    }
    columns = entries
    let scores = entries.compactMap(\.score)
    averageScore = scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
  }
}
