/// Fidelity measures beyond the quality score.
public struct FidelityDetails: Sendable, Codable, Equatable {
  /// Per-column coverage, missing-value similarity and a two-sample test.
  public var columns: [ColumnFidelityDetail]
  /// The propensity-score mean squared error and its standardized ratio (Snoke et al. 2018).
  public var pmse: PropensityScore?

  /// Creates fidelity details.
  /// - Parameters:
  ///   - columns: Per-column details.
  ///   - pmse: The pMSE result.
  public init(columns: [ColumnFidelityDetail], pmse: PropensityScore?) {
    self.columns = columns
    self.pmse = pmse
  }
}

/// One column's coverage, missing-value similarity and two-sample test.
public struct ColumnFidelityDetail: Sendable, Codable, Equatable {
  /// The column name.
  public var column: String
  /// 1 − |missing rate real − missing rate synthetic| (SDMetrics `MissingValueSimilarity`).
  public var missingValueSimilarity: Double
  /// Share of real categories that appear in the synthetic column (`CategoryCoverage`).
  public var categoryCoverage: Double?
  /// Share of the real range covered by the synthetic range (`RangeCoverage`).
  public var rangeCoverage: Double?
  /// `KS` (two-sample Kolmogorov–Smirnov) or `chi-square` (homogeneity).
  public var test: String?
  /// The test statistic.
  public var statistic: Double?
  /// The test's p-value.
  public var pValue: Double?

  /// Creates a column entry.
  /// - Parameters:
  ///   - column: The column name.
  ///   - missingValueSimilarity: The missing-value similarity.
  ///   - categoryCoverage: The category coverage.
  ///   - rangeCoverage: The range coverage.
  ///   - test: The test name.
  ///   - statistic: The statistic.
  ///   - pValue: The p-value.
  public init(
    column: String, missingValueSimilarity: Double, categoryCoverage: Double?,
    rangeCoverage: Double?, test: String?, statistic: Double?, pValue: Double?
  ) {
    self.column = column
    self.missingValueSimilarity = missingValueSimilarity
    self.categoryCoverage = categoryCoverage
    self.rangeCoverage = rangeCoverage
    self.test = test
    self.statistic = statistic
    self.pValue = pValue
  }
}

/// The propensity-score mean squared error (Woo et al. 2009; Snoke, Raab, Nowok, Dibben and
/// Slavkovic, "General and specific utility measures for synthetic data", JRSS A 181(3), 2018).
public struct PropensityScore: Sendable, Codable, Equatable {
  /// `logistic` or `cart`.
  public var model: String
  /// pMSE: mean of (p̂ᵢ − c)² with c the synthetic share; 0 is indistinguishable.
  public var pmse: Double
  /// pMSE divided by its expected value under indistinguishability; about 1 is ideal.
  public var standardizedRatio: Double
  /// 1 − 4·pMSE clipped to [0, 1], a higher-is-better form (0.25 is the largest pMSE at c = ½).
  public var score: Double
  /// When a table had more rows than this, it was subsampled to this many rows (seeded); `nil`
  /// when every row of both tables was used.
  public var subsampleSize: Int?

  /// Creates a pMSE result.
  /// - Parameters:
  ///   - model: The propensity model.
  ///   - pmse: The pMSE.
  ///   - standardizedRatio: The pMSE ratio.
  ///   - score: The higher-is-better score.
  public init(model: String, pmse: Double, standardizedRatio: Double, score: Double) {
    self.model = model
    self.pmse = pmse
    self.standardizedRatio = standardizedRatio
    self.score = score
  }
}
