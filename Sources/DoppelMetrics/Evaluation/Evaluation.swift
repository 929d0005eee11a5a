import DoppelCore

/// Everything Doppel measured about one synthetic table: the evidence that travels with it.
///
/// Written by `doppel evaluate` as versioned JSON (sorted keys, `formatVersion` 1) and rendered by
/// `doppel report`. Other tools can rely on these keys, all numbers in [0, 1]:
/// `quality.overall`, `quality.columnShapes`, `quality.columnPairTrends`,
/// `privacy.exactCopyRate`, `privacy.dcrShareCloserToTrain` (with a holdout), and
/// `utility.tstr.f1Macro` / `utility.trtr.f1Macro` (with a label).
public struct Evaluation: Sendable, Codable, Equatable {
  /// The evaluation JSON format this version writes and reads.
  public static let currentFormatVersion = 1

  /// The format version of this evaluation.
  public var formatVersion: Int
  /// The shapes of the tables compared.
  public var dataset: DatasetInfo
  /// SDMetrics-compatible quality scores.
  public var quality: QualityScores
  /// Further fidelity measures: coverage, missing values, pMSE, statistical tests.
  public var fidelity: FidelityDetails
  /// Summary statistics of every column, real beside synthetic.
  public var summary: SummaryComparison
  /// Train-on-synthetic-test-on-real results, when a label column was given.
  public var utility: UtilityResult?
  /// Privacy measures.
  public var privacy: PrivacyResult
  /// Data for the report's charts (histograms, box plots, scatter samples, correlations).
  public var charts: ChartData
  /// What made the synthetic table, if known.
  public var modelCard: ModelCard?
  /// Seconds spent computing this evaluation.
  public var seconds: Double
  /// Seconds spent on each part (`fidelity`, `utility`, `privacy`), for finding what is slow.
  public var phaseSeconds: [String: Double]?

  /// Creates an evaluation from its parts.
  /// - Parameters:
  ///   - dataset: The shapes of the tables.
  ///   - quality: The quality scores.
  ///   - fidelity: Further fidelity measures.
  ///   - summary: Summary statistics.
  ///   - utility: Utility results, if a label was given.
  ///   - privacy: Privacy measures.
  ///   - charts: Chart data.
  ///   - modelCard: The model card, if known.
  ///   - seconds: Computation time.
  public init(
    dataset: DatasetInfo, quality: QualityScores, fidelity: FidelityDetails,
    summary: SummaryComparison, utility: UtilityResult?, privacy: PrivacyResult, charts: ChartData,
    modelCard: ModelCard?, seconds: Double
  ) {
    self.formatVersion = Evaluation.currentFormatVersion
    self.dataset = dataset
    self.quality = quality
    self.fidelity = fidelity
    self.summary = summary
    self.utility = utility
    self.privacy = privacy
    self.charts = charts
    self.modelCard = modelCard
    self.seconds = seconds
  }
}

/// The shapes of the real, synthetic and holdout tables.
public struct DatasetInfo: Sendable, Codable, Equatable {
  /// Rows of the real (training) table.
  public var realRows: Int
  /// Rows of the synthetic table.
  public var syntheticRows: Int
  /// Rows of the holdout table, if one was used.
  public var holdoutRows: Int?
  /// The columns, in order, with their kinds (`numerical`, `categorical`, …).
  public var columns: [ColumnInfo]
  /// The label column, if any.
  public var label: String?

  /// One column's name and kind.
  public struct ColumnInfo: Sendable, Codable, Equatable {
    /// The column name.
    public var name: String
    /// The kind name.
    public var kind: String

    /// Creates a column entry.
    /// - Parameters:
    ///   - name: The column name.
    ///   - kind: The kind name.
    public init(name: String, kind: String) {
      self.name = name
      self.kind = kind
    }
  }

  /// Creates dataset information.
  /// - Parameters:
  ///   - realRows: Rows of the real table.
  ///   - syntheticRows: Rows of the synthetic table.
  ///   - holdoutRows: Rows of the holdout table.
  ///   - columns: The columns.
  ///   - label: The label column.
  public init(
    realRows: Int, syntheticRows: Int, holdoutRows: Int?, columns: [ColumnInfo], label: String?
  ) {
    self.realRows = realRows
    self.syntheticRows = syntheticRows
    self.holdoutRows = holdoutRows
    self.columns = columns
    self.label = label
  }
}
