import ArgumentParser
import Doppel
import Foundation

/// `doppel run`: inspect, fit, sample and score in one go.
struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Inspect, fit, sample and score a table in one command.",
    discussion: """
      Holds out 20% of the rows (tables of 50 rows or more), fits on the rest, samples as many
      rows as were trained on, and writes metadata.json, model.json, synthetic.csv,
      fidelity.json, evaluation.json, summary_real.csv, summary_synthetic.csv and report.html to
      the output folder. Prints the per-column fidelity (KS complement for numbers and dates,
      total-variation complement for categories; 1 = identical distributions), the quality
      score, utility with --label, and the privacy verdicts. With --m N it also writes N synthetic
      tables synthetic_1.csv … synthetic_N.csv (seeds derived from --seed) for `doppel combine`.
      """)

  @Argument(help: "The input table (CSV, optionally gzip-compressed).")
  var input: String

  @Option(name: .long, help: "Output folder (default: doppel-<input name>).")
  var out: String?

  @Option(name: .long, help: "The synthesizer (see `doppel synthesizers`).")
  var synthesizer: String = GaussianCopulaSynthesizer.kind

  @Option(name: .long, help: "Seed of fitting and sampling.")
  var seed: UInt64 = 0

  @Option(
    name: .long, parsing: .unconditional, help: "Rows to sample (default: as many as the input).")
  var rows: Int?

  @Option(name: .customLong("option"), help: "A hyper-parameter, key=value (repeatable).")
  var options: [String] = []

  @Option(
    name: .long,
    help:
      "Partial synthesis (cart only): columns to synthesize, comma separated; the rest are kept.")
  var synthesize: String?

  @Option(
    name: .customLong("m"),
    help: "Also write this many synthetic tables, synthetic_1.csv … synthetic_N.csv.")
  var syntheses: Int?

  @Option(name: .long, help: "The label column for utility (default: the metadata's label).")
  var label: String?

  @Option(
    name: .long,
    help: "Share of rows held out of training to measure utility and privacy (0 to train on all).")
  var holdoutFraction: Double = 0.2

  @OptionGroup var inputOptions: InputOptions
  @OptionGroup var style: OutputStyleOptions

  func validate() throws {
    if let rows, rows < 0 { throw ValidationError("--rows must be 0 or more, got \(rows)") }
    guard holdoutFraction >= 0 && holdoutFraction < 1 else {
      throw ValidationError("--holdout-fraction must be at least 0 and below 1, such as 0.2")
    }
    _ = try synthesisOptions(options, synthesize: synthesize, synthesizer: synthesizer)
    if let syntheses, !(1...1000).contains(syntheses) {
      throw ValidationError("--m must be 1 to 1000, got \(syntheses)")
    }
    if synthesize != nil && rows != nil {
      throw ValidationError(
        "--rows does not apply with --synthesize: each training row is partially synthesized")
    }
    guard SynthesizerRegistry.standard.kinds.contains(synthesizer) else {
      throw ValidationError(
        "unknown synthesizer '\(synthesizer)'; choose one of: \(SynthesizerRegistry.standard.kinds.joined(separator: ", "))"
      )
    }
  }

  /// Tables smaller than this are not split: every row is needed for training.
  static let minimumRowsForHoldout = 50

  /// The most synthetic rows read back from disk for scoring.
  static let readBackLimit = 1_000_000

  var outputFolder: String {
    if let out { return out }
    var name = URL(fileURLWithPath: input).lastPathComponent
    for suffix in [".gz", ".csv", ".tsv", ".txt"] where name.hasSuffix(suffix) {
      name.removeLast(suffix.count)
    }
    return "doppel-" + name
  }

  func run() async throws {
    let folder = outputFolder
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw DoppelError(
        .io, "cannot create the output folder; check the path and permissions",
        context: .init(file: folder))
    }
    let progress = style.progress()
    let csv = try inputOptions.csvOptions()
    let started = Date()
    let (table, metadata) = try TableSource.load(
      path: input, options: csv, metadataFile: inputOptions.metadata)
    try writeFile(TableSource.encode(metadata), to: folder + "/metadata.json")
    let label = self.label ?? metadata.label
    if let label, metadata[label] == nil {
      throw DoppelError(
        .unknownColumn, "the label column is not in the table; check --label",
        context: .init(column: label))
    }
    // Hold real rows out of training so utility and privacy are measured on unseen rows.
    let useHoldout = holdoutFraction > 0 && table.rowCount >= RunCommand.minimumRowsForHoldout
    var train = table
    var holdout: Table?
    if useHoldout {
      (train, holdout) = table.split(holdoutFraction: holdoutFraction, seed: seed)
    }
    print(
      "read \(table.rowCount) rows × \(table.columns.count) columns from \(input)"
        + (holdout.map { "; training on \(train.rowCount), holding out \($0.rowCount)" } ?? ""))
    let fitStart = Date()
    let synthesizerValue = try SynthesizerRegistry.standard.synthesizer(
      synthesizer,
      options: synthesisOptions(options, synthesize: synthesize, synthesizer: synthesizer))
    // The label is declared to the synthesizer too, so class-aware ones (smote) can use it.
    var fitMetadata = metadata
    fitMetadata.label = label
    let model = try await synthesizerValue.fit(
      train, metadata: fitMetadata, seed: seed, progress: progress)
    let fitSeconds = Date().timeIntervalSince(fitStart)
    try writeFile(Fitting.encode(model), to: folder + "/model.json")
    let count = rows ?? train.rowCount
    let sampleStart = Date()
    // synthetic.csv is scored; with --m, synthetic_1.csv … synthetic_N.csv are written as well.
    var targets: [(path: String, seed: UInt64)] = [(folder + "/synthetic.csv", seed)]
    if let syntheses {
      targets += (1...syntheses).map {
        (
          MultipleSyntheses.path(folder + "/synthetic.csv", index: $0),
          MultipleSyntheses.seed(seed, index: $0)
        )
      }
    }
    for target in targets {
      if let cart = model as? CARTModel, cart.isPartial {
        // Partial synthesis replaces the named columns of the training rows.
        try SampleExport.write(
          model: cart, conditionedOn: train, seed: target.seed, to: target.path, options: csv,
          progress: progress)
      } else {
        try SampleExport.write(
          model: model, rows: count, seed: target.seed, to: target.path, options: csv,
          progress: progress)
      }
    }
    let sampleSeconds = Date().timeIntervalSince(sampleStart)
    // Score the file as written, read back with the training metadata; very large runs are
    // scored on their first million rows.
    let synthetic: Table
    if count > 0 && count <= RunCommand.readBackLimit {
      let text = try CSVReader.readAll(path: folder + "/synthetic.csv", options: csv)
      synthetic = try Table(text: text, metadata: metadata)
    } else {
      let limit = min(count, RunCommand.readBackLimit)
      if let cart = model as? CARTModel, cart.isPartial {
        synthetic = try cart.sample(conditionedOn: train, range: 0..<limit, seed: seed)
      } else {
        synthetic = try model.sample(rows: limit, seed: seed)
      }
    }
    let fidelity = try ColumnFidelity(real: train, synthetic: synthetic)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try writeFile(encoder.encode(fidelity), to: folder + "/fidelity.json")
    print(FidelityTable.render(fidelity))
    guard synthetic.rowCount > 0 else {
      print("no rows sampled: nothing to evaluate; files in \(folder)/")
      return
    }
    progress?.report("evaluating", 0, of: 1)
    let card = ModelCard(
      synthesizer: synthesizer, hyperParameters: try HyperParameters.text(of: synthesizerValue),
      seed: seed, privacyBudget: PrivacyBudgetText.describe(model), trainingRows: train.rowCount,
      trainingColumns: train.columns.count, doppelVersion: DoppelVersion.current,
      fitSeconds: fitSeconds, sampleSeconds: sampleSeconds)
    let evaluation = try Evaluator.evaluate(
      real: train, synthetic: synthetic, holdout: holdout,
      options: EvaluationOptions(label: label, seed: seed), modelCard: card)
    progress?.report("evaluating", 1, of: 1)
    try writeFile(Evaluator.encode(evaluation), to: folder + "/evaluation.json")
    try EvaluationFiles.writeSummaries(evaluation, to: folder)
    let title = "Synthetic " + URL(fileURLWithPath: input).lastPathComponent
    try writeFile(
      Data(HTMLReport.render(evaluation, title: title).utf8), to: folder + "/report.html")
    print(EvaluationText.headline(evaluation))
    print(
      "\(synthesizer): \(count) synthetic rows in "
        + String(format: "%.2f s", Date().timeIntervalSince(started)) + "; files in \(folder)/ "
        + "(report.html, evaluation.json, synthetic.csv, model.json, metadata.json)")
  }
}

/// Hyper-parameters as text for the model card.
enum HyperParameters {
  static func text(of synthesizer: any Synthesizer) throws -> [String: String] {
    let data = try JSONEncoder().encode(synthesizer)
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      return [:]
    }
    var result: [String: String] = [:]
    for (key, value) in object { result[key] = "\(value)" }
    return result
  }
}

/// Renders the per-column fidelity as a plain-text table.
enum FidelityTable {
  static func render(_ fidelity: ColumnFidelity) -> String {
    var rows: [[String]] = [["column", "type", "metric", "score", "missing real", "missing synth"]]
    for entry in fidelity.columns {
      rows.append([
        entry.column, entry.kind, entry.metric ?? "-",
        entry.score.map { String(format: "%.3f", $0) } ?? "-",
        String(format: "%.1f%%", entry.realMissingRate * 100),
        String(format: "%.1f%%", entry.syntheticMissingRate * 100),
      ])
    }
    var text = TextGrid.render(rows)
    if let average = fidelity.averageScore {
      text +=
        "\n" + String(format: "average shape score: %.3f (1 = identical distributions)", average)
    }
    return text
  }
}

/// The privacy budget of a differentially private model, in words for the model card.
enum PrivacyBudgetText {
  static func describe(_ model: any FittedModel) -> String? {
    if let trained = model as? any DPSGDTrainedModel, let privacy = trained.privacy {
      return String(
        format:
          "ε = %.4g, δ = %.3g (DP-SGD: noise multiplier σ = %.3g, clipping norm C = %.3g, sampling rate q = %.3g, %d steps; RDP accountant for the sampled Gaussian mechanism)",
        privacy.epsilon, privacy.delta, privacy.noiseMultiplier, privacy.maxGradientNorm,
        privacy.sampleRate, privacy.steps)
    }
    guard let model = model as? any DifferentiallyPrivateModel else { return nil }
    let accounting = model.accounting
    let split = accounting.budgetSplit.map {
      "\($0.purpose) \(String(format: "%.0f%%", $0.fraction * 100))"
    }.joined(separator: ", ")
    return String(format: "ε = %.4g, δ = %.3g", accounting.totalEpsilon, accounting.delta)
      + " (\(accounting.neighbouring.rawValue) neighbours; \(accounting.composition)"
      + (split.isEmpty ? "" : "; split: \(split)") + ")"
  }
}
