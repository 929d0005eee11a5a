import ArgumentParser
import Doppel
import Foundation

/// `doppel combine`: fit a regression to m synthetic tables, combine, and compare with the real.
struct CombineCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "combine",
    abstract: "Fit a regression to m synthetic tables, combine the estimates, compare with real.",
    discussion: """
      Fits `--formula "y ~ x1 + x2"` (linear, or logistic for a two-level or 0/1 outcome) to the
      real table and to every synthetic table (such as out_1.csv … out_m.csv from
      `doppel sample --m`), combines the m estimates with a combining rule and prints, per
      coefficient, the real and combined estimates and standard errors, degrees of freedom, 95%
      interval, interval overlap and standardized difference.

      Rules: full (Raghunathan, Reiter and Rubin 2003; fully synthetic), partial (Reiter 2003;
      partially synthetic), synthpop (Raab, Nowok and Dibben 2016, full synthesis, m ≥ 1) and
      synthpop-partial. full and partial need m ≥ 2. Categorical predictors are dummy-coded
      against their first level; rows with a missing value in a used column are dropped.
      `doppel sample --m` draws every table from one fitted model; for proper synthesis fit one
      cart model per table (--option proper=true, different --seed) and pass --proper.
      """)

  @Argument(help: "The real table (CSV).")
  var real: String

  @Argument(help: "The synthetic tables (CSV), one or more.")
  var synthetic: [String]

  @Option(name: .long, help: "The model, such as \"y ~ x1 + x2\".")
  var formula: String

  @Option(name: .long, help: "linear or logistic (default: logistic for a two-level outcome).")
  var family: RegressionModel.Family?

  @Option(name: .long, help: "Combining rule: full, partial, synthpop or synthpop-partial.")
  var rule: CombiningRule = .fullySynthetic

  @Flag(name: .long, help: "The syntheses were proper (bootstrap before fitting); synthpop rule.")
  var proper = false

  @Option(name: .shortAndLong, help: "Also write the comparison as JSON here.")
  var output: String?

  @OptionGroup var inputOptions: InputOptions

  func validate() throws {
    guard !synthetic.isEmpty else { throw ValidationError("give at least one synthetic table") }
  }

  func run() async throws {
    let csv = try inputOptions.csvOptions()
    let (realTable, metadata) = try TableSource.load(
      path: real, options: csv, metadataFile: inputOptions.metadata)
    let tables = try synthetic.map {
      try TableSource.load(path: $0, matching: metadata, options: csv)
    }
    let result = try SyntheticInference.compare(
      formula: formula, family: family, real: realTable, synthetic: tables, rule: rule,
      proper: proper)
    print(result.text)
    if let output {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
      try writeFile(encoder.encode(result), to: output)
      print("comparison written to \(output)")
    }
  }
}

extension RegressionModel.Family: ExpressibleByArgument {}
extension CombiningRule: ExpressibleByArgument {}
