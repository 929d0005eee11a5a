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

      --condition keeps only rows that meet it (repeat it for several): `--condition smoker=yes`,
      `--condition "age>=60"`. Gaussian copula models draw such rows directly, so rare values are
      cheap; other models reject non-matching rows and report a condition they cannot meet.
      --rebalance LABEL gives every class of LABEL an equal share of the rows;
      --rebalance "LABEL=A:0.7,B:0.3" sets the shares.
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

  @Option(
    name: .long,
    help: ArgumentHelp(
      "A condition every row must meet: column=value, or column<value, <=, >, >= for numbers.",
      valueName: "column=value"))
  var condition: [String] = []

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Give a label column's classes equal shares, or the shares given as LABEL=A:0.5,B:0.5.",
      valueName: "label[=class:share,...]"))
  var rebalance: String?

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
    if shard != nil && (!condition.isEmpty || rebalance != nil) {
      throw ValidationError(
        "--shard cannot be combined with --condition or --rebalance; sample the conditioned rows in one run"
      )
    }
    for text in condition { _ = try SamplingCondition(parsing: text) }
    if let rebalance { _ = try RebalanceTarget(parsing: rebalance) }
    _ = try CSVOptions(delimiterText: delimiter)
  }

  func run() async throws {
    let fitted = try loadModel(model)
    let total = rows ?? fitted.trainingRowCount
    let written: Int
    if condition.isEmpty && rebalance == nil {
      written = try SampleExport.write(
        model: fitted, rows: total, seed: seed, shard: shard.map(ShardSpec.init(parsing:)),
        format: format, to: output, options: CSVOptions(delimiterText: delimiter),
        progress: style.progress())
    } else {
      written = try SampleExport.write(
        model: fitted, rows: total, seed: seed,
        conditions: condition.map(SamplingCondition.init(parsing:)),
        rebalance: rebalance.map(RebalanceTarget.init(parsing:)), format: format, to: output,
        options: CSVOptions(delimiterText: delimiter), progress: style.progress())
    }
    print("wrote \(written) rows to \(output)")
  }
}

extension SampleFormat: ExpressibleByArgument {}
