import Doppel
import DoppelTesting
import Foundation
import Testing

@Suite("SMOTE synthesizer")
struct SMOTETests {
  /// Two continuous columns and a class: 200 rows of "major" around (0, 0), 30 of "minor" around
  /// (5, 5).
  static func twoClasses() throws -> (Table, TableMetadata) {
    var random = SeededGenerator(seed: 11)
    var x: [Double] = []
    var y: [Double] = []
    var label: [Int32] = []
    for row in 0..<230 {
      let minor = row >= 200
      x.append((minor ? 5 : 0) + random.nextNormal())
      y.append((minor ? 5 : 0) + 3 * random.nextNormal())
      label.append(minor ? 1 : 0)
    }
    let table = try Table(columns: [
      Column(name: "x", kind: .numerical(.init(isInteger: false)), values: .numbers(x)),
      Column(name: "y", kind: .numerical(.init(isInteger: false)), values: .numbers(y)),
      Column(
        name: "class", kind: .categorical,
        values: .categories(codes: label, categories: ["major", "minor"])),
    ])
    return (table, metadata(of: table))
  }

  @Test(
    "SMOTE passes the conformance checks",
    arguments: [("adult sample", "income"), ("pbc.csv", "sex"), ("arthritis.csv", "Improved")])
  func conforms(file: String, label: String) async throws {
    let (table, metadata) =
      file == "adult sample" ? try #require(NetworkFixtures.adultSample) : try exampleTable(file)
    let problems = try await SynthesizerConformance.run(
      SMOTESynthesizer(label: label), table: table, metadata: metadata, rows: 1000)
    #expect(problems.isEmpty, "\(problems)")
  }

  @Test("minority rows lie on segments between a row and one of its k neighbours")
  func rowsLieOnSegments() async throws {
    let (table, metadata) = try SMOTETests.twoClasses()
    let model = try await SMOTESynthesizer(label: "class", k: 3, target: .minority).fit(
      table, metadata: metadata, seed: 1, progress: nil)
    let sample = try model.sample(rows: 300, seed: 2)
    let x = try #require(table["x"]?.numbers)
    let y = try #require(table["y"]?.numbers)
    let sx = try #require(sample["x"]?.numbers)
    let sy = try #require(sample["y"]?.numbers)
    let labels = try #require(sample["class"]?.categories)
    #expect(labels.codes.allSatisfy { labels.labels[Int($0)] == "minor" })
    let minor = try #require(model.classes.first { $0.code == 1 })
    for row in 0..<sample.rowCount {
      // Some (training row, neighbour) segment holds the point: same u on both coordinates.
      let onSegment = minor.rows.indices.contains { position in
        let base = minor.rows[position]
        return minor.neighbours[position].contains { neighbour in
          let other = minor.rows[Int(neighbour)]
          let dx = x[other] - x[base]
          let dy = y[other] - y[base]
          let u = abs(dx) > abs(dy) ? (sx[row] - x[base]) / dx : (sy[row] - y[base]) / dy
          return u >= -1e-9 && u <= 1 + 1e-9 && abs(x[base] + u * dx - sx[row]) < 1e-9
            && abs(y[base] + u * dy - sy[row]) < 1e-9
        }
      }
      #expect(onSegment, "row \(row) is on no segment between neighbours")
    }
  }

  @Test("each row keeps its k nearest same-class rows under standardised distance")
  func neighboursAreNearest() async throws {
    let (table, metadata) = try SMOTETests.twoClasses()
    let x = try #require(table["x"]?.numbers)
    let y = try #require(table["y"]?.numbers)
    func sd(_ v: [Double]) -> Double {
      let mean = v.reduce(0, +) / Double(v.count)
      return (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)).squareRoot()
    }
    let (scaleX, scaleY) = (sd(x), sd(y))
    for k in [1, 4] {
      let model = try await SMOTESynthesizer(label: "class", k: k).fit(
        table, metadata: metadata, seed: 1, progress: nil)
      #expect(model.classes.map(\.rows.count) == [200, 30])
      for group in model.classes {
        #expect(group.neighbours.allSatisfy { $0.count == k })
        for (position, row) in group.rows.enumerated() {
          func distance(_ other: Int) -> Double {
            let dx = (x[row] - x[other]) / scaleX
            let dy = (y[row] - y[other]) / scaleY
            return dx * dx + dy * dy
          }
          let chosen = Set(group.neighbours[position].map { group.rows[Int($0)] })
          #expect(!chosen.contains(row))
          let farthestChosen = chosen.map(distance).max() ?? 0
          let nearestOther =
            group.rows.filter { $0 != row && !chosen.contains($0) }.map(distance).min()
            ?? .infinity
          #expect(farthestChosen <= nearestOther * (1 + 1e-12))
        }
      }
    }
  }

  @Test("the balanced target generates only classes below the largest")
  func balancedTarget() async throws {
    let (table, metadata) = try SMOTETests.twoClasses()
    let model = try await SMOTESynthesizer(label: "class", target: .balanced).fit(
      table, metadata: metadata, seed: 1, progress: nil)
    let labels = try #require(try model.sample(rows: 200, seed: 3)["class"]?.categories)
    #expect(labels.codes.allSatisfy { labels.labels[Int($0)] == "minor" })
    #expect(model.describe.contains("real training rows"))
  }

  @Test("a missing, unknown or numerical label fails with a clear error")
  func labelErrors() async throws {
    let (table, metadata) = try SMOTETests.twoClasses()
    let cases: [(SMOTESynthesizer, DoppelError.Code)] = [
      (try SMOTESynthesizer(), .invalidArgument),
      (try SMOTESynthesizer(label: "nope"), .unknownColumn),
      (try SMOTESynthesizer(label: "x"), .schemaMismatch),
    ]
    for (synthesizer, code) in cases {
      await #expect {
        _ = try await synthesizer.fit(table, metadata: metadata, seed: 1, progress: nil)
      } throws: { error in
        (error as? DoppelError)?.code == code
      }
    }
    var labelled = metadata
    labelled.label = "class"
    let model = try await SMOTESynthesizer().fit(table, metadata: labelled, seed: 1, progress: nil)
    #expect(model.synthesizer.label == "class")
    #expect(throws: DoppelError.self) {
      try SynthesizerRegistry.standard.synthesizer("smote", options: ["k": "0"])
    }
  }
}
