import Doppel
import DoppelTesting
import Foundation
import Testing

/// The path of a file in the repository's Examples/data folder.
func exampleTable(_ name: String) throws -> (Table, TableMetadata) {
  let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Examples/data/\(name)").path
  return try TableSource.load(path: path)
}

@Suite("Synthesizer conformance")
struct ConformanceTests {
  @Test(
    "the Gaussian copula passes the conformance checks",
    arguments: ["pbc.csv", "arthritis.csv", "jasa.csv"])
  func gaussianCopulaConforms(file: String) async throws {
    let (table, metadata) = try exampleTable(file)
    let problems = try await SynthesizerConformance.run(
      GaussianCopulaSynthesizer(), table: table, metadata: metadata)
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test(
    "every marginal choice passes the conformance checks on pbc",
    arguments: GaussianCopulaSynthesizer.MarginalChoice.allCases)
  func everyMarginalConforms(choice: GaussianCopulaSynthesizer.MarginalChoice) async throws {
    let (table, metadata) = try exampleTable("pbc.csv")
    let problems = try await SynthesizerConformance.run(
      GaussianCopulaSynthesizer(marginal: choice), table: table, metadata: metadata, rows: 500)
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test("a synthesizer that ignores its seed is caught by the conformance checks")
  func conformanceCatchesNondeterminism() async throws {
    let (table, metadata) = try exampleTable("arthritis.csv")
    let problems = try await SynthesizerConformance.run(
      SeedIgnoringSynthesizer(), table: table, metadata: metadata, rows: 200)
    #expect(problems.contains { $0.contains("different seeds") })
  }
}

/// A deliberately broken synthesizer: it samples the same rows for every seed.
struct SeedIgnoringSynthesizer: Synthesizer {
  static let kind = "test-seed-ignoring"
  func fit(_ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?)
    async throws -> Model
  {
    Model(
      inner: try await GaussianCopulaSynthesizer().fit(
        table, metadata: metadata, seed: seed, progress: nil))
  }

  struct Model: FittedModel {
    static let kind = "test-seed-ignoring"
    let inner: GaussianCopulaModel
    var metadata: TableMetadata { inner.metadata }
    var trainingRowCount: Int { inner.trainingRowCount }
    func sample(range: Range<Int>, seed: UInt64) throws -> Table {
      try inner.sample(range: range, seed: 0)
    }
  }
}
