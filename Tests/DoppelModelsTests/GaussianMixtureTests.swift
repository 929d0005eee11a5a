import Doppel
import DoppelTesting
import Foundation
import Testing

@Suite("Gaussian mixture synthesizer")
struct GaussianMixtureTests {
  /// Two well-separated round clusters: 30% around (0, 0) and 70% around (10, 20), unit spread.
  static func twoClusters(rows: Int) throws -> (Table, TableMetadata) {
    var random = SeededGenerator(seed: 21)
    var x: [Double] = []
    var y: [Double] = []
    for row in 0..<rows {
      let second = row % 10 >= 3
      x.append((second ? 10 : 0) + random.nextNormal())
      y.append((second ? 20 : 0) + random.nextNormal())
    }
    let table = try Table(columns: [
      Column(name: "x", kind: .numerical(.init(isInteger: false)), values: .numbers(x)),
      Column(name: "y", kind: .numerical(.init(isInteger: false)), values: .numbers(y)),
    ])
    return (table, metadata(of: table))
  }

  @Test(
    "the Gaussian mixture passes the conformance checks", arguments: ["pbc.csv", "arthritis.csv"])
  func conforms(file: String) async throws {
    let (table, metadata) = try exampleTable(file)
    let problems = try await SynthesizerConformance.run(
      GaussianMixtureSynthesizer(maxComponents: 3), table: table, metadata: metadata, rows: 1000)
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test("BIC picks two components and EM recovers the clusters' means and weights")
  func recoversTwoClusters() async throws {
    let (table, metadata) = try GaussianMixtureTests.twoClusters(rows: 1000)
    let model = try await GaussianMixtureSynthesizer(maxComponents: 4, quantile: false).fit(
      table, metadata: metadata, seed: 3, progress: nil)
    let criteria = model.selectionCriteria
    #expect(criteria.count == 4)
    #expect(criteria.indices.min { criteria[$0] < criteria[$1] } == 1, "BIC \(criteria)")
    #expect(model.componentCount == 2)
    // Means back in the data's units: standardised coordinate · scale + mean.
    let means = model.means.map { mean in
      zip(mean, model.columns).map { value, column in
        value * (column.scale ?? 1) + (column.mean ?? 0)
      }
    }
    let order = model.weights.indices.sorted { model.weights[$0] < model.weights[$1] }
    // With 300 and 700 rows of unit spread, the standard error of a mean is under 0.06 and of a
    // weight under 0.015; the tolerances are about four of them.
    #expect(abs(model.weights[order[0]] - 0.3) < 0.05)
    #expect(abs(model.weights[order[1]] - 0.7) < 0.05)
    #expect(abs(means[order[0]][0]) < 0.25 && abs(means[order[0]][1]) < 0.25, "\(means)")
    #expect(abs(means[order[1]][0] - 10) < 0.25 && abs(means[order[1]][1] - 20) < 0.25)
    // Samples fall into the two clusters in about the same proportions.
    let sample = try model.sample(rows: 4000, seed: 8)
    let sx = try #require(sample["x"]?.numbers)
    let share = Double(sx.filter { $0 > 5 }.count) / Double(sx.count)
    #expect(abs(share - 0.7) < 0.04, "share of the second cluster \(share)")
  }

  @Test("options decode with defaults and out-of-range values are rejected")
  func optionsDecode() throws {
    let registry = SynthesizerRegistry.standard
    let defaults = try #require(try registry.synthesizer("gmm") as? GaussianMixtureSynthesizer)
    #expect(defaults == (try GaussianMixtureSynthesizer()))
    #expect(defaults.maxComponents == 10 && defaults.reg == 1e-6)
    for bad in [["maxComponents": "0"], ["reg": "0"], ["maxLevels": "1"]] {
      #expect(throws: DoppelError.self) { try registry.synthesizer("gmm", options: bad) }
    }
  }
}
