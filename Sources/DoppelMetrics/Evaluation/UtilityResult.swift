/// Machine-learning utility: models trained on synthetic data and tested on real holdout data
/// (TSTR) beside models trained on real data (TRTR) (Esteban, Hyland and Rätsch 2017; Jordon et
/// al. 2022).
public struct UtilityResult: Sendable, Codable, Equatable {
  /// The label column.
  public var label: String
  /// `classification` or `regression`.
  public var task: String
  /// The learner, such as `random-forest`.
  public var model: String
  /// Rows of the real test set.
  public var testRows: Int
  /// Trained on synthetic, tested on real.
  public var tstr: ModelScores
  /// Trained on real, tested on real.
  public var trtr: ModelScores
  /// Variable importance of both models.
  public var importance: [FeatureImportance]
  /// Spearman rank correlation between the TSTR and TRTR permutation importances.
  public var importanceRankCorrelation: Double?
  /// Rows each forest was trained on when a table was larger than the utility row limit and a
  /// seeded sample of it was used; `nil` when every row was used.
  public var sampledTrainingRows: Int?

  /// Creates a utility result.
  /// - Parameters:
  ///   - label: The label column.
  ///   - task: The task.
  ///   - model: The learner.
  ///   - testRows: Test rows.
  ///   - tstr: TSTR scores.
  ///   - trtr: TRTR scores.
  ///   - importance: Variable importance.
  ///   - importanceRankCorrelation: The rank correlation of importances.
  public init(
    label: String, task: String, model: String, testRows: Int, tstr: ModelScores,
    trtr: ModelScores, importance: [FeatureImportance], importanceRankCorrelation: Double?
  ) {
    self.label = label
    self.task = task
    self.model = model
    self.testRows = testRows
    self.tstr = tstr
    self.trtr = trtr
    self.importance = importance
    self.importanceRankCorrelation = importanceRankCorrelation
  }
}

/// Scores of one model on the real test set.
public struct ModelScores: Sendable, Codable, Equatable {
  /// Accuracy (classification).
  public var accuracy: Double?
  /// Macro-averaged F1 (classification).
  public var f1Macro: Double?
  /// Area under the ROC curve (binary classification).
  public var rocAUC: Double?
  /// Coefficient of determination (regression).
  public var r2: Double?
  /// Mean absolute error (regression).
  public var mae: Double?

  /// Creates scores; set those that apply.
  /// - Parameters:
  ///   - accuracy: Accuracy.
  ///   - f1Macro: Macro F1.
  ///   - rocAUC: ROC AUC.
  ///   - r2: R².
  ///   - mae: Mean absolute error.
  public init(
    accuracy: Double? = nil, f1Macro: Double? = nil, rocAUC: Double? = nil, r2: Double? = nil,
    mae: Double? = nil
  ) {
    self.accuracy = accuracy
    self.f1Macro = f1Macro
    self.rocAUC = rocAUC
    self.r2 = r2
    self.mae = mae
  }
}

/// One feature's importance in the TSTR and TRTR models.
public struct FeatureImportance: Sendable, Codable, Equatable {
  /// The feature column.
  public var column: String
  /// Mean decrease in impurity, TSTR model (normalized to sum to 1).
  public var tstrImpurity: Double
  /// Mean decrease in impurity, TRTR model.
  public var trtrImpurity: Double
  /// Permutation importance on the real test set, TSTR model.
  public var tstrPermutation: Double
  /// Permutation importance on the real test set, TRTR model.
  public var trtrPermutation: Double

  /// Creates an entry.
  /// - Parameters:
  ///   - column: The feature.
  ///   - tstrImpurity: TSTR impurity importance.
  ///   - trtrImpurity: TRTR impurity importance.
  ///   - tstrPermutation: TSTR permutation importance.
  ///   - trtrPermutation: TRTR permutation importance.
  public init(
    column: String, tstrImpurity: Double, trtrImpurity: Double, tstrPermutation: Double,
    trtrPermutation: Double
  ) {
    self.column = column
    self.tstrImpurity = tstrImpurity
    self.trtrImpurity = trtrImpurity
    self.tstrPermutation = tstrPermutation
    self.trtrPermutation = trtrPermutation
  }
}
