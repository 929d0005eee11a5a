import ArgumentParser
import Doppel
import Foundation

/// `doppel fit`: learn a table and save the model.
struct FitCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fit",
    abstract: "Fit a synthesizer to a table and save the model as JSON.",
    discussion: """
      Hyper-parameters are given as --option key=value (repeatable); `doppel synthesizers`
      lists the synthesizers and their options.
      """)

  @Argument(help: "The training table (CSV, optionally gzip-compressed).")
  var input: String

  @Option(name: .long, help: "The synthesizer (see `doppel synthesizers`).")
  var synthesizer: String = GaussianCopulaSynthesizer.kind

  @Option(name: .long, help: "Seed of every random choice; equal seeds give equal models.")
  var seed: UInt64 = 0

  @Option(name: .customLong("option"), help: "A hyper-parameter, key=value (repeatable).")
  var options: [String] = []

  @Option(name: .shortAndLong, help: "Where to write the model.")
  var output: String = "model.json"

  @Option(
    name: .long,
    help:
      "Partial synthesis (cart only): columns to synthesize, comma separated; the rest are kept.")
  var synthesize: String?

  @Option(name: .long, help: "Training epochs of a neural synthesizer (same as --option epochs=N).")
  var epochs: Int?

  @Option(
    name: .long, help: "Rows per training step of a neural synthesizer (--option batchSize=N).")
  var batchSize: Int?

  @Option(
    name: .long,
    help: "Neural synthesizers: save the training state here after every epoch (Ctrl-C keeps it).")
  var checkpoint: String?

  @Flag(name: .long, help: "Continue training from the --checkpoint file if it exists.")
  var resume = false

  @OptionGroup var inputOptions: InputOptions
  @OptionGroup var style: OutputStyleOptions

  func validate() throws {
    _ = try allOptions()
    if resume && checkpoint == nil {
      throw ValidationError("--resume needs --checkpoint with the file to resume from")
    }
    guard SynthesizerRegistry.standard.kinds.contains(synthesizer) else {
      throw ValidationError(
        "unknown synthesizer '\(synthesizer)'; choose one of: \(SynthesizerRegistry.standard.kinds.joined(separator: ", "))"
      )
    }
  }

  func run() async throws {
    let started = Date()
    let (table, metadata) = try TableSource.load(
      path: input, options: inputOptions.csvOptions(), metadataFile: inputOptions.metadata)
    let settings = checkpoint.map { TrainingCheckpoint(path: $0, resume: resume) }
    let model = try await Interruption.cancellingOnInterrupt(checkpoint: checkpoint) {
      try await Fitting.fit(
        table: table, metadata: metadata, kind: synthesizer, options: allOptions(), seed: seed,
        progress: style.progress(), checkpoint: settings)
    }
    try writeFile(Fitting.encode(model), to: output)
    let seconds = Date().timeIntervalSince(started)
    print(
      "fitted \(synthesizer) on \(table.rowCount) rows × \(table.columns.count) columns in "
        + String(format: "%.2f s", seconds) + "; model written to \(output)")
  }
}

extension FitCommand {
  /// The --option pairs with --epochs and --batch-size added.
  func allOptions() throws -> [String: String] {
    var all = try synthesisOptions(options, synthesize: synthesize, synthesizer: synthesizer)
    for (key, value) in [("epochs", epochs), ("batchSize", batchSize)] {
      guard let value else { continue }
      if all[key] != nil { throw ValidationError("\(key) is given both as a flag and an option") }
      all[key] = String(value)
    }
    return all
  }
}

/// Fits through the registry with existential models.
enum Fitting {
  static func fit(
    table: Table, metadata: TableMetadata, kind: String, options: [String: String], seed: UInt64,
    progress: ProgressReporter?, checkpoint: TrainingCheckpoint? = nil
  ) async throws -> any FittedModel {
    let synthesizer = try SynthesizerRegistry.standard.synthesizer(kind, options: options)
    if let checkpoint {
      guard let neural = synthesizer as? any CheckpointingSynthesizer else {
        throw DoppelError(
          .invalidArgument, "\(kind) does not train in epochs; drop --checkpoint and --resume")
      }
      return try await neural.fit(
        table, metadata: metadata, seed: seed, progress: progress, checkpoint: checkpoint)
    }
    return try await synthesizer.fit(table, metadata: metadata, seed: seed, progress: progress)
  }

  static func encode(_ model: any FittedModel) throws -> Data {
    try ModelFile.encode(model)
  }
}
