import DoppelCore

extension FidelityDetails {
  /// Measures coverage, missing values and a two-sample test for every column, and the pMSE of
  /// the whole table.
  ///
  /// Per column, in the real table's order:
  /// - every column: ``MissingValueSimilarity``;
  /// - continuous columns: ``RangeCoverage`` and the two-sample ``KolmogorovSmirnovTest``
  ///   (`test` = `KS`) on values rounded to 14 decimals, so its statistic is 1 − KSComplement;
  /// - discrete columns: ``CategoryCoverage`` and the ``ChiSquareHomogeneityTest`` over present
  ///   values (`test` = `chi-square`);
  /// - ignored columns: the missing-value similarity only.
  ///
  /// The pMSE comes from ``PropensityMSE`` with its defaults (at most 50,000 rows of each table,
  /// subsampled with `seed`).
  /// - Parameters:
  ///   - real: The real table.
  ///   - synthetic: The synthetic table, with the same columns and kinds (in any order).
  ///   - roles: Role overrides by column name.
  ///   - seed: Seeds the pMSE row subsample.
  /// - Throws: ``DoppelError`` `schemaMismatch` when the tables cannot be compared,
  ///   `unknownColumn` for a role naming no column, `invalidArgument` when no column is compared.
  public init(
    real: Table, synthetic: Table, roles: [String: ColumnRole] = [:], seed: UInt64
  ) throws {
    self.init(
      prepared: try PreparedTables(real: real, synthetic: synthetic, roles: roles), seed: seed)
  }

  init(prepared: PreparedTables, seed: UInt64) {
    let realRows = prepared.real.rowCount
    let syntheticRows = prepared.synthetic.rowCount
    var details: [ColumnFidelityDetail] = []
    for entry in prepared.columns {
      let missing =
        MissingValueSimilarity.score(
          realMissing: entry.realMissing, realRows: realRows,
          syntheticMissing: entry.syntheticMissing, syntheticRows: syntheticRows) ?? 0
      var detail = ColumnFidelityDetail(
        column: entry.name, missingValueSimilarity: missing, categoryCoverage: nil,
        rangeCoverage: nil, test: nil, statistic: nil, pValue: nil)
      switch entry.values {
      case .continuous(let a, let b):
        detail.rangeCoverage = RangeCoverage.coverage(a, b)
        detail.test = "KS"
        if let test = KolmogorovSmirnovTest(
          sorted: QualityReport.sortedRounded(a), QualityReport.sortedRounded(b))
        {
          detail.statistic = test.statistic
          detail.pValue = test.pValue
        }
      case .discrete(let a, let b, let keys):
        detail.categoryCoverage = CategoryCoverage.coverage(a, b, keyCount: keys.count)
        detail.test = "chi-square"
        var realCounts = [Int](repeating: 0, count: keys.count)
        var syntheticCounts = [Int](repeating: 0, count: keys.count)
        for code in a where code >= 0 { realCounts[Int(code)] += 1 }
        for code in b where code >= 0 { syntheticCounts[Int(code)] += 1 }
        if let test = ChiSquareHomogeneityTest(
          realCounts: realCounts, syntheticCounts: syntheticCounts)
        {
          detail.statistic = test.statistic
          detail.pValue = test.pValue
        }
      case .ignored:
        break
      }
      details.append(detail)
    }
    self.init(columns: details, pmse: PropensityMSE().score(prepared, seed: seed))
  }
}
