import ArgumentParser
import Doppel
import Foundation

/// `doppel evaluate`: score a synthetic table against the real one.
struct EvaluateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Score a synthetic table: fidelity, utility, privacy and summary statistics.",
    discussion: """
      Writes one versioned JSON file that `doppel report` turns into HTML. The holdout must be
      real rows the synthesizer never saw; --split holds out rows of the real file instead, which
      is only meaningful if the synthesizer was not trained on them.
      """)

  @Argument(help: "The real (training) table.")
  var real: String

  @Argument(help: "The synthetic table, with the real table's columns.")
  var synthetic: String

  @Option(name: .long, help: "Real rows the synthesizer never saw.")
  var holdout: String?

  @Option(name: .long, help: "Hold out this share of the real rows when no --holdout is given.")
  var split: Double?

  @Option(name: .long, help: "The label column for train-synthetic-test-real utility.")
  var label: String?

  @Option(name: .long, help: "Key columns for attribute disclosure, comma separated.")
  var keys: String?

  @Option(name: .long, help: "The sensitive column for attribute disclosure.")
  var sensitive: String?

  @Option(name: .long, help: "Seed of sampled and permuted steps.")
  var seed: UInt64 = 0

  @Option(name: .shortAndLong, help: "Where to write the evaluation JSON.")
  var output: String = "evaluation.json"

  @Option(name: .long, help: "Also write summary_real.csv and summary_synthetic.csv here.")
  var summaryDir: String?

  @OptionGroup var inputOptions: InputOptions

  func validate() throws {
    if let split, !(split > 0 && split < 1) {
      throw ValidationError("--split must be between 0 and 1, such as 0.2")
    }
    if holdout != nil && split != nil {
      throw ValidationError("give either --holdout or --split, not both")
    }
    if (keys == nil) != (sensitive == nil) {
      throw ValidationError("--keys and --sensitive go together")
    }
  }

  func run() async throws {
    let csv = try inputOptions.csvOptions()
    var (realTable, metadata) = try TableSource.load(
      path: real, options: csv, metadataFile: inputOptions.metadata)
    let syntheticTable = try TableSource.load(path: synthetic, matching: metadata, options: csv)
    var holdoutTable = try holdout.map {
      try TableSource.load(path: $0, matching: metadata, options: csv)
    }
    if let split {
      (realTable, holdoutTable) = realTable.split(holdoutFraction: split, seed: seed)
    }
    let evaluation = try Evaluator.evaluate(
      real: realTable, synthetic: syntheticTable, holdout: holdoutTable,
      options: EvaluationOptions(
        label: label ?? metadata.label,
        keys: keys.map { $0.split(separator: ",").map(String.init) } ?? [],
        sensitive: sensitive, seed: seed))
    try writeFile(Evaluator.encode(evaluation), to: output)
    if let summaryDir { try EvaluationFiles.writeSummaries(evaluation, to: summaryDir) }
    print(EvaluationText.headline(evaluation))
    print("evaluation written to \(output)")
  }
}

/// Files derived from an evaluation.
enum EvaluationFiles {
  static func writeSummaries(_ evaluation: Evaluation, to folder: String) throws {
    try SummaryFiles.write(evaluation, to: folder)
  }
}

/// A short plain-text summary of an evaluation.
enum EvaluationText {
  static func headline(_ e: Evaluation) -> String {
    var lines: [String] = []
    func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
    lines.append(
      "quality \(pct(e.quality.overall)) (column shapes \(pct(e.quality.columnShapes))"
        + (e.quality.columnPairTrends.map { ", pair trends \(pct($0))" } ?? "") + ")")
    if let u = e.utility {
      if let t = u.tstr.f1Macro, let r = u.trtr.f1Macro {
        lines.append(
          "utility (\(u.label)): macro F1 trained on synthetic \(String(format: "%.3f", t)) vs on real \(String(format: "%.3f", r))"
        )
      } else if let t = u.tstr.r2, let r = u.trtr.r2 {
        lines.append(
          "utility (\(u.label)): R² trained on synthetic \(String(format: "%.3f", t)) vs on real \(String(format: "%.3f", r))"
        )
      }
    }
    lines.append("privacy: exact copies \(pct(e.privacy.exactCopyRate))")
    for verdict in e.privacy.verdicts { lines.append("  [\(verdict.level)] \(verdict.text)") }
    return lines.joined(separator: "\n")
  }
}
