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

      --m N writes N synthetic tables for inference with combining rules (`doppel combine`):
      out.csv becomes out_1.csv … out_N.csv, table i sampled with a seed derived from --seed and i.

      A partial cart model (fitted with --synthesize) needs the real rows: --from real.csv gives
      one output row per real row, with the kept columns copied and the synthesized columns drawn
      given them. --rows does not apply then.
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

  @Option(name: .customLong("m"), help: "Write this many synthetic tables, out_1.csv … out_N.csv.")
  var syntheses: Int?

  @Option(
    name: .long,
    help: "The real rows a partial cart model keeps columns from (CSV, same --delimiter).")
  var from: String?

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
    if let syntheses, !(1...1000).contains(syntheses) {
      throw ValidationError("--m must be 1 to 1000, got \(syntheses)")
    }
    if from != nil && rows != nil {
      throw ValidationError("--rows does not apply with --from: one row is written per real row")
    }
  }

  func run() async throws {
    let fitted = try loadModel(model)
    let total = rows ?? fitted.trainingRowCount
    let shardSpec = try shard.map(ShardSpec.init(parsing:))
    let options = try CSVOptions(delimiterText: delimiter)
    var real: Table?
    if let from {
      guard let cart = fitted as? CARTModel else {
        throw DoppelError(
          .invalidArgument,
          "--from (partial synthesis) is a feature of the cart synthesizer; this model is \(type(of: fitted).kind)"
        )
      }
      real = try PartialInput.load(path: from, model: cart, options: options)
    } else if let cart = fitted as? CARTModel, cart.isPartial {
      throw DoppelError(
        .invalidArgument,
        "this cart model keeps \(cart.keptColumns.count) columns from real rows (partial synthesis); give the real rows with --from real.csv"
      )
    }
    let targets: [(path: String, seed: UInt64)] =
      syntheses.map { m in
        (1...m).map {
          (MultipleSyntheses.path(output, index: $0), MultipleSyntheses.seed(seed, index: $0))
        }
      } ?? [(output, seed)]
    for target in targets {
      let written: Int
      if !condition.isEmpty || rebalance != nil {
        guard real == nil else {
          throw ValidationError("--condition and --rebalance do not apply with --from")
        }
        written = try SampleExport.write(
          model: fitted, rows: total, seed: target.seed,
          conditions: condition.map(SamplingCondition.init(parsing:)),
          rebalance: rebalance.map(RebalanceTarget.init(parsing:)), format: format,
          to: target.path, options: options, progress: style.progress())
      } else if let real, let cart = fitted as? CARTModel {
        written = try SampleExport.write(
          model: cart, conditionedOn: real, seed: target.seed, shard: shardSpec, format: format,
          to: target.path, options: options, progress: style.progress())
      } else {
        written = try SampleExport.write(
          model: fitted, rows: total, seed: target.seed, shard: shardSpec, format: format,
          to: target.path, options: options, progress: style.progress())
      }
      print("wrote \(written) rows to \(target.path)")
    }
  }
}

extension SampleFormat: ExpressibleByArgument {}

/// Reads the real rows of partial synthesis: the file's columns that the model knows, typed with
/// the model's metadata (other columns are ignored).
enum PartialInput {
  static func load(path: String, model: CARTModel, options: CSVOptions) throws -> Table {
    do {
      let text = try CSVReader.readAll(path: path, options: options)
      var names: [String] = []
      var columns: [[String]] = []
      for (index, name) in text.columnNames.enumerated() where model.metadata[name] != nil {
        names.append(name)
        columns.append(text.columns[index])
      }
      for name in model.keptColumns where !names.contains(name) {
        throw DoppelError(
          .unknownColumn,
          "the real rows lack a column this partial cart model keeps; give a file with every kept column",
          context: .init(column: name))
      }
      let metadata = TableMetadata(
        columns: model.metadata.columns.filter { names.contains($0.name) })
      return try Table(
        text: TextTable(columnNames: names, columns: columns, firstLine: text.firstLine),
        metadata: metadata)
    } catch let error as DoppelError {
      throw error.inFile(path)
    }
  }
}
