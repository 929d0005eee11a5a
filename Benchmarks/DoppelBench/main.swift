import Doppel
import Foundation

// doppel-bench: measurements that need a release build and a large input file.
//
//   doppel-bench make-csv FILE [--mb 100] [--seed 1] [--crlf]
//       Writes a deterministic CSV of about that many megabytes (10^6 bytes): a header, then
//       rows of 10 numeric and 5 short string columns, about 10% of rows with a quoted field
//       (an embedded comma, a doubled quote, or plain quotes) and about 1% empty numbers.
//   doppel-bench csv FILE [--repeat 3] [--rows-per-chunk 65536] [--threads N]
//       Reads FILE with CSVReader into TextTable chunks and prints MB/s (file bytes / wall time,
//       warm page cache) and the row count for each run, then the best run.
//   doppel-bench copy-csv FILE OUT
//       Reads FILE chunk by chunk and writes it to OUT with CSVWriter; prints MB/s for the whole
//       copy and whether OUT has the same bytes as FILE.
//   doppel-bench synthesize KIND TRAIN OUT [--rows N] [--seed S] [--sample-seed S] [--model FILE]
//                [--option KEY=VALUE ...]
//       Fits KIND on TRAIN as `doppel fit` does (fit seed --seed, default 0), prints each progress
//       event, the fit seconds and the sampling seconds, writes the model file if asked and N rows
//       (default: as many as TRAIN) sampled with --sample-seed (default 1) to OUT. It needs only
//       the library modules, so a release build of it is much quicker than one of `doppel`.
//   doppel-bench neural FILE [--synthesizer ctgan] [--epochs 3] [--batch-size 500]
//       [--threads 1] [--seed 1]
//       Trains a neural synthesizer (ctgan or tvae) on FILE and prints its progress after every
//       epoch, with wall-clock and processor seconds per epoch (encoding excluded).

let usage = """
  usage: doppel-bench make-csv FILE [--mb 100] [--seed 1] [--crlf]
         doppel-bench csv FILE [--repeat 3] [--rows-per-chunk 65536] [--threads N]
         doppel-bench copy-csv FILE OUT
         doppel-bench synthesize KIND TRAIN OUT [--rows N] [--seed S] [--sample-seed S]
                      [--model FILE] [--option KEY=VALUE ...]
         doppel-bench neural FILE [--synthesizer ctgan] [--epochs 3] [--batch-size 500]
                                  [--threads 1] [--seed 1]
  """

/// The value after `flag` in `arguments`, if present.
func option(_ flag: String, in arguments: [String]) -> String? {
  guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
  return arguments[index + 1]
}

/// Seconds in a duration.
func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// Writes the synthetic benchmark file.
func makeCSV(path: String, megabytes: Int, seed: UInt64, lineEnding: String) throws {
  let target = megabytes * 1_000_000
  var random = SeededGenerator(seed: seed)
  let words = [
    "alpha", "beta", "gamma", "delta", "f", "m", "NY", "LA", "yes", "no", "red", "green", "blue",
    "north", "south",
  ]
  let quoted = [#""Smith, John""#, #""say ""hi"" now""#, #""plain""#, #""a,b,c""#]
  let numbers = (1...10).map { "x\($0)" }
  let strings = (1...5).map { "s\($0)" }
  var output = try AtomicFileWriter(path: path)
  var line = (numbers + strings).joined(separator: ",") + lineEnding
  var written = 0
  var lines = 0
  while written < target {
    try output.write(line)
    written += line.utf8.count
    lines += 1
    line.removeAll(keepingCapacity: true)
    for column in 0..<10 {
      if column > 0 { line += "," }
      if random.nextInt(below: 100) == 0 { continue }  // a missing value
      switch column % 5 {
      case 0: line += String(random.nextInt(below: 100_000))
      case 1: line += String(Double(random.nextInt(below: 2_000_000) - 1_000_000) / 100)
      case 2: line += String(random.nextUnit() * 100)
      case 3: line += String(random.nextInt(below: 10))
      default: line += String(Double(random.nextInt(below: 100_000)) / 10_000)
      }
    }
    let quotedColumn = random.nextInt(below: 10) == 0 ? random.nextInt(below: 5) : -1
    for column in 0..<5 {
      line += ","
      if column == quotedColumn {
        line += quoted[random.nextInt(below: quoted.count)]
      } else {
        line += words[random.nextInt(below: words.count)]
      }
    }
    line += lineEnding
  }
  try output.finish()
  print("wrote \(path): \(written) bytes, \(lines - 1) rows after the header")
}

/// Reads a file with CSVReader and reports the speed of each run and the best.
func benchmarkCSV(path: String, repeats: Int, options: CSVOptions) throws {
  let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
  var best = Double.infinity
  for run in 1...max(1, repeats) {
    let clock = ContinuousClock()
    let started = clock.now
    var reader = try CSVReader(path: path, options: options)
    var rows = 0
    var fields = 0
    while let chunk = try reader.nextChunk() {
      rows += chunk.rowCount
      fields += chunk.columns.count * chunk.rowCount
    }
    let elapsed = seconds(clock.now - started)
    best = min(best, elapsed)
    let rate = Double(size) / 1e6 / elapsed
    print(
      "run \(run): \(String(format: "%.1f", rate)) MB/s, \(rows) rows, \(fields) fields, "
        + "\(String(format: "%.3f", elapsed)) s")
  }
  print("best: \(String(format: "%.1f", Double(size) / 1e6 / best)) MB/s (\(size) bytes)")
}

/// Copies a CSV file through CSVReader and CSVWriter and reports the speed.
func copyCSV(path: String, output: String) throws {
  let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
  let clock = ContinuousClock()
  let started = clock.now
  var reader = try CSVReader(path: path)
  var writer = try CSVWriter(path: output, columnNames: reader.columnNames)
  while let chunk = try reader.nextChunk() { try writer.write(chunk) }
  try writer.finish()
  let elapsed = seconds(clock.now - started)
  let same = FileManager.default.contentsEqual(atPath: path, andPath: output)
  print(
    "copied \(size) bytes in \(String(format: "%.3f", elapsed)) s "
      + "(\(String(format: "%.1f", Double(size) / 1e6 / elapsed)) MB/s); identical: \(same)")
}

/// Times the stages of sampling: generating rows, formatting them as text, encoding CSV.
func benchmarkSampling(modelPath: String, rows: Int) throws {
  let model = try SynthesizerRegistry.standard.loadModel(
    Data(contentsOf: URL(fileURLWithPath: modelPath)))
  let clock = ContinuousClock()
  var generate = 0.0
  var format = 0.0
  var encode = 0.0
  var bytes = 0
  var start = 0
  while start < rows {
    let end = min(start + SampleExport.chunkRows, rows)
    var t0 = clock.now
    let table = try model.sample(range: start..<end, seed: 1)
    generate += seconds(clock.now - t0)
    t0 = clock.now
    let text = TextTable(table: table)
    format += seconds(clock.now - t0)
    t0 = clock.now
    bytes += CSVWriter.encode(text).count
    encode += seconds(clock.now - t0)
    start = end
  }
  print(
    String(
      format: "rows %d: generate %.3f s, format %.3f s, encode %.3f s (%d bytes)", rows, generate,
      format, encode, bytes))
}

/// Fits a synthesizer on a CSV file and writes a sample, timing both stages.
func synthesize(kind: String, train: String, output: String, arguments: [String]) async throws {
  var options: [String: String] = [:]
  for (index, argument) in arguments.enumerated()
  where argument == "--option" && index + 1 < arguments.count {
    let pair = arguments[index + 1].split(separator: "=", maxSplits: 1).map(String.init)
    if pair.count == 2 { options[pair[0]] = pair[1] }
  }
  let (table, metadata) = try TableSource.load(path: train)
  let synthesizer = try SynthesizerRegistry.standard.synthesizer(kind, options: options)
  let seed = UInt64(option("--seed", in: arguments) ?? "0") ?? 0
  let progress = ProgressReporter { event in
    print("\(event.stage) \(event.completed)/\(event.total ?? 0) \(event.detail ?? "")")
  }
  let clock = ContinuousClock()
  var start = clock.now
  let model = try await synthesizer.fit(table, metadata: metadata, seed: seed, progress: progress)
  let fitSeconds = seconds(clock.now - start)
  if let path = option("--model", in: arguments) {
    try ModelFile.encode(model).write(to: URL(fileURLWithPath: path), options: .atomic)
  }
  let rows = Int(option("--rows", in: arguments) ?? "") ?? table.rowCount
  start = clock.now
  try SampleExport.write(
    model: model, rows: rows, seed: UInt64(option("--sample-seed", in: arguments) ?? "1") ?? 1,
    to: output)
  print(
    String(
      format: "fit %.1f s, sample %d rows %.1f s", fitSeconds, rows, seconds(clock.now - start)))
}

/// Trains a neural synthesizer and prints each epoch's progress line.
func benchmarkNeural(path: String, arguments: [String]) async throws {
  let (table, metadata) = try TableSource.load(path: path)
  let kind = option("--synthesizer", in: arguments) ?? "ctgan"
  let options = [
    "epochs": option("--epochs", in: arguments) ?? "3",
    "batchSize": option("--batch-size", in: arguments) ?? "500",
    "threads": option("--threads", in: arguments) ?? "1",
  ]
  let seed = UInt64(option("--seed", in: arguments) ?? "1") ?? 1
  let synthesizer = try SynthesizerRegistry.standard.synthesizer(kind, options: options)
  let progress = ProgressReporter { event in
    print("\(event.stage): \(event.completed)/\(event.total ?? 0) \(event.detail ?? "")")
  }
  _ = try await synthesizer.fit(table, metadata: metadata, seed: seed, progress: progress)
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
  switch (arguments.first, arguments.count >= 2 ? arguments[1] : nil) {
  case ("make-csv", let path?):
    let megabytes = Int(option("--mb", in: arguments) ?? "100") ?? 100
    let seed = UInt64(option("--seed", in: arguments) ?? "1") ?? 1
    let lineEnding = arguments.contains("--crlf") ? "\r\n" : "\n"
    try makeCSV(path: path, megabytes: megabytes, seed: seed, lineEnding: lineEnding)
  case ("csv", let path?):
    let repeats = Int(option("--repeat", in: arguments) ?? "3") ?? 3
    var options = CSVOptions()
    options.rowsPerChunk =
      Int(option("--rows-per-chunk", in: arguments) ?? "") ?? options.rowsPerChunk
    options.threads = Int(option("--threads", in: arguments) ?? "") ?? options.threads
    print("threads: \(options.threads), rows per chunk: \(options.rowsPerChunk)")
    try benchmarkCSV(path: path, repeats: repeats, options: options)
  case ("sample", let path?):
    try benchmarkSampling(
      modelPath: path, rows: Int(option("--rows", in: arguments) ?? "1000000") ?? 1_000_000)
  case ("copy-csv", let path?) where arguments.count >= 3:
    try copyCSV(path: path, output: arguments[2])
  case ("synthesize", let kind?) where arguments.count >= 4:
    try await synthesize(
      kind: kind, train: arguments[2], output: arguments[3], arguments: arguments)
  case ("neural", let path?):
    try await benchmarkNeural(path: path, arguments: arguments)
  default:
    print(usage)
    exit(2)
  }
} catch {
  print("error: \(error)")
  exit(1)
}
