import ArgumentParser
import Doppel
import Foundation

/// `doppel run`: inspect, fit, sample and score in one go.
struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Inspect, fit, sample and score a table in one command.",
    discussion: """
      Writes metadata.json, model.json, synthetic.csv and fidelity.json to the output folder and
      prints the per-column fidelity: KS complement for numbers and dates, total-variation
      complement for categories (1 = identical distributions), and the missing-rate difference.
      """)

  @Argument(help: "The input table (CSV, optionally gzip-compressed).")
  var input: String

  @Option(name: .long, help: "Output folder (default: doppel-<input name>).")
  var out: String?

  @Option(name: .long, help: "The synthesizer (see `doppel synthesizers`).")
  var synthesizer: String = GaussianCopulaSynthesizer.kind

  @Option(name: .long, help: "Seed of fitting and sampling.")
  var seed: UInt64 = 0

  @Option(name: .long, parsing: .unconditional, help: "Rows to sample (default: as many as the input).")
  var rows: Int?

  @Option(name: .customLong("option"), help: "A hyper-parameter, key=value (repeatable).")
  var options: [String] = []

  @OptionGroup var inputOptions: InputOptions
  @OptionGroup var style: OutputStyleOptions

  func validate() throws {
    if let rows, rows < 0 { throw ValidationError("--rows must be 0 or more, got \(rows)") }
    _ = try parseKeyValues(options)
    guard SynthesizerRegistry.standard.kinds.contains(synthesizer) else {
      throw ValidationError(
        "unknown synthesizer '\(synthesizer)'; choose one of: \(SynthesizerRegistry.standard.kinds.joined(separator: ", "))"
      )
    }
  }

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
    print("read \(table.rowCount) rows × \(table.columns.count) columns from \(input)")
    let model = try await Fitting.fit(
      table: table, metadata: metadata, kind: synthesizer, options: parseKeyValues(options),
      seed: seed, progress: progress)
    try writeFile(Fitting.encode(model), to: folder + "/model.json")
    let count = rows ?? table.rowCount
    try SampleExport.write(
      model: model, rows: count, seed: seed, to: folder + "/synthetic.csv", options: csv,
      progress: progress)
    // Score the file as written, read back with the training metadata; very large runs are
    // scored on their first million rows.
    let synthetic: Table
    if count > 0 && count <= RunCommand.readBackLimit {
      let text = try CSVReader.readAll(path: folder + "/synthetic.csv", options: csv)
      synthetic = try Table(text: text, metadata: metadata)
    } else {
      synthetic = try model.sample(rows: min(count, RunCommand.readBackLimit), seed: seed)
    }
    let fidelity = try ColumnFidelity(real: table, synthetic: synthetic)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try writeFile(encoder.encode(fidelity), to: folder + "/fidelity.json")
    print(FidelityTable.render(fidelity))
    print(
      "\(synthesizer): \(count) synthetic rows in "
        + String(format: "%.2f s", Date().timeIntervalSince(started)) + "; files in \(folder)/")
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
