import Doppel
import Foundation

/// What synthesizing one table produced.
public struct SynthesisResult: Sendable {
  /// The fitted model.
  public var model: any FittedModel
  /// The evaluation of the synthetic table against the training rows (and holdout).
  public var evaluation: Evaluation
  /// Rows trained on.
  public var trainingRows: Int
  /// Synthetic rows made.
  public var syntheticRows: Int
}

/// The flow of `doppel run` for one typed table, shared by the pipeline and the service: hold
/// rows out, fit the chosen synthesizer, sample, store, evaluate and write the report files.
public enum TableSynthesis {
  /// Synthesizes and evaluates one table, writing `model.json`, `evaluation.json`,
  /// `summary_real.csv`, `summary_synthetic.csv` and `report.html` into `folder`.
  ///
  /// Tables of ``Pipeline/minimumRowsForHoldout`` rows or more keep `holdoutFraction` of their
  /// rows out of training; utility (a decision tree on `label`, ``Pipeline/decisionTree``) and the
  /// holdout privacy measures need them.
  /// - Parameters:
  ///   - table: The real table.
  ///   - metadata: Its metadata.
  ///   - choice: The synthesizer and hyper-parameters.
  ///   - seed: The seed of the split, the fit, the sample and the evaluation.
  ///   - holdoutFraction: Share of rows held out, in [0, 1).
  ///   - rows: Rows to sample, or `nil` for as many as were trained on.
  ///   - label: The label column of the utility model, or `nil`.
  ///   - title: The report's title.
  ///   - folder: An existing folder for the files.
  ///   - progress: Receives the stages.
  ///   - store: Stores the synthetic table and returns it as stored (read back), which is what
  ///     gets evaluated.
  /// - Returns: The model, the evaluation and the row counts.
  /// - Throws: ``DoppelError`` from fitting, sampling, storing or evaluating; `CancellationError`
  ///   when the task is cancelled between stages.
  public static func run(
    table: Table, metadata: TableMetadata, choice: SynthesizerChoice, seed: UInt64,
    holdoutFraction: Double, rows: Int?, label: String?, title: String, folder: String,
    progress: ProgressReporter? = nil, store: (Table) async throws -> Table
  ) async throws -> SynthesisResult {
    var train = table
    var holdout: Table?
    if holdoutFraction > 0 && table.rowCount >= Pipeline.minimumRowsForHoldout {
      let parts = table.split(holdoutFraction: holdoutFraction, seed: seed)
      train = parts.train
      holdout = parts.holdout
    }
    let synthesizer = try SynthesizerRegistry.standard.synthesizer(
      choice.synthesizer, options: choice.options)
    let fitStart = Date()
    progress?.report("fitting", 0, of: 1)
    let model = try await synthesizer.fit(train, metadata: metadata, seed: seed, progress: progress)
    let fitSeconds = Date().timeIntervalSince(fitStart)
    try Task.checkCancellation()
    try AtomicFileWriter.write(ModelFile.encode(model), to: folder + "/model.json")
    let count = rows ?? train.rowCount
    guard count > 0 else {
      throw DoppelError(.invalidArgument, "rows must be 1 or more")
    }
    progress?.report("sampling", 0, of: count)
    let sampleStart = Date()
    let synthetic = try model.sample(rows: count, seed: seed)
    let sampleSeconds = Date().timeIntervalSince(sampleStart)
    let stored = try await store(synthetic)
    try Task.checkCancellation()
    progress?.report("evaluating", 0, of: 1)
    var hyperParameters = try hyperParameterText(synthesizer)
    hyperParameters["(chosen by)"] = choice.reason
    let card = ModelCard(
      synthesizer: choice.synthesizer, hyperParameters: hyperParameters, seed: seed,
      privacyBudget: nil, trainingRows: train.rowCount, trainingColumns: train.columns.count,
      doppelVersion: DoppelVersion.current, fitSeconds: fitSeconds, sampleSeconds: sampleSeconds)
    let evaluation = try Evaluator.evaluate(
      real: train, synthetic: stored, holdout: holdout,
      options: EvaluationOptions(
        label: holdout == nil ? nil : label, seed: seed,
        utility: UtilityOptions(forest: Pipeline.decisionTree, permutationRepeats: 2)),
      modelCard: card)
    try AtomicFileWriter.write(Evaluator.encode(evaluation), to: folder + "/evaluation.json")
    try SummaryFiles.write(evaluation, to: folder)
    try AtomicFileWriter.write(
      Data(HTMLReport.render(evaluation, title: title).utf8), to: folder + "/report.html")
    progress?.report("evaluating", 1, of: 1)
    return SynthesisResult(
      model: model, evaluation: evaluation, trainingRows: train.rowCount,
      syntheticRows: synthetic.rowCount)
  }

  static func hyperParameterText(_ synthesizer: any Synthesizer) throws -> [String: String] {
    let data = try JSONEncoder().encode(synthesizer)
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      return [:]
    }
    var result: [String: String] = [:]
    for (key, value) in object { result[key] = "\(value)" }
    return result
  }
}
