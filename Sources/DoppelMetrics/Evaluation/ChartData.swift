/// The data behind the report's charts, computed from the tables so the report needs only the
/// evaluation file.
public struct ChartData: Sendable, Codable, Equatable {
  /// One distribution chart per column (histogram or bars).
  public var distributions: [Distribution]
  /// Scatter samples of the most correlated numeric pairs, real beside synthetic.
  public var scatters: [Scatter]
  /// Correlation matrices (Pearson, numeric columns) of the real and synthetic tables.
  public var correlations: Correlations?
  /// The most rows drawn from each table for scatter plots.
  public var scatterSampleSize: Int

  /// Creates chart data.
  /// - Parameters:
  ///   - distributions: Distribution charts.
  ///   - scatters: Scatter samples.
  ///   - correlations: Correlation matrices.
  ///   - scatterSampleSize: Rows sampled for scatter plots.
  public init(
    distributions: [Distribution], scatters: [Scatter], correlations: Correlations?,
    scatterSampleSize: Int
  ) {
    self.distributions = distributions
    self.scatters = scatters
    self.correlations = correlations
    self.scatterSampleSize = scatterSampleSize
  }

  /// A column's distribution: histogram bins for numbers, bars for categories, and box-plot
  /// statistics for numbers.
  public struct Distribution: Sendable, Codable, Equatable {
    /// The column name.
    public var column: String
    /// `histogram` or `bars`.
    public var chart: String
    /// Bin edges (histogram: count + 1 edges) or category labels (bars).
    public var labels: [String]
    /// Bin edges as numbers (histogram only).
    public var edges: [Double]?
    /// Real shares per bin or category (sum to 1 over non-missing values).
    public var real: [Double]
    /// Synthetic shares per bin or category.
    public var synthetic: [Double]
    /// Box-plot statistics of the real column (numbers only).
    public var realBox: BoxStats?
    /// Box-plot statistics of the synthetic column (numbers only).
    public var syntheticBox: BoxStats?

    /// Creates a distribution chart.
    /// - Parameters:
    ///   - column: The column.
    ///   - chart: `histogram` or `bars`.
    ///   - labels: Bin or category labels.
    ///   - edges: Numeric bin edges.
    ///   - real: Real shares.
    ///   - synthetic: Synthetic shares.
    ///   - realBox: Real box-plot statistics.
    ///   - syntheticBox: Synthetic box-plot statistics.
    public init(
      column: String, chart: String, labels: [String], edges: [Double]?, real: [Double],
      synthetic: [Double], realBox: BoxStats?, syntheticBox: BoxStats?
    ) {
      self.column = column
      self.chart = chart
      self.labels = labels
      self.edges = edges
      self.real = real
      self.synthetic = synthetic
      self.realBox = realBox
      self.syntheticBox = syntheticBox
    }
  }

  /// Five-number summary with Tukey whiskers (1.5 IQR).
  public struct BoxStats: Sendable, Codable, Equatable {
    /// Lower whisker.
    public var lowerWhisker: Double
    /// First quartile.
    public var q1: Double
    /// Median.
    public var median: Double
    /// Third quartile.
    public var q3: Double
    /// Upper whisker.
    public var upperWhisker: Double

    /// Creates box statistics.
    /// - Parameters:
    ///   - lowerWhisker: Lower whisker.
    ///   - q1: First quartile.
    ///   - median: Median.
    ///   - q3: Third quartile.
    ///   - upperWhisker: Upper whisker.
    public init(lowerWhisker: Double, q1: Double, median: Double, q3: Double, upperWhisker: Double)
    {
      self.lowerWhisker = lowerWhisker
      self.q1 = q1
      self.median = median
      self.q3 = q3
      self.upperWhisker = upperWhisker
    }
  }

  /// Sampled points of a numeric pair in both tables.
  public struct Scatter: Sendable, Codable, Equatable {
    /// The x column.
    public var x: String
    /// The y column.
    public var y: String
    /// The real correlation.
    public var realCorrelation: Double
    /// Real points as [x, y] pairs.
    public var real: [[Double]]
    /// Synthetic points as [x, y] pairs.
    public var synthetic: [[Double]]

    /// Creates a scatter sample.
    /// - Parameters:
    ///   - x: The x column.
    ///   - y: The y column.
    ///   - realCorrelation: The real correlation.
    ///   - real: Real points.
    ///   - synthetic: Synthetic points.
    public init(
      x: String, y: String, realCorrelation: Double, real: [[Double]], synthetic: [[Double]]
    ) {
      self.x = x
      self.y = y
      self.realCorrelation = realCorrelation
      self.real = real
      self.synthetic = synthetic
    }
  }

  /// Pearson correlation matrices of the numeric columns.
  public struct Correlations: Sendable, Codable, Equatable {
    /// The numeric columns, in order.
    public var columns: [String]
    /// Real correlations, row-major.
    public var real: [Double]
    /// Synthetic correlations, row-major.
    public var synthetic: [Double]

    /// Creates correlation matrices.
    /// - Parameters:
    ///   - columns: The columns.
    ///   - real: Real correlations.
    ///   - synthetic: Synthetic correlations.
    public init(columns: [String], real: [Double], synthetic: [Double]) {
      self.columns = columns
      self.real = real
      self.synthetic = synthetic
    }
  }
}
