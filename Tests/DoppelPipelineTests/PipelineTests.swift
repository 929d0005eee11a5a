import Doppel
import DoppelPipeline
import DoppelStores
import DoppelTesting
import Foundation
import Testing

/// The repository's example tables.
private func exampleData(_ name: String) -> String {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Examples/data/\(name)").path
}

/// A lake of two example tables and one malformed file.
private func makeLake(_ scratch: Scratch) throws -> String {
  let lake = scratch.file("lake")
  try FileManager.default.createDirectory(atPath: lake, withIntermediateDirectories: true)
  try FileManager.default.copyItem(
    atPath: exampleData("arthritis.csv"), toPath: lake + "/arthritis.csv")
  try FileManager.default.copyItem(atPath: exampleData("pbc.csv"), toPath: lake + "/pbc.csv")
  try Data("a,b\n1,2\n3\n".utf8).write(to: URL(fileURLWithPath: lake + "/broken.csv"))
  return lake
}

@Suite("Pipeline")
struct PipelineTests {
  @Test(
    "a folder of CSV files gives synthetic tables, reports and an index; a bad table fails alone")
  func csvLake() async throws {
    let scratch = try Scratch()
    let lake = try makeLake(scratch)
    let source = try CSVFolderStore(path: lake)
    let destination = try CSVFolderStore(path: scratch.file("out"), create: true)
    let reports = scratch.file("out/reports")
    let result = try await Pipeline.run(
      source: source, destination: destination,
      options: PipelineOptions(jobs: 2, reportFolder: reports))
    #expect(result.tables.map(\.table) == ["arthritis", "broken", "pbc"])
    #expect(result.tables.map(\.state) == [.done, .failed, .done])
    let broken = try #require(result.tables.first { $0.table == "broken" })
    #expect(broken.error?.contains("line 3") == true)

    // Small table → copula; 418 rows × 20 columns → network with the square-root bins.
    let arthritis = try #require(result.tables.first { $0.table == "arthritis" })
    #expect(arthritis.choice?.synthesizer == "gaussian-copula")
    let pbc = try #require(result.tables.first { $0.table == "pbc" })
    #expect(pbc.choice?.synthesizer == "bayesian-network")
    #expect(pbc.choice?.options["bins"] == "20")

    for outcome in [arthritis, pbc] {
      let real = try CSVReader.readAll(path: lake + "/\(outcome.table).csv")
      let synthetic = try CSVReader.readAll(path: scratch.file("out/\(outcome.table).csv"))
      #expect(synthetic.columnNames == real.columnNames)
      #expect(synthetic.rowCount == outcome.trainingRows)
      #expect(synthetic.rowCount == outcome.syntheticRows)
      let folder = reports + "/" + outcome.table
      for file in [
        "report.html", "summary_real.csv", "summary_synthetic.csv", "evaluation.json",
        "model.json", "metadata.json", "choice.json", "status.json",
      ] {
        #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "\(file)")
      }
      let summary = try CSVReader.readAll(path: folder + "/summary_real.csv")
      #expect(summary.rowCount == real.columnNames.count)
      #expect((0...1).contains(outcome.quality ?? -1))
    }
    // pbc has a holdout (418 ≥ 50 rows), so the decision tree on its label was scored.
    #expect(pbc.label != nil)
    #expect(pbc.utilitySynthetic != nil && pbc.utilityReal != nil)
    let evaluation = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: reports + "/pbc/evaluation.json")))
    let utility = (evaluation as? [String: Any])?["utility"] as? [String: Any]
    #expect((utility?["importance"] as? [Any])?.isEmpty == false)

    let index = try String(contentsOfFile: result.indexPath, encoding: .utf8)
    #expect(index.contains("href=\"arthritis/report.html\""))
    #expect(index.contains("href=\"pbc/report.html\""))
    #expect(!index.contains("href=\"broken/report.html\""))
    #expect(index.contains("line 3"))
    let report = try String(contentsOfFile: reports + "/pbc/report.html", encoding: .utf8)
    #expect(report.contains("bins = clamp"))

    // A re-run keeps finished tables and retries the failed one.
    let again = try await Pipeline.run(
      source: source, destination: destination,
      options: PipelineOptions(jobs: 2, reportFolder: reports))
    #expect(again.tables.map(\.state) == [.reused, .failed, .reused])
  }

  @Test("the configuration overrides the choice, the label and the row count, and skips tables")
  func configuration() async throws {
    let scratch = try Scratch()
    let lake = try makeLake(scratch)
    let configuration = try PipelineConfiguration.decode(
      """
      seed: 3
      tables:
        pbc:
          synthesizer: gaussian-copula
          options: {marginal: normal}
          label: stage
          rows: 100
        broken:
          skip: true
        arthritis:
          options:
            marginal: uniform
      """)
    let result = try await Pipeline.run(
      source: CSVFolderStore(path: lake),
      destination: CSVFolderStore(path: scratch.file("out"), create: true),
      options: PipelineOptions(
        jobs: 1, reportFolder: scratch.file("reports"),
        configuration: configuration))
    #expect(result.tables.map(\.state) == [.done, .skipped, .done])
    let pbc = try #require(result.tables.first { $0.table == "pbc" })
    #expect(
      pbc.choice
        == SynthesizerChoice(
          synthesizer: "gaussian-copula", options: ["marginal": "normal"],
          reason: "configuration: synthesizer gaussian-copula set for this table"))
    #expect(pbc.label == "stage")
    #expect(pbc.syntheticRows == 100)
    let arthritis = try #require(result.tables.first { $0.table == "arthritis" })
    #expect(arthritis.choice?.options["marginal"] == "uniform")
    #expect(arthritis.choice?.reason.contains("override") == true)
  }

  @Test("an SQLite file is synthesized into another SQLite file")
  func sqliteLake() async throws {
    let scratch = try Scratch()
    let source = try SQLiteStore(path: scratch.file("lake.sqlite"), create: true)
    let real = try CSVReader.readAll(path: exampleData("arthritis.csv"))
    try await source.write(real, as: "arthritis", metadata: MetadataDetector.detect(real))
    let destination = try SQLiteStore(path: scratch.file("synthetic.sqlite"), create: true)
    let result = try await Pipeline.run(
      source: source, destination: destination,
      options: PipelineOptions(jobs: 1, reportFolder: scratch.file("reports")))
    #expect(result.tables.map(\.state) == [.done])
    let synthetic = try await destination.read("arthritis")
    #expect(synthetic.columnNames == real.columnNames)
    #expect(synthetic.rowCount == result.tables.first?.trainingRows)
    await source.close()
    await destination.close()
  }

  @Test("a PostgreSQL schema is synthesized into another schema")
  func postgresLake() async throws {
    guard let url = try TestServices.postgresURL() else { return }
    let suffix = UInt32.random(in: 0...UInt32.max)
    var from = try PostgresLocation(url: url)
    from.schema = "lake_\(suffix)"
    var to = from
    to.schema = "synthetic_\(suffix)"
    let source = try await PostgresStore(location: from, create: true)
    let real = try CSVReader.readAll(path: exampleData("pbc.csv"))
    try await source.write(real, as: "pbc", metadata: MetadataDetector.detect(real))
    let destination = try await PostgresStore(location: to, create: true)
    let result = try await Pipeline.run(
      source: source, destination: destination,
      options: PipelineOptions(jobs: 1, reportFolder: Scratch().file("reports")))
    #expect(result.tables.map(\.state) == [.done])
    let synthetic = try await destination.read("pbc")
    #expect(synthetic.columnNames == real.columnNames)
    #expect(synthetic.rowCount == result.tables.first?.trainingRows)
    await source.close()
    await destination.close()
  }
}

@Suite("Synthesizer choice")
struct SynthesizerChoiceTests {
  @Test("the rule picks the copula for small, wide or high-cardinality tables")
  func copulaCases() {
    let small = SynthesizerChoice.automatic(
      profile: TableProfile(rows: 150, columns: 5, maxCardinality: 3))
    #expect(small.synthesizer == "gaussian-copula")
    #expect(small.options == ["marginal": "empirical"])
    let wide = SynthesizerChoice.automatic(
      profile: TableProfile(rows: 10_000, columns: 61, maxCardinality: 3))
    #expect(wide.synthesizer == "gaussian-copula")
    let manyCategories = SynthesizerChoice.automatic(
      profile: TableProfile(rows: 10_000, columns: 8, maxCardinality: 501))
    #expect(manyCategories.synthesizer == "gaussian-copula")
  }

  @Test("the rule picks a network whose bins grow with the square root of the rows")
  func networkCases() {
    let medium = SynthesizerChoice.automatic(
      profile: TableProfile(rows: 900, columns: 10, maxCardinality: 40))
    #expect(medium.synthesizer == "bayesian-network")
    #expect(medium.options == ["structure": "greedy", "maxParents": "2", "bins": "30"])
    let large = SynthesizerChoice.automatic(
      profile: TableProfile(rows: 1_000_000, columns: 30, maxCardinality: 40))
    #expect(large.options == ["structure": "chow-liu", "bins": "50"])
    // Every automatic choice is accepted by the registry as it stands.
    for choice in [medium, large] {
      #expect(throws: Never.self) {
        try SynthesizerRegistry.standard.synthesizer(choice.synthesizer, options: choice.options)
      }
    }
  }

  @Test("configuration files are read as YAML or JSON; a wrong type names its field")
  func configurationFiles() throws {
    let json = try PipelineConfiguration.decode(
      #"{"seed": 5, "tables": {"t": {"rows": 10, "options": {"epsilon": "1"}}}}"#)
    #expect(json.seed == 5)
    #expect(json.settings(for: "t").rows == 10)
    #expect(json.settings(for: "other") == .init())
    do {
      _ = try PipelineConfiguration.decode("tables:\n  t:\n    rows: many\n")
      Issue.record("a wrong type was accepted")
    } catch let error as DoppelError {
      #expect(error.code == .invalidArgument)
      #expect(error.message.contains("tables.t.rows"))
    }
  }
}
