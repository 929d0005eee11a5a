import Doppel
import DoppelStores
import Foundation

/// Synthesizes single uploaded files — the unit of work of S3 upload triggers and folder
/// watching: read a CSV file, choose a synthesizer automatically (``SynthesizerChoice``), fit,
/// sample as many rows as were trained on, evaluate, and write `synthetic.csv`, `report.html`,
/// `evaluation.json`, `model.json`, `summary_real.csv` and `summary_synthetic.csv`.
public enum ObjectSynthesis {
  /// The files written for each object, uploaded in this order.
  public static let outputFiles = [
    "synthetic.csv", "report.html", "evaluation.json", "summary_real.csv",
    "summary_synthetic.csv",
  ]

  /// Synthesizes one CSV file into a folder.
  /// - Parameters:
  ///   - path: The CSV (or gzip-compressed CSV) file.
  ///   - folder: The output folder (created when missing).
  ///   - seed: The seed.
  ///   - holdoutFraction: Share of rows held out for utility and privacy.
  /// - Returns: The result.
  /// - Throws: ``DoppelError`` for bad input or failed writes.
  @discardableResult
  public static func synthesize(
    csv path: String, into folder: String, seed: UInt64 = 0, holdoutFraction: Double = 0.2
  ) async throws -> SynthesisResult {
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw DoppelError(.io, "cannot create the output folder", context: .init(file: folder))
    }
    let (table, detected) = try TableSource.load(path: path)
    var metadata = detected
    let label = metadata.label ?? Pipeline.defaultLabel(metadata)
    metadata.label = label
    let choice = SynthesizerChoice.automatic(profile: TableProfile(table: table))
    return try await TableSynthesis.run(
      table: table, metadata: metadata, choice: choice, seed: seed,
      holdoutFraction: holdoutFraction, rows: nil, label: label,
      title: "Synthetic " + URL(fileURLWithPath: path).lastPathComponent, folder: folder
    ) { synthetic in
      try AtomicFileWriter.write(
        CSVWriter.encode(TextTable(table: synthetic)), to: folder + "/synthetic.csv")
      return synthetic
    }
  }

  /// The output prefix of an object: `outputPrefix` + the key's file name without extension +
  /// `/`, such as `synthetic/patients/` for `uploads/patients.csv`.
  /// - Parameters:
  ///   - key: The object's key.
  ///   - outputPrefix: The configured prefix.
  /// - Returns: The prefix of the object's outputs.
  public static func outputPrefix(for key: String, under outputPrefix: String) -> String {
    var name = String(key.split(separator: "/").last ?? "object")
    for suffix in [".gz", ".csv"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
    return outputPrefix + name + "/"
  }

  /// Fetches an S3 object, synthesizes it and writes the outputs back under
  /// ``outputPrefix(for:under:)``.
  /// - Parameters:
  ///   - bucket: The bucket.
  ///   - key: The object's key.
  ///   - client: The S3 client.
  ///   - outputPrefix: Where outputs go (such as `synthetic/`).
  ///   - workFolder: A scratch folder.
  ///   - seed: The seed.
  /// - Returns: The prefix the outputs were written under.
  /// - Throws: ``DoppelError``.
  @discardableResult
  public static func processS3(
    bucket: String, key: String, client: S3Client, outputPrefix: String, workFolder: String,
    seed: UInt64 = 0
  ) async throws -> String {
    let folder = workFolder + "/" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let input = folder + "/input" + (key.hasSuffix(".gz") ? ".csv.gz" : ".csv")
    try await client.download(bucket: bucket, key: key, to: input)
    try await synthesize(csv: input, into: folder + "/out", seed: seed)
    let prefix = ObjectSynthesis.outputPrefix(for: key, under: outputPrefix)
    for file in outputFiles {
      let type =
        file.hasSuffix(".html")
        ? "text/html" : file.hasSuffix(".json") ? "application/json" : "text/csv"
      try await client.upload(
        file: folder + "/out/" + file, bucket: bucket, key: prefix + file, contentType: type)
    }
    return prefix
  }

  /// Whether a key is a table to synthesize: a `.csv` or `.csv.gz` object outside the output
  /// prefix (so outputs never trigger runs of their own).
  /// - Parameters:
  ///   - key: The key.
  ///   - outputPrefix: The output prefix.
  /// - Returns: `true` for an input table.
  public static func isInput(_ key: String, outputPrefix: String) -> Bool {
    (key.hasSuffix(".csv") || key.hasSuffix(".csv.gz"))
      && !(outputPrefix.isEmpty ? false : key.hasPrefix(outputPrefix))
  }
}
