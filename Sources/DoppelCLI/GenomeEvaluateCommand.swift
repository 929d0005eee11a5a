import ArgumentParser
import Doppel
import Foundation

/// `doppel genome evaluate`: recall, precision and F1 of variant calls against a truth VCF.
struct GenomeEvaluateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Score variant calls against a truth VCF (recall, precision, F1 per variant type).",
    discussion: """
      Both files are normalized (multi-allelic records split, MNPs decomposed, indels \
      left-aligned and trimmed against the reference) and matched on position and alleles. \
      Genotypes are not compared.
      """)

  @Option(name: .long, help: "Truth VCF (plain or gzip).") var truth: String
  @Option(name: .long, help: "Calls VCF (plain or gzip).") var calls: String
  @Option(name: .long, help: "Reference FASTA.") var reference: String
  @Option(name: .long, help: "BED: only variants inside these targets count.") var targets: String?
  @Option(name: .long, help: "Ignore calls with a lower QUAL.") var minQual = 0.0
  @Option(name: [.short, .long], help: "Also write the report as JSON here.") var output: String?
  @Option(name: .long, help: "List at most this many missed and false calls.") var listLimit = 50

  func run() async throws {
    let genome = try Reference.read(path: reference)
    let targetSet = try targets.map { try TargetSet.read(path: $0, reference: genome) }
    let report = try VariantComparison.compare(
      truthPath: truth, callsPath: calls, reference: genome, targets: targetSet,
      minimumQuality: minQual)
    var rows = [["type", "truth", "TP", "FN", "FP", "recall", "precision", "F1"]]
    for score in report.scores {
      rows.append([
        score.kind, "\(score.truth)", "\(score.truePositives)", "\(score.falseNegatives)",
        "\(score.falsePositives)", String(format: "%.4f", score.recall),
        String(format: "%.4f", score.precision), String(format: "%.4f", score.f1),
      ])
    }
    print(TextGrid.render(rows))
    func line(_ v: ComparedVariant) -> String {
      "  \(v.chrom)\t\(v.position)\t\(v.ref)\t\(v.alt)\t\(v.kind.rawValue)"
        + (v.quality.map { "\tQUAL=\($0)" } ?? "")
    }
    print("missed (\(report.missed.count)):")
    for v in report.missed.prefix(listLimit) { print(line(v)) }
    print("false calls (\(report.falseCalls.count)):")
    for v in report.falseCalls.prefix(listLimit) { print(line(v)) }
    print("skipped records: truth \(report.skippedTruth), calls \(report.skippedCalls)")
    if let output {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      try writeFile(try encoder.encode(report), to: output)
      print("report written to \(output)")
    }
  }
}
