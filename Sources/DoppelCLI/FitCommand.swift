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

  @OptionGroup var inputOptions: InputOptions
  @OptionGroup var style: OutputStyleOptions

  func validate() throws {
    _ = try synthesisOptions(options, synthesize: synthesize, synthesizer: synthesizer)
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
    let model = try await Fitting.fit(
      table: table, metadata: metadata, kind: synthesizer,
      options: synthesisOptions(options, synthesize: synthesize, synthesizer: synthesizer),
      seed: seed, progress: style.progress())
    try writeFile(Fitting.encode(model), to: output)
    let seconds = Date().timeIntervalSince(started)
    print(
      "fitted \(synthesizer) on \(table.rowCount) rows × \(table.columns.count) columns in "
        + String(format: "%.2f s", seconds) + "; model written to \(output)")
  }
}

/// Fits through the registry with existential models.
enum Fitting {
  static func fit(
    table: Table, metadata: TableMetadata, kind: String, options: [String: String], seed: UInt64,
    progress: ProgressReporter?
  ) async throws -> any FittedModel {
    let synthesizer = try SynthesizerRegistry.standard.synthesizer(kind, options: options)
    return try await synthesizer.fit(table, metadata: metadata, seed: seed, progress: progress)
  }

  static func encode(_ model: any FittedModel) throws -> Data {
    try ModelFile.encode(model)
  }
}
