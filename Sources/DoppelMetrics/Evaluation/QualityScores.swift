/// SDMetrics-compatible quality scores (SDV 2.0 / SDMetrics 0.32 `QualityReport`).
///
/// Column Shapes is the mean of per-column KSComplement (continuous) or TVComplement (discrete);
/// Column Pair Trends is the mean of CorrelationSimilarity (numeric pairs whose real |r| > 0.5)
/// and ContingencySimilarity (pairs whose real Cramér's V > 0.3); the overall score is their mean.
public struct QualityScores: Sendable, Codable, Equatable {
  /// The overall quality score in [0, 1].
  public var overall: Double
  /// The mean column-shape score in [0, 1].
  public var columnShapes: Double
  /// The mean pair-trend score over pairs meeting the thresholds, or `nil` when none does.
  public var columnPairTrends: Double?
  /// The mean pair-trend score over all pairs (no threshold, older SDMetrics behaviour).
  public var columnPairTrendsAllPairs: Double?
  /// Per-column shape scores.
  public var columns: [ColumnShape]
  /// Per-pair trend scores.
  public var pairs: [PairTrend]

  /// One column's shape score.
  public struct ColumnShape: Sendable, Codable, Equatable {
    /// The column name.
    public var column: String
    /// `KSComplement` or `TVComplement`.
    public var metric: String
    /// The score in [0, 1], or `nil` when undefined.
    public var score: Double?

    /// Creates an entry.
    /// - Parameters:
    ///   - column: The column name.
    ///   - metric: The metric used.
    ///   - score: The score.
    public init(column: String, metric: String, score: Double?) {
      self.column = column
      self.metric = metric
      self.score = score
    }
  }

  /// One column pair's trend score.
  public struct PairTrend: Sendable, Codable, Equatable {
    /// The first column (earlier in the table).
    public var column1: String
    /// The second column.
    public var column2: String
    /// `CorrelationSimilarity` or `ContingencySimilarity`.
    public var metric: String
    /// The score in [0, 1], or `nil` when undefined.
    public var score: Double?
    /// The real Pearson correlation (numeric pairs).
    public var realCorrelation: Double?
    /// The synthetic Pearson correlation (numeric pairs).
    public var syntheticCorrelation: Double?
    /// The real Cramér's V (contingency pairs).
    public var realCramersV: Double?
    /// Whether the pair counts in ``QualityScores/columnPairTrends``.
    public var meetsThreshold: Bool

    /// Creates an entry.
    /// - Parameters:
    ///   - column1: The first column.
    ///   - column2: The second column.
    ///   - metric: The metric used.
    ///   - score: The score.
    ///   - realCorrelation: The real correlation.
    ///   - syntheticCorrelation: The synthetic correlation.
    ///   - realCramersV: The real Cramér's V.
    ///   - meetsThreshold: Whether the pair counts.
    public init(
      column1: String, column2: String, metric: String, score: Double?, realCorrelation: Double?,
      syntheticCorrelation: Double?, realCramersV: Double?, meetsThreshold: Bool
    ) {
      self.column1 = column1
      self.column2 = column2
      self.metric = metric
      self.score = score
      self.realCorrelation = realCorrelation
      self.syntheticCorrelation = syntheticCorrelation
      self.realCramersV = realCramersV
      self.meetsThreshold = meetsThreshold
    }
  }

  /// Creates quality scores.
  /// - Parameters:
  ///   - overall: The overall score.
  ///   - columnShapes: The column-shape score.
  ///   - columnPairTrends: The thresholded pair-trend score.
  ///   - columnPairTrendsAllPairs: The all-pairs trend score.
  ///   - columns: Per-column scores.
  ///   - pairs: Per-pair scores.
  public init(
    overall: Double, columnShapes: Double, columnPairTrends: Double?,
    columnPairTrendsAllPairs: Double?, columns: [ColumnShape], pairs: [PairTrend]
  ) {
    self.overall = overall
    self.columnShapes = columnShapes
    self.columnPairTrends = columnPairTrends
    self.columnPairTrendsAllPairs = columnPairTrendsAllPairs
    self.columns = columns
    self.pairs = pairs
  }
}
