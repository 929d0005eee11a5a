import ArgumentParser
import Doppel
import Foundation

/// `doppel sample`: generate rows from a saved model.
struct SampleCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample",
    abstract: "Sample synthetic rows from a model file.",
    discussion: """
      Rows are written in chunks, so memory does not grow with --rows. With --shard i/n only the
      i-th of n equal slices of the run is written; n processes with the same model, --rows and
      --seed together write exactly the rows of one run (each file has its own header row).
      """)

  @Argument(help: "The model file written by `doppel fit`.")
  var model: String

  @Option(
    name: .long, parsing: .unconditional,
    help: "Rows in the whole run (default: the training table's row count).")
  var rows: Int?

  @Option(name: .long, help: "Sampling seed; equal seeds give equal rows.")
  var seed: UInt64 = 0

  @Option(name: .long, help: "Write only slice i of n, written i/n (0-based), such as 0/4.")
  var shard: String?

  @Option(name: .long, help: "Output format: csv or jsonl.")
  var format: SampleFormat = .csv

  @Option(name: .long, help: "Field delimiter of CSV output: ',', ';', '|', 'tab' or '\\t'.")
  var delimiter: String = ","

  @Option(name: .shortAndLong, help: "Where to write the rows.")
  var output: String = "synthetic.csv"

  @OptionGroup var style: OutputStyleOptions

  func validate() throws {
    if let rows, rows < 0 {
      throw ValidationError("--rows must be 0 or more, got \(rows)")
    }
    if let shard { _ = try ShardSpec(parsing: shard) }
    _ = try CSVOptions(delimiterText: delimiter)
  }

  func run() async throws {
    let fitted = try loadModel(model)
    let total = rows ?? fitted.trainingRowCount
    let written = try SampleExport.write(
      model: fitted, rows: total, seed: seed, shard: shard.map(ShardSpec.init(parsing:)),
      format: format, to: output, options: CSVOptions(delimiterText: delimiter),
      progress: style.progress())
    print("wrote \(written) rows to \(output)")
  }
}

extension SampleFormat: ExpressibleByArgument {}
