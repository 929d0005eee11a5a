import DoppelCore

/// Machine-learning utility of a synthetic table: does a model trained on it predict real data
/// as well as a model trained on the real data?
///
/// Two random forests (``RandomForest``; Breiman 2001) with the same options and seed are
/// trained, one on the synthetic table (TSTR: train on synthetic, test on real) and one on the
/// real training table (TRTR: train on real, test on real), and both are scored on the same real
/// test table, which neither saw (Esteban, Hyland and Rätsch 2017). Because the forests share
/// their seed, a synthetic table identical to the training table scores exactly as TRTR does.
///
/// Classification is scored by accuracy, macro F1 and (two classes) ROC AUC, regression by R² and
/// mean absolute error. For each feature the result holds both forests' mean decrease in impurity
/// and permutation importance on the test table, and the Spearman correlation of the two
/// permutation importances says whether the synthetic data teaches the same features to matter.
public enum UtilityEvaluator {
  /// The name of the learner, as written in ``UtilityResult/model``.
  public static let modelName = "random-forest"

  /// Trains on the synthetic and on the real training table, and scores both on the test table.
  ///
  /// The task follows the label's kind (see ``UtilityTask/task(for:)``). Features are every other
  /// column except identifiers, free text and personal data (see ``FeatureSchema``); tables are
  /// matched by column name and category labels by text. Rows whose label is missing are dropped
  /// from each table. A synthetic table with a single class is scored as it is: its forest always
  /// predicts that class. Tables larger than ``UtilityOptions/maximumTrainingRows`` (training) or
  /// ``UtilityOptions/maximumTestRows`` (test) are replaced by seeded samples of that many rows,
  /// which ``UtilityResult/sampledTrainingRows`` records, so very large tables stay quick.
  /// - Parameters:
  ///   - train: The real table the synthesizer learned from.
  ///   - synthetic: The synthetic table.
  ///   - test: Real rows the synthesizer did not see (a holdout).
  ///   - label: The column to predict.
  ///   - seed: Chooses the forests' bootstrap samples and features, and the permutations.
  ///   - options: The forests' size and the permutation repeats.
  /// - Returns: TSTR and TRTR scores and the importance of every feature, in the training
  ///   table's column order.
  /// - Throws: ``DoppelError``: `unknownColumn` when a table has no column `label`;
  ///   `schemaMismatch` when the tables' columns or kinds differ; `invalidArgument` when an option
  ///   is out of range, the label cannot be predicted (an identifier, text or personal data),
  ///   a table has no row with a label, the training table has a single class, or no feature
  ///   column is left.
  /// - Complexity: O(trees · rows · depth · (f + features · repeats)), f the features examined
  ///   per split; see ``RandomForest`` and ``PermutationImportance``.
  public static func evaluate(
    train: Table, synthetic: Table, test: Table, label: String, seed: UInt64,
    options: UtilityOptions = .init()
  ) throws -> UtilityResult {
    try options.validate()
    func capped(_ table: Table, _ limit: Int, _ stream: String) -> Table {
      guard table.rowCount > limit else { return table }
      return table.selectingRows(
        RowSampler.sample(count: table.rowCount, limit: limit, seed: seed, label: stream))
    }
    let sampled =
      train.rowCount > options.maximumTrainingRows
      || synthetic.rowCount > options.maximumTrainingRows
    let train = capped(train, options.maximumTrainingRows, "utility train rows")
    let synthetic = capped(synthetic, options.maximumTrainingRows, "utility train rows")
    let test = capped(test, options.maximumTestRows, "utility test rows")
    let task = try labelTask(train: train, synthetic: synthetic, test: test, label: label)
    let schema = try FeatureSchema(tables: [train, synthetic, test], excluding: [label])
    guard !schema.features.isEmpty else {
      throw DoppelError(
        .invalidArgument,
        "no feature column is left besides the label (identifiers, text and personal data are "
          + "left out); add columns to predict from",
        context: .init(column: label))
    }
    let encoding = try LabelEncoding(
      tables: [train, synthetic, test], label: label, task: task,
      names: ["training table", "synthetic table", "test table"])
    let real = try encoding.encode(train, schema: schema)
    if case .classes(let classes, _) = real.target, Set(classes).count < 2 {
      throw DoppelError(
        .invalidArgument,
        "the label has a single class in the training table; a classifier needs two or more",
        context: .init(column: label))
    }
    let fake = try encoding.encode(synthetic, schema: schema)
    let holdout = try encoding.encode(test, schema: schema)

    let forestSeed = SeededGenerator.derive(seed: seed, label: "utility forest")
    let permutationSeed = SeededGenerator.derive(seed: seed, label: "utility permutation")
    var scores: [ModelScores] = []
    var impurity: [[Double]] = []
    var permutation: [[Double]] = []
    for training in [fake, real] {
      let forest = try RandomForest.fit(
        features: training.features, target: training.target, options: options.forest,
        seed: forestSeed)
      scores.append(
        score(forest, on: holdout, encoding: encoding, threads: options.forest.threads))
      impurity.append(forest.impurityImportance)
      let truth = holdout.target
      let width = forest.outputWidth
      permutation.append(
        PermutationImportance.compute(
          forest: forest, features: holdout.features, repeats: options.permutationRepeats,
          seed: permutationSeed, threads: options.forest.threads
        ) { predictions in
          UtilityEvaluator.permutationScore(predictions, width: width, truth: truth)
        })
    }
    let importance = schema.features.indices.map { index in
      FeatureImportance(
        column: schema.features[index].name, tstrImpurity: impurity[0][index],
        trtrImpurity: impurity[1][index], tstrPermutation: permutation[0][index],
        trtrPermutation: permutation[1][index])
    }
    var result = UtilityResult(
      label: label, task: task.rawValue, model: modelName, testRows: holdout.features.rowCount,
      tstr: scores[0], trtr: scores[1], importance: importance,
      importanceRankCorrelation: PredictionScores.spearman(permutation[0], permutation[1]))
    if sampled { result.sampledTrainingRows = options.maximumTrainingRows }
    return result
  }

  /// Scores a forest's predictions of the test table.
  static func score(
    _ forest: RandomForest, on test: LabelEncoding.Encoded, encoding: LabelEncoding, threads: Int?
  ) -> ModelScores {
    let predictions = forest.predict(test.features, threads: threads)
    switch test.target {
    case .classes(let classes, _):
      let truth = classes.map(Int.init)
      let predicted = RandomForest.classes(
        fromProbabilities: predictions, width: forest.outputWidth)
      var auc: Double?
      if let positive = encoding.positiveClass {
        auc = PredictionScores.rocAUC(
          positive: truth.map { $0 == positive },
          scores: (0..<truth.count).map { predictions[$0 * forest.outputWidth + positive] })
      }
      return ModelScores(
        accuracy: PredictionScores.accuracy(truth: truth, predicted: predicted),
        f1Macro: PredictionScores.macroF1(truth: truth, predicted: predicted), rocAUC: auc)
    case .numbers(let truth):
      return ModelScores(
        r2: PredictionScores.r2(truth: truth, predicted: predictions),
        mae: PredictionScores.meanAbsoluteError(truth: truth, predicted: predictions))
    }
  }

  /// The score permutation importance measures drops in: accuracy, or R² (0 when the test
  /// labels do not vary and R² is undefined).
  static func permutationScore(_ predictions: [Double], width: Int, truth: TargetValues) -> Double {
    switch truth {
    case .classes(let classes, _):
      let predicted = RandomForest.classes(fromProbabilities: predictions, width: width)
      return PredictionScores.accuracy(truth: classes.map(Int.init), predicted: predicted) ?? 0
    case .numbers(let values):
      return PredictionScores.r2(truth: values, predicted: predictions) ?? 0
    }
  }

  /// Checks that every table has the label, with one usable kind, and returns the task.
  static func labelTask(train: Table, synthetic: Table, test: Table, label: String) throws
    -> UtilityTask
  {
    let named = [("training table", train), ("synthetic table", synthetic), ("test table", test)]
    let lacking = named.filter { $0.1[label] == nil }.map(\.0)
    if !lacking.isEmpty {
      throw DoppelError(
        .unknownColumn,
        "the label column is not in the \(lacking.joined(separator: ", ")); "
          + "name a column that every table has",
        context: .init(column: label))
    }
    let tasks = named.map { $0.1[label].flatMap { UtilityTask.task(for: $0.kind) } }
    guard let task = tasks[0] else {
      throw DoppelError(
        .invalidArgument,
        "the label is an identifier, free text or personal data, which cannot be predicted; "
          + "choose a categorical, boolean, numerical or datetime column",
        context: .init(column: label))
    }
    if tasks.contains(where: { $0 != task }) {
      throw DoppelError(
        .schemaMismatch,
        "the label column has different kinds in the tables; give it the same kind in each",
        context: .init(column: label))
    }
    return task
  }
}
