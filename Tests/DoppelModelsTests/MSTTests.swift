import Doppel
import DoppelTesting
import Foundation
import Testing

@Suite("MST synthesizer")
struct MSTTests {
  /// δ of (ε, δ)-DP implied by ρ-zCDP, written from the formula of Canonne, Kamath and Steinke
  /// (NeurIPS 2020): min over α > 1 of exp((α − 1)(αρ − ε)) / (α − 1) · (1 − 1/α)^α, minimised
  /// here by ternary search on the logarithm, which is convex in α on the searched range.
  static func directDelta(rho: Double, epsilon: Double) -> Double {
    func logBound(_ alpha: Double) -> Double {
      (alpha - 1) * (alpha * rho - epsilon) - log(alpha - 1) + alpha * log(1 - 1 / alpha)
    }
    var low = 1.000_001
    var high = 10 * (epsilon + 1) / rho + 10
    for _ in 0..<2000 {
      let a = low + (high - low) / 3
      let b = high - (high - low) / 3
      if logBound(a) < logBound(b) { high = b } else { low = a }
    }
    return exp(logBound((low + high) / 2))
  }

  /// A table where `b` copies `a` 90% of the time and `c` copies `b` 90% of the time, while `x`, a
  /// whole number from 0 to 39, and `noise` are independent of everything.
  static func chainTable(rows: Int, seed: UInt64) throws -> (Table, TableMetadata) {
    var random = SeededGenerator(seed: seed)
    let labels = ["p", "q", "r", "s"]
    var a: [Int32] = []
    var b: [Int32] = []
    var c: [Int32] = []
    var noise: [Int32] = []
    var x: [Double] = []
    for _ in 0..<rows {
      let va = Int32(random.nextInt(below: 4))
      let vb = random.nextUnit() < 0.9 ? va : Int32(random.nextInt(below: 4))
      let vc = random.nextUnit() < 0.9 ? vb : Int32(random.nextInt(below: 4))
      a.append(va)
      b.append(vb)
      c.append(vc)
      noise.append(Int32(random.nextInt(below: 3)))
      x.append(Double(random.nextInt(below: 40)))
    }
    let columns = try [
      Column(name: "a", kind: .categorical, values: .categories(codes: a, categories: labels)),
      Column(name: "b", kind: .categorical, values: .categories(codes: b, categories: labels)),
      Column(name: "c", kind: .categorical, values: .categories(codes: c, categories: labels)),
      Column(
        name: "noise", kind: .categorical,
        values: .categories(codes: noise, categories: ["u", "v", "w"])),
      Column(name: "x", kind: .numerical(.init(isInteger: true)), values: .numbers(x)),
    ]
    let table = try Table(columns: columns)
    return (table, metadata(of: table))
  }

  /// The joint distribution of two columns' cells; numbers fall into cells of width 10.
  static func pairDistribution(_ table: Table, _ first: String, _ second: String) throws
    -> [String: Double]
  {
    func cells(_ name: String) throws -> [String] {
      let column = try #require(table[name])
      if let numbers = column.numbers {
        return numbers.map { String(Int(($0 / 10).rounded(.down))) }
      }
      let categories = try #require(column.categories)
      return categories.codes.map { categories.labels[Int($0)] }
    }
    let left = try cells(first)
    let right = try cells(second)
    var distribution: [String: Double] = [:]
    for (l, r) in zip(left, right) {
      distribution[l + "|" + r, default: 0] += 1 / Double(table.rowCount)
    }
    return distribution
  }

  static func totalVariation(_ p: [String: Double], _ q: [String: Double]) -> Double {
    Set(p.keys).union(q.keys).reduce(0) { $0 + abs(p[$1, default: 0] - q[$1, default: 0]) } / 2
  }

  @Test("MST at ε = 1 passes the conformance checks on a sample of adult")
  func conforms() async throws {
    let (table, metadata) = try #require(NetworkFixtures.adultSample)
    let problems = try await SynthesizerConformance.run(
      MSTSynthesizer(), table: table, metadata: metadata)
    #expect(problems.isEmpty, "\(problems)")
  }

  /// pbc has only 418 rows; at ε = 1 the per-cell noise (σ ≈ 60 rows) is a sizeable part of the
  /// table, so the missing-rate check's 3% tolerance is out of reach by design. The mechanical
  /// checks do not depend on ε, so they run where the noise is small.
  @Test("MST at ε = 1000 passes the conformance checks on pbc")
  func conformsOnSmallTable() async throws {
    let (table, metadata) = try exampleTable("pbc.csv")
    let problems = try await SynthesizerConformance.run(
      MSTSynthesizer(epsilon: 1000), table: table, metadata: metadata, rows: 1000)
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test(
    "the ledger spends exactly the ρ of the requested (ε, δ), a third per step",
    arguments: [(1.0, 1e-9), (0.3, 1e-6), (8.0, 1e-9)])
  func ledgerMatchesConversion(epsilon: Double, delta: Double) async throws {
    let (table, metadata) = try MSTTests.chainTable(rows: 500, seed: 3)
    let model = try await MSTSynthesizer(epsilon: epsilon, delta: delta).fit(
      table, metadata: metadata, seed: 1, progress: nil)
    let ledger = model.accounting
    let rho = ledger.steps.reduce(0) { $0 + $1.rho }
    #expect(abs(rho - ledger.totalRho) <= 1e-12 * rho)
    #expect(ledger.steps.allSatisfy { $0.epsilon == 0 && abs($0.rho - rho / 3) <= 1e-12 * rho })
    #expect(ledger.steps.map(\.uses) == [5, 4, 4])
    // ρ-zCDP at this ρ gives (ε, δ)-DP with the δ asked for, by the formula computed directly.
    let direct = MSTTests.directDelta(rho: rho, epsilon: epsilon)
    #expect(abs(direct - delta) <= 1e-3 * delta, "direct δ \(direct) for ρ \(rho)")
    #expect(abs(ledger.totalEpsilon - epsilon) <= 1e-6 * epsilon)
    #expect(ledger.delta == delta && ledger.requestedEpsilon == epsilon)
    #expect(ledger.epsilonConversion == .canonneKamathSteinke)
    // The classic conversion would state a larger ε for the same ρ.
    #expect(rho + 2 * (rho * log(1 / delta)).squareRoot() > epsilon)
    let reloaded = try ModelFile.decodeModel(MSTModel.self, from: ModelFile.encode(model))
    #expect(reloaded.accounting == ledger)
  }

  @Test("with ε = 10⁶ the sampled two-way marginals match the data")
  func largeEpsilonMatchesMarginals() async throws {
    let (table, metadata) = try MSTTests.chainTable(rows: 4000, seed: 7)
    let model = try await MSTSynthesizer(epsilon: 1e6).fit(
      table, metadata: metadata, seed: 2, progress: nil)
    let sample = try model.sample(rows: 40000, seed: 5)
    for (first, second) in [("a", "b"), ("b", "c"), ("a", "c"), ("c", "x"), ("a", "noise")] {
      let distance = MSTTests.totalVariation(
        try MSTTests.pairDistribution(table, first, second),
        try MSTTests.pairDistribution(sample, first, second))
      // Sampling 4,000 and 40,000 rows over at most 16 cells leaves a total variation of about
      // 0.02; the noise at ε = 10⁶ is negligible. a–c is only right if the tree is a–b–c.
      #expect(distance < 0.03, "\(first)–\(second): total variation \(distance)")
    }
    let numbers = try #require(sample["x"]?.numbers)
    #expect(numbers.allSatisfy { $0 == $0.rounded() && $0 >= 0 && $0 <= 39 })
  }

  @Test("the tree joins the strongly dependent pair at ε = 1", arguments: [UInt64(1), 2, 3])
  func treeFindsDependentPair(seed: UInt64) async throws {
    let (table, metadata) = try MSTTests.chainTable(rows: 5000, seed: seed)
    let model = try await MSTSynthesizer(epsilon: 1).fit(
      table, metadata: metadata, seed: seed, progress: nil)
    let index = { (name: String) in metadata.columns.firstIndex { $0.name == name } }
    let a = try #require(index("a"))
    let b = try #require(index("b"))
    let c = try #require(index("c"))
    let edges = model.network.nodes.flatMap { node in
      node.parents.map { Set([node.attribute, $0]) }
    }
    // Each pair's L1 distance from independence is about 1.35·n for a–b and b–c, 1.2·n for a–c
    // and only sampling noise for the independent columns, so a maximum spanning tree holds
    // a–b and b–c; at ε = 1 a selection prefers a gap of 0.15·n = 750 rows by a factor e^18.
    #expect(edges.contains(Set([a, b])) && edges.contains(Set([b, c])), "\(edges)")
    #expect(model.network.degree <= 1)
  }

  @Test("options decode with defaults and out-of-range values are rejected")
  func optionsDecode() throws {
    let registry = SynthesizerRegistry.standard
    let defaults = try #require(try registry.synthesizer("mst") as? MSTSynthesizer)
    #expect(defaults == (try MSTSynthesizer()))
    #expect(defaults.epsilon == 1 && defaults.delta == 1e-9)
    let chosen = try #require(
      try registry.synthesizer("mst", options: ["epsilon": "0.5", "delta": "0.000001"])
        as? MSTSynthesizer)
    #expect(chosen.epsilon == 0.5 && chosen.delta == 1e-6)
    for bad in [["epsilon": "0"], ["delta": "1"], ["delta": "0"], ["bins": "1"], ["k": "3"]] {
      #expect(throws: DoppelError.self) { try registry.synthesizer("mst", options: bad) }
    }
  }
}
