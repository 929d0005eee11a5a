import ArgumentParser
import Doppel
import Foundation

/// Options for reading an input table.
struct InputOptions: ParsableArguments {
  @Option(
    name: .long,
    help: "Field delimiter of the input: ',', ';', '|', 'tab' or '\\t'.")
  var delimiter: String = ","

  @Option(
    name: .long,
    help: "Metadata JSON (Doppel's or SDV's) whose column types override detection.")
  var metadata: String?

  func validate() throws {
    _ = try csvOptions()
  }

  func csvOptions() throws -> CSVOptions {
    try CSVOptions(delimiterText: delimiter)
  }
}

/// Options for progress output.
struct OutputStyleOptions: ParsableArguments {
  @Flag(name: .shortAndLong, help: "Print no progress.")
  var quiet = false

  func progress() -> ProgressReporter? {
    quiet ? nil : TerminalProgress.reporter()
  }
}

/// Parses `key=value` options.
func parseKeyValues(_ items: [String]) throws -> [String: String] {
  var result: [String: String] = [:]
  for item in items {
    guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
      throw ValidationError("options are written key=value, such as --option marginal=empirical")
    }
    let key = String(item[..<equals])
    if result[key] != nil { throw ValidationError("option \(key) is given twice") }
    result[key] = String(item[item.index(after: equals)...])
  }
  return result
}

/// Writes bytes to a file atomically, turning failures into clear errors.
func writeFile(_ data: Data, to path: String) throws {
  try AtomicFileWriter.write(data, to: path)
}

/// Reads a model file with the standard registry.
func loadModel(_ path: String) throws -> any FittedModel {
  let data: Data
  do {
    data = try Data(contentsOf: URL(fileURLWithPath: path))
  } catch {
    throw DoppelError(.io, "cannot read the model file; check the path", context: .init(file: path))
  }
  do {
    return try SynthesizerRegistry.standard.loadModel(data)
  } catch let error as DoppelError {
    throw error.inFile(path)
  }
}

/// Adds `--synthesize` (partial synthesis, a cart feature) to the `key=value` options.
func synthesisOptions(_ items: [String], synthesize: String?, synthesizer: String) throws
  -> [String: String]
{
  var options = try parseKeyValues(items)
  guard let synthesize else { return options }
  guard synthesizer == CARTSynthesizer.kind else {
    throw ValidationError(
      "partial synthesis (--synthesize) is a feature of the cart synthesizer; add --synthesizer cart"
    )
  }
  if options["synthesize"] != nil {
    throw ValidationError(
      "give the columns either with --synthesize or --option synthesize=…, not both")
  }
  options["synthesize"] = synthesize
  return options
}
