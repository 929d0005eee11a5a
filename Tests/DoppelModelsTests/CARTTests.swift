import Doppel
import DoppelTesting
import Foundation
import Testing

/// x uniform on 0…99 (integers), a label that is a step function of x, and a continuous value.
func stepTable(rows: Int = 1500, seed: UInt64 = 5) throws -> Table {
  var random = SeededGenerator(seed: seed)
  var x: [Double] = []
  var codes: [Int32] = []
  var z: [Double] = []
  for _ in 0..<rows {
    let value = Double(random.nextInt(below: 100))
    x.append(value)
    codes.append(value < 30 ? 0 : (value < 70 ? 1 : 2))
    z.append(value / 10 + random.nextNormal())
  }
  return try Table(columns: [
    Column(name: "x", kind: .numerical(NumericalFormat(isInteger: true)), values: .numbers(x)),
    Column(
      name: "band", kind: .categorical,
      values: .categories(codes: codes, categories: ["low", "mid", "high"])),
    Column(name: "z", kind: .numerical(NumericalFormat(isInteger: false)), values: .numbers(z)),
  ])
}

/// Every leaf of every tree of a model, with its training row count.
func leafSizes(_ model: CARTModel) -> [Int] {
  model.columns.flatMap { column in
    [column.missingTree, column.valueTree].compactMap { $0 }.flatMap { tree in
      tree.leaves.map { leaf in leaf.values?.count ?? (leaf.counts ?? []).reduce(0, +) }
    }
  }
}

@Suite("CART synthesizer")
struct CARTTests {
  @Test(
    "cart passes the conformance checks",
    arguments: ["pbc.csv", "arthritis.csv", "jasa.csv"])
  func conforms(file: String) async throws {
    let (table, metadata) = try exampleTable(file)
    let problems = try await SynthesizerConformance.run(
      CARTSynthesizer(), table: table, metadata: metadata, rows: 1000)
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test("proper cart with smoothing off passes the conformance checks on pbc")
  func properConforms() async throws {
    let (table, metadata) = try exampleTable("pbc.csv")
    let problems = try await SynthesizerConformance.run(
      CARTSynthesizer(smoothing: .none, proper: true), table: table, metadata: metadata, rows: 500)
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test("a label that is a step function of an earlier column is reproduced for every row")
  func learnsDeterministicColumn() async throws {
    let table = try stepTable()
    let model = try await CARTSynthesizer().fit(
      table, metadata: metadata(of: table), seed: 1, progress: nil)
    let sample = try model.sample(rows: 3000, seed: 2)
    let x = try #require(sample["x"]?.numbers)
    let band = try #require(sample["band"]?.categories)
    var wrong = 0
    for row in 0..<sample.rowCount {
      let expected = x[row] < 30 ? "low" : (x[row] < 70 ? "mid" : "high")
      if band.labels[Int(band.codes[row])] != expected { wrong += 1 }
    }
    #expect(wrong == 0)
    // The regression tree follows z's trend in x: the correlation stays high (real ≈ 0.94).
    let z = try #require(sample["z"]?.numbers)
    #expect(correlation(x, z) > 0.85)
  }

  @Test("every leaf holds at least minLeaf training rows", arguments: [1, 5, 25])
  func minLeafRespected(minLeaf: Int) async throws {
    let (table, metadata) = try exampleTable("pbc.csv")
    let model = try await CARTSynthesizer(minLeaf: minLeaf).fit(
      table, metadata: metadata, seed: 1, progress: nil)
    let sizes = leafSizes(model)
    #expect(!sizes.isEmpty)
    #expect(sizes.allSatisfy { $0 >= minLeaf }, "smallest leaf \(sizes.min() ?? 0)")
    // Larger leaves mean fewer of them.
    if minLeaf == 25 {
      let fine = try await CARTSynthesizer(minLeaf: 5).fit(
        table, metadata: metadata, seed: 1, progress: nil)
      #expect(leafSizes(fine).count > sizes.count)
    }
  }

  @Test("density smoothing leaves few sampled numbers equal to a training value; none copies all")
  func smoothingMovesValues() async throws {
    let table = try stepTable()
    let training = Set(try #require(table["z"]?.numbers))
    for (smoothing, check) in [
      (CARTSynthesizer.Smoothing.none, { (share: Double) in share == 1 }),
      (CARTSynthesizer.Smoothing.density, { (share: Double) in share < 0.01 }),
    ] {
      let model = try await CARTSynthesizer(smoothing: smoothing).fit(
        table, metadata: metadata(of: table), seed: 1, progress: nil)
      let z = try #require(try model.sample(rows: 2000, seed: 3)["z"]?.numbers)
      let copies = Double(z.filter { training.contains($0) }.count) / Double(z.count)
      #expect(check(copies), "\(smoothing): \(copies) of values are training values")
      let lower = training.min() ?? 0
      let upper = training.max() ?? 0
      #expect(z.allSatisfy { $0 >= lower && $0 <= upper }, "values stay in the training range")
    }
  }

  @Test("smoothing keeps an integer column integer")
  func smoothingKeepsIntegers() async throws {
    let table = try stepTable()
    let model = try await CARTSynthesizer().fit(
      table, metadata: metadata(of: table), seed: 1, progress: nil)
    let x = try #require(try model.sample(rows: 1000, seed: 3)["x"]?.numbers)
    #expect(x.allSatisfy { $0 == $0.rounded() && $0 >= 0 && $0 <= 99 })
  }

  @Test("the visit sequence is honoured: listed columns first, trees use only earlier columns")
  func visitSequence() async throws {
    let table = try stepTable()
    // Without smoothing, so x stays in its donors' band.
    let model = try await CARTSynthesizer(smoothing: .none, visitSequence: "z, band").fit(
      table, metadata: metadata(of: table), seed: 1, progress: nil)
    #expect(model.visitSequence == ["z", "band", "x"])
    let names = table.columnNames
    for (position, name) in model.visitSequence.enumerated() {
      let earlier = Set(model.visitSequence[..<position].compactMap { names.firstIndex(of: $0) })
      let column = try #require(model.columns.first { $0.name == name })
      let tree = try #require(column.valueTree)
      let used = Set(tree.nodes.compactMap(\.feature))
      #expect(used.isSubset(of: earlier), "\(name) splits on a later column")
      if position == 0 { #expect(tree.nodes.count == 1, "the first column is its marginal") }
    }
    // band is visited before x, so x is predicted from band and stays in band's range.
    let sample = try model.sample(rows: 2000, seed: 4)
    let x = try #require(sample["x"]?.numbers)
    let band = try #require(sample["band"]?.categories)
    let consistent = (0..<sample.rowCount).filter { row in
      let label = band.labels[Int(band.codes[row])]
      return label == (x[row] < 30 ? "low" : (x[row] < 70 ? "mid" : "high"))
    }.count
    #expect(Double(consistent) / Double(sample.rowCount) > 0.97)
  }

  @Test("an unknown column in visitSequence or synthesize is a clear error")
  func unknownColumns() async throws {
    let table = try stepTable(rows: 100)
    for synthesizer in [
      try CARTSynthesizer(visitSequence: "nope"), try CARTSynthesizer(synthesize: "x,nope"),
    ] {
      await #expect(throws: DoppelError.self) {
        _ = try await synthesizer.fit(table, metadata: metadata(of: table), seed: 1, progress: nil)
      }
    }
    #expect(throws: DoppelError.self) { _ = try CARTSynthesizer(minLeaf: 0) }
  }

  @Test("a saved and reloaded model is equal and samples the same rows")
  func modelFileRoundTrip() async throws {
    let (table, metadata) = try exampleTable("pbc.csv")
    let model = try await CARTSynthesizer().fit(table, metadata: metadata, seed: 1, progress: nil)
    let data = try ModelFile.encode(model)
    let loaded = try SynthesizerRegistry.standard.loadModel(data)
    let cart = try #require(loaded as? CARTModel)
    #expect(cart == model)
    #expect(try cart.sample(rows: 300, seed: 8) == model.sample(rows: 300, seed: 8))
    // A damaged tree reference is caught on reading.
    let text = try #require(String(data: data, encoding: .utf8))
    let damaged = text.replacingOccurrences(of: "\"left\":1,", with: "\"left\":100000,")
    #expect(damaged != text)
    #expect(throws: DoppelError.self) {
      _ = try SynthesizerRegistry.standard.loadModel(Data(damaged.utf8))
    }
    // A split on the id column (index 0, never a predictor) is caught too.
    let wrongColumn = text.replacingOccurrences(of: "\"feature\":1,", with: "\"feature\":0,")
    #expect(wrongColumn != text)
    #expect(throws: DoppelError.self) {
      _ = try SynthesizerRegistry.standard.loadModel(Data(wrongColumn.utf8))
    }
  }

  @Test("partial synthesis replaces only the named columns and keeps the others row by row")
  func partialSynthesis() async throws {
    let table = try stepTable(rows: 800)
    let model = try await CARTSynthesizer(synthesize: "band").fit(
      table, metadata: metadata(of: table), seed: 1, progress: nil)
    #expect(model.isPartial)
    #expect(model.keptColumns == ["x", "z"])
    #expect(throws: DoppelError.self) { _ = try model.sample(rows: 10, seed: 1) }
    let out = try model.sample(conditionedOn: table, range: 0..<table.rowCount, seed: 2)
    #expect(out["x"] == table["x"])
    #expect(out["z"] == table["z"])
    // band is redrawn given the real x: the step function holds for every row.
    let x = try #require(out["x"]?.numbers)
    let band = try #require(out["band"]?.categories)
    for row in 0..<out.rowCount {
      #expect(
        band.labels[Int(band.codes[row])] == (x[row] < 30 ? "low" : (x[row] < 70 ? "mid" : "high")))
    }
    // Disjoint ranges add up.
    var parts = try model.sample(conditionedOn: table, range: 0..<300, seed: 2)
    try parts.append(model.sample(conditionedOn: table, range: 300..<800, seed: 2))
    #expect(parts == out)
    // Real rows without a kept column are refused.
    let lacking = try Table(columns: [try #require(table["x"])])
    #expect(throws: DoppelError.self) {
      _ = try model.sample(conditionedOn: lacking, range: 0..<10, seed: 1)
    }
  }

  @Test("a partially synthesized numeric column differs from the real one but keeps its shape")
  func partialNumeric() async throws {
    let table = try stepTable(rows: 1000)
    let model = try await CARTSynthesizer(synthesize: "z").fit(
      table, metadata: metadata(of: table), seed: 1, progress: nil)
    let out = try model.sample(conditionedOn: table, range: 0..<1000, seed: 3)
    let real = try #require(table["z"]?.numbers)
    let synthetic = try #require(out["z"]?.numbers)
    #expect(zip(real, synthetic).filter { $0 == $1 }.count < 10)
    #expect(correlation(try #require(table["x"]?.numbers), synthetic) > 0.85)
  }
}

/// Pearson's correlation.
func correlation(_ a: [Double], _ b: [Double]) -> Double {
  let n = Double(a.count)
  let ma = a.reduce(0, +) / n
  let mb = b.reduce(0, +) / n
  var sab = 0.0
  var saa = 0.0
  var sbb = 0.0
  for (x, y) in zip(a, b) {
    sab += (x - ma) * (y - mb)
    saa += (x - ma) * (x - ma)
    sbb += (y - mb) * (y - mb)
  }
  return sab / (saa * sbb).squareRoot()
}
