import ArgumentParser
import Doppel
import DoppelPipeline
import DoppelStores
import Foundation

/// `doppel pipeline`: synthesize every table of a folder, SQLite file or PostgreSQL schema.
struct PipelineCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pipeline",
    abstract:
      "Synthesize every table of a folder of CSV files, an SQLite file or a PostgreSQL schema.",
    discussion: """
      SRC and DST are the same kind of store: a folder of CSV files, an SQLite file (.sqlite, \
      .sqlite3, .db) or a PostgreSQL schema (postgres://USER:PASSWORD@HOST:PORT/DB?schema=NAME). \
      For each table the synthetic table goes to DST and a report folder (metadata.json, \
      choice.json, model.json, summary_real.csv, summary_synthetic.csv, evaluation.json, \
      report.html, status.json) to --reports, with index.html linking them all.

      Synthesizer rule (override per table with --config): \(SynthesizerChoice.ruleText).

      --config is YAML or JSON: `seed: 7` and `tables: {NAME: {synthesizer: KIND, options: \
      {key: value}, label: COLUMN, rows: N, skip: true}}`. Tables already finished are kept \
      (use --force to redo them); a failing table is reported and the others go on. The exit \
      status is 1 when any table failed.
      """)

  @Option(name: .long, help: "The real tables: a folder, an SQLite file or a PostgreSQL URL.")
  var source: String

  @Option(name: .long, help: "Where synthetic tables go: the same kind of store as --source.")
  var out: String

  @Option(name: .long, help: "Folder of per-table reports and index.html (default: see below).")
  var reports: String?

  @Option(name: .long, help: "Tables synthesized at once.")
  var jobs: Int = 2

  @Option(name: .long, help: "A YAML or JSON file of per-table settings.")
  var config: String?

  @Option(
    name: .long,
    help: "Share of rows held out of training to measure utility and privacy (0 to train on all).")
  var holdoutFraction: Double = 0.2

  @Flag(name: .long, help: "Redo tables that an earlier run finished.")
  var force = false

  @Option(name: .long, help: "Field delimiter of CSV files: ',', ';', '|', 'tab' or '\\t'.")
  var delimiter: String = ","

  @Flag(name: .shortAndLong, help: "Print nothing but the summary.")
  var quiet = false

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be 1 or more, got \(jobs)") }
    guard holdoutFraction >= 0 && holdoutFraction < 1 else {
      throw ValidationError("--holdout-fraction must be at least 0 and below 1, such as 0.2")
    }
    let from = try StoreLocation(source)
    let to = try StoreLocation(out)
    guard from.kind == to.kind else {
      throw ValidationError(
        "--source is a \(from.kind) store but --out is a \(to.kind) store; use the same kind")
    }
    _ = try CSVOptions(delimiterText: delimiter)
  }

  /// The report folder: --reports, else `reports` inside a CSV output folder, else
  /// `NAME-reports` beside an SQLite file, else `doppel-pipeline-reports`.
  func reportFolder(for location: StoreLocation) -> String {
    if let reports { return reports }
    switch location {
    case .folder(let path): return path + "/reports"
    case .sqlite(let path):
      var base = path
      for suffix in [".sqlite3", ".sqlite", ".db"] where base.hasSuffix(suffix) {
        base.removeLast(suffix.count)
      }
      return base + "-reports"
    case .postgres: return "doppel-pipeline-reports"
    }
  }

  func run() async throws {
    let csv = try CSVOptions(delimiterText: delimiter)
    let from = try StoreLocation(source)
    let to = try StoreLocation(out)
    let configuration = try config.map { try PipelineConfiguration.load(path: $0) } ?? .init()
    let sourceStore = try await from.open(create: false, csvOptions: csv)
    let destination: any TableStore
    do {
      destination = try await to.open(create: true, csvOptions: csv)
    } catch {
      await sourceStore.close()
      throw error
    }
    let options = PipelineOptions(
      jobs: jobs, reportFolder: reportFolder(for: to), configuration: configuration,
      holdoutFraction: holdoutFraction, force: force)
    let quiet = self.quiet
    let result: PipelineResult
    do {
      result = try await Pipeline.run(
        source: sourceStore, destination: destination, options: options,
        log: { line in if !quiet { print(line) } })
    } catch {
      await sourceStore.close()
      await destination.close()
      throw error
    }
    await sourceStore.close()
    await destination.close()
    let counts = Dictionary(grouping: result.tables, by: \.state).mapValues(\.count)
    let parts = [TableOutcome.State.done, .reused, .skipped, .failed].compactMap { state in
      counts[state].map { "\($0) \(state.rawValue)" }
    }
    print(
      "\(result.tables.count) tables: \(parts.joined(separator: ", ")); index: \(result.indexPath)")
    for failure in result.failures {
      print("failed \(failure.table): \(failure.error ?? "unknown error")")
    }
    if !result.failures.isEmpty { throw ExitCode(1) }
  }
}
