import Doppel
import DoppelTesting
import Foundation
import Testing

@Suite("Bayesian network synthesizer")
struct BayesianNetworkTests {
  @Test(
    "the Bayesian network passes the conformance checks",
    arguments: ["pbc.csv", "arthritis.csv", "adult sample"])
  func conforms(file: String) async throws {
    let (table, metadata) =
      file == "adult sample" ? try #require(NetworkFixtures.adultSample) : try exampleTable(file)
    let problems = try await SynthesizerConformance.run(
      BayesianNetworkSynthesizer(), table: table, metadata: metadata)
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test("the Chow–Liu tree passes the conformance checks on pbc")
  func chowLiuConforms() async throws {
    let (table, metadata) = try exampleTable("pbc.csv")
    let problems = try await SynthesizerConformance.run(
      BayesianNetworkSynthesizer(structure: .chowLiu), table: table, metadata: metadata, rows: 500)
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test(
    "education and education-num stay one-to-one in synthetic adult",
    arguments: BayesianNetworkSynthesizer.Structure.allCases)
  func keepsOneToOnePair(structure: BayesianNetworkSynthesizer.Structure) async throws {
    let (table, metadata) = try #require(NetworkFixtures.adult)
    let started = ContinuousClock.now
    let model = try await BayesianNetworkSynthesizer(structure: structure).fit(
      table, metadata: metadata, seed: 1, progress: nil)
    let synthetic = try model.sample(rows: table.rowCount, seed: 2)
    let elapsed = ContinuousClock.now - started
    func pairs(_ t: Table) throws -> [String] {
      let education = try #require(t["education"]?.categories)
      let number = try #require(t["education-num"]?.numbers)
      return (0..<t.rowCount).map { "\(education.labels[Int(education.codes[$0])])|\(number[$0])" }
    }
    let real = Set(try pairs(table))
    let syntheticPairs = try pairs(synthetic)
    let onReal =
      Double(syntheticPairs.filter { real.contains($0) }.count) / Double(syntheticPairs.count)
    print(
      "bayesian-network \(structure.rawValue): \(onReal) of rows on real pairs; fit+sample \(elapsed)"
    )
    // The real table has exactly 16 pairs, one per level. Measured: 0.99+ of synthetic rows.
    #expect(onReal > 0.9, "share of rows on real (education, education-num) pairs \(onReal)")
  }

  @Test("numbers stay on their grid and in range, and point masses survive")
  func numbersKeepTheirShape() async throws {
    let (table, metadata) = try #require(NetworkFixtures.adultSample)
    let model = try await BayesianNetworkSynthesizer().fit(
      table, metadata: metadata, seed: 1, progress: nil)
    let synthetic = try model.sample(rows: 5000, seed: 3)
    for name in ["age", "fnlwgt", "capital-gain", "hours-per-week"] {
      let real = try #require(table[name]?.numbers)
      let fake = try #require(synthetic[name]?.numbers)
      let low = try #require(real.min())
      let high = try #require(real.max())
      #expect(fake.allSatisfy { $0 == $0.rounded() && $0 >= low && $0 <= high }, "\(name)")
    }
    // 91.6% of adult's capital gains are 0; the value keeps a bin of its own.
    func zeroShare(_ t: Table) throws -> Double {
      let values = try #require(t["capital-gain"]?.numbers)
      return Double(values.filter { $0 == 0 }.count) / Double(values.count)
    }
    #expect(abs(try zeroShare(synthetic) - zeroShare(table)) < 0.02)
  }

  @Test("options decode with defaults and out-of-range values are rejected")
  func optionsDecode() throws {
    let registry = SynthesizerRegistry.standard
    let defaults = try #require(
      try registry.synthesizer("bayesian-network") as? BayesianNetworkSynthesizer)
    #expect(defaults == (try BayesianNetworkSynthesizer()))
    #expect(defaults.structure == .greedy && defaults.maxParents == 2 && defaults.alpha == 1)
    let chosen = try #require(
      try registry.synthesizer(
        "bayesian-network", options: ["structure": "chow-liu", "alpha": "0.5", "bins": "8"])
        as? BayesianNetworkSynthesizer)
    #expect(chosen.structure == .chowLiu && chosen.alpha == 0.5 && chosen.bins == 8)
    for bad in [["maxParents": "7"], ["alpha": "-1"], ["bins": "1"], ["structure": "random"]] {
      #expect(throws: DoppelError.self) {
        try registry.synthesizer("bayesian-network", options: bad)
      }
    }
  }

  @Test("a damaged model file fails with corruptModel")
  func damagedModelIsRejected() async throws {
    let (table, metadata) = try exampleTable("arthritis.csv")
    let model = try await BayesianNetworkSynthesizer().fit(
      table, metadata: metadata, seed: 1, progress: nil)
    var object = try #require(
      try JSONSerialization.jsonObject(with: ModelFile.encode(model)) as? [String: Any])
    var body = try #require(object["model"] as? [String: Any])
    var network = try #require(body["network"] as? [String: Any])
    var nodes = try #require(network["nodes"] as? [[String: Any]])
    let last = try #require(nodes.indices.last)
    nodes[last]["parents"] = [99]
    network["nodes"] = nodes
    body["network"] = network
    object["model"] = body
    let data = try JSONSerialization.data(withJSONObject: object)
    #expect {
      try SynthesizerRegistry.standard.loadModel(data)
    } throws: { error in
      (error as? DoppelError)?.code == .corruptModel
    }
  }

  @Test(
    "two columns of 2,000 categories each are fitted without a joint table of 4 million cells",
    arguments: BayesianNetworkSynthesizer.Structure.allCases)
  func manyCategories(structure: BayesianNetworkSynthesizer.Structure) async throws {
    var random = SeededGenerator(seed: 3)
    let rows = 4000
    let a = (0..<rows).map { _ in Int32(random.nextInt(below: 2000)) }
    let b = a.map { ($0 + Int32(random.nextInt(below: 3))) % 2000 }
    let labels = (0..<2000).map { "L\($0)" }
    let table = try Table(columns: [
      Column(name: "a", kind: .categorical, values: .categories(codes: a, categories: labels)),
      Column(name: "b", kind: .categorical, values: .categories(codes: b, categories: labels)),
    ])
    let model = try await BayesianNetworkSynthesizer(structure: structure).fit(
      table, metadata: metadata(of: table), seed: 1, progress: nil)
    #expect(model.network.nodes.allSatisfy { $0.probabilities.count <= 1 << 20 })
    #expect(try model.sample(rows: 100, seed: 1).rowCount == 100)
  }
}
