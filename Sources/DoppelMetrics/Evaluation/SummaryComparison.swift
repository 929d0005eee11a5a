/// Summary statistics of every column, real beside synthetic, as a data team reads them.
public struct SummaryComparison: Sendable, Codable, Equatable {
  /// Statistics of the real table.
  public var real: [ColumnSummary]
  /// Statistics of the synthetic table.
  public var synthetic: [ColumnSummary]

  /// Creates a comparison.
  /// - Parameters:
  ///   - real: Real statistics.
  ///   - synthetic: Synthetic statistics.
  public init(real: [ColumnSummary], synthetic: [ColumnSummary]) {
    self.real = real
    self.synthetic = synthetic
  }
}

/// One column's summary statistics.
public struct ColumnSummary: Sendable, Codable, Equatable {
  /// The column name.
  public var column: String
  /// The kind name.
  public var kind: String
  /// Rows.
  public var count: Int
  /// Missing values.
  public var missing: Int
  /// Distinct non-missing values.
  public var distinct: Int
  /// Mean (numbers and dates).
  public var mean: Double?
  /// Sample standard deviation (numbers and dates).
  public var std: Double?
  /// Minimum.
  public var min: Double?
  /// 5th percentile (linear interpolation, Hyndman–Fan type 7).
  public var p5: Double?
  /// 25th percentile.
  public var p25: Double?
  /// Median.
  public var p50: Double?
  /// 75th percentile.
  public var p75: Double?
  /// 95th percentile.
  public var p95: Double?
  /// Maximum.
  public var max: Double?
  /// The most frequent categories with their shares among non-missing values.
  public var topCategories: [CategoryShare]

  /// A category and its share.
  public struct CategoryShare: Sendable, Codable, Equatable {
    /// The category label.
    public var label: String
    /// Its share of the non-missing values.
    public var share: Double

    /// Creates an entry.
    /// - Parameters:
    ///   - label: The label.
    ///   - share: Its share.
    public init(label: String, share: Double) {
      self.label = label
      self.share = share
    }
  }

  /// Creates a summary with counts only; set the other fields as they apply.
  /// - Parameters:
  ///   - column: The column name.
  ///   - kind: The kind name.
  ///   - count: Rows.
  ///   - missing: Missing values.
  ///   - distinct: Distinct values.
  public init(column: String, kind: String, count: Int, missing: Int, distinct: Int) {
    self.column = column
    self.kind = kind
    self.count = count
    self.missing = missing
    self.distinct = distinct
    self.topCategories = []
  }
}
