import Doppel
import DoppelStores
import Foundation

/// Settings of a pipeline run.
public struct PipelineOptions: Sendable {
  /// Tables run at once; at least 1.
  public var jobs: Int
  /// The folder for per-table reports and the index page.
  public var reportFolder: String
  /// Per-table settings.
  public var configuration: PipelineConfiguration
  /// Share of real rows held out of training for utility and privacy (tables of 50 rows or more).
  public var holdoutFraction: Double
  /// Whether to redo tables an earlier run finished.
  public var force: Bool

  /// Creates options.
  /// - Parameters:
  ///   - jobs: Tables run at once.
  ///   - reportFolder: Folder of reports and the index page.
  ///   - configuration: Per-table settings.
  ///   - holdoutFraction: Share of rows held out.
  ///   - force: Whether to redo finished tables.
  public init(
    jobs: Int = 2, reportFolder: String, configuration: PipelineConfiguration = .init(),
    holdoutFraction: Double = 0.2, force: Bool = false
  ) {
    self.jobs = jobs
    self.reportFolder = reportFolder
    self.configuration = configuration
    self.holdoutFraction = holdoutFraction
    self.force = force
  }
}

/// Synthesizes every table of a store into another store of the same kind, with a report per
/// table and an index page.
///
/// For each table: the real table is read and its metadata detected; a synthesizer and its
/// hyper-parameters are chosen (``SynthesizerChoice``) unless the configuration names them;
/// 20% of the rows are held out (tables of 50 rows or more); the model is fitted on the rest and
/// samples as many rows as were trained on; the synthetic table is written to the destination;
/// and the evaluation (summary statistics of both tables, fidelity, utility of a decision tree on
/// the label column with variable importance, privacy) is written as `evaluation.json`,
/// `summary_real.csv`, `summary_synthetic.csv` and `report.html`.
///
/// Tables run `jobs` at a time. A table whose `status.json` says it is done, and whose synthetic
/// table exists, is not run again, so an interrupted run resumes where it stopped. A failing table
/// is recorded with its error and does not stop the others.
public enum Pipeline {
  /// Rows below which no rows are held out: every row is needed for training.
  public static let minimumRowsForHoldout = 50

  /// Runs the pipeline.
  /// - Parameters:
  ///   - source: The real tables.
  ///   - destination: Where synthetic tables go (same kind of store as `source`).
  ///   - options: Jobs, report folder and per-table settings.
  ///   - log: Receives one line per table event.
  /// - Returns: The outcome of every table.
  /// - Throws: ``DoppelError`` when the source cannot be listed or the report folder written;
  ///   a failing table does not throw.
  public static func run(
    source: any TableStore, destination: any TableStore, options: PipelineOptions,
    log: @escaping @Sendable (String) -> Void = { _ in }
  ) async throws -> PipelineResult {
    guard options.jobs >= 1 else {
      throw DoppelError(.invalidArgument, "jobs must be 1 or more")
    }
    try makeFolder(options.reportFolder)
    let names = try await source.tableNames()
    var outcomes: [TableOutcome] = []
    try await withThrowingTaskGroup(of: TableOutcome.self) { group in
      var next = 0
      func startNext() {
        guard next < names.count else { return }
        let name = names[next]
        next += 1
        group.addTask {
          await runTable(
            name, source: source, destination: destination, options: options, log: log)
        }
      }
      for _ in 0..<min(options.jobs, names.count) { startNext() }
      while let outcome = try await group.next() {
        outcomes.append(outcome)
        startNext()
      }
    }
    outcomes.sort { $0.table < $1.table }
    let indexPath = options.reportFolder + "/index.html"
    try AtomicFileWriter.write(
      Data(
        PipelineIndex.render(
          outcomes, source: source.description, destination: destination.description
        ).utf8), to: indexPath)
    return PipelineResult(tables: outcomes, indexPath: indexPath)
  }

  /// The folder of a table's report files.
  /// - Parameters:
  ///   - table: The table's name.
  ///   - reportFolder: The run's report folder.
  /// - Returns: The path.
  public static func folder(of table: String, in reportFolder: String) -> String {
    reportFolder + "/" + table
  }

  private static func runTable(
    _ name: String, source: any TableStore, destination: any TableStore,
    options: PipelineOptions, log: @Sendable (String) -> Void
  ) async -> TableOutcome {
    let settings = options.configuration.settings(for: name)
    if settings.skip == true {
      log("\(name): skipped by the configuration")
      return TableOutcome(table: name, state: .skipped)
    }
    let folder = folder(of: name, in: options.reportFolder)
    let statusPath = folder + "/status.json"
    if !options.force, let previous = readStatus(statusPath), previous.state == .done,
      (try? await destination.contains(name)) == true
    {
      log("\(name): finished by an earlier run; kept")
      var reused = previous
      reused.state = .reused
      return reused
    }
    let started = Date()
    var outcome = TableOutcome(table: name, state: .failed)
    do {
      try await synthesize(
        name, source: source, destination: destination, settings: settings, options: options,
        folder: folder, outcome: &outcome)
      outcome.state = .done
      outcome.seconds = Date().timeIntervalSince(started)
      log(
        "\(name): done with \(outcome.choice?.synthesizer ?? "?") in "
          + String(format: "%.2f s", outcome.seconds ?? 0))
    } catch {
      outcome.state = .failed
      outcome.error = String(describing: error)
      outcome.seconds = Date().timeIntervalSince(started)
      log("\(name): failed: \(outcome.error ?? "")")
    }
    // A failed status is written too, so the index can show it; only `done` is skipped later.
    try? makeFolder(folder)
    if let data = try? encoder.encode(outcome) {
      try? AtomicFileWriter.write(data, to: statusPath)
    }
    return outcome
  }

  private static func synthesize(
    _ name: String, source: any TableStore, destination: any TableStore,
    settings: PipelineConfiguration.TableSettings, options: PipelineOptions, folder: String,
    outcome: inout TableOutcome
  ) async throws {
    let seed = options.configuration.seed ?? 0
    let text = try await source.read(name)
    guard text.rowCount > 0 else {
      throw DoppelError(.noRows, "the table has no rows; nothing to learn from")
    }
    var metadata = MetadataDetector.detect(text)
    let label = settings.label ?? metadata.label ?? defaultLabel(metadata)
    if let label {
      guard metadata[label] != nil else {
        throw DoppelError(
          .unknownColumn, "the label column is not in the table; check the configuration",
          context: .init(column: label))
      }
      metadata.label = label
    }
    let table = try Table(text: text, metadata: metadata)
    outcome.realRows = table.rowCount
    outcome.columns = table.columns.count
    outcome.label = label
    try makeFolder(folder)
    try AtomicFileWriter.write(TableSource.encode(metadata), to: folder + "/metadata.json")
    let choice = SynthesizerChoice.choose(profile: TableProfile(table: table), settings: settings)
    outcome.choice = choice
    try AtomicFileWriter.write(encoder.encode(choice), to: folder + "/choice.json")

    let result = try await TableSynthesis.run(
      table: table, metadata: metadata, choice: choice, seed: seed,
      holdoutFraction: options.holdoutFraction, rows: settings.rows, label: label,
      title: "Synthetic table \(name)", folder: folder
    ) { synthetic in
      try await destination.write(TextTable(table: synthetic), as: name, metadata: metadata)
      // Score the table as stored: read back through the same text conversion as the real one.
      return try Table(text: await destination.read(name), metadata: metadata)
    }
    outcome.trainingRows = result.trainingRows
    outcome.syntheticRows = result.syntheticRows
    outcome.quality = result.evaluation.quality.overall
    if let utility = result.evaluation.utility {
      outcome.utilitySynthetic = utility.tstr.f1Macro ?? utility.tstr.r2
      outcome.utilityReal = utility.trtr.f1Macro ?? utility.trtr.r2
    }
  }

  /// The utility model of a pipeline: one decision tree (CART; Breiman, Friedman, Olshen and
  /// Stone, "Classification and Regression Trees", 1984) on every feature without bootstrap,
  /// depth at most 8, at least 5 rows per leaf; importance by permutation (Breiman 2001).
  public static let decisionTree = RandomForestOptions(
    trees: 1, maxDepth: 8, minSamplesLeaf: 5, maxFeatures: .all, bootstrap: false, threads: 1)

  /// The label used when neither the configuration nor the metadata names one: the last
  /// categorical or boolean column with 2 to 20 categories, else none.
  /// - Parameter metadata: The table's metadata.
  /// - Returns: The column's name, or `nil`.
  public static func defaultLabel(_ metadata: TableMetadata) -> String? {
    metadata.columns.last { column in
      switch column.kind {
      case .categorical, .boolean:
        let distinct = column.distinctCount ?? 0
        return distinct >= 2 && distinct <= 20
      default: return false
      }
    }?.name
  }

  private static func readStatus(_ path: String) -> TableOutcome? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return try? JSONDecoder().decode(TableOutcome.self, from: data)
  }

  private static func makeFolder(_ path: String) throws {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw DoppelError(
        .io, "cannot create the report folder; check the path and permissions",
        context: .init(file: path))
    }
  }

  private static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return encoder
  }
}
