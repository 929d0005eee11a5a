import Doppel
import Foundation
import Testing

@Suite("Attribute disclosure")
struct PrivacyDisclosureTests {
  /// A table with key columns `region` (categorical) and `age` (integer) and a sensitive column
  /// `diagnosis`; `labels` fixes the category order of `region`.
  private func table(
    _ rows: [(region: String, age: Double, diagnosis: String)],
    labels: [String] = ["north", "south", "east"]
  ) throws -> Table {
    let diagnoses = ["flu", "cold", "none"]
    return try Table(columns: [
      Column(
        name: "region", kind: .categorical,
        values: .categories(
          codes: rows.map { Int32(labels.firstIndex(of: $0.region) ?? 0) }, categories: labels)),
      Column(
        name: "age", kind: .numerical(NumericalFormat(isInteger: true)),
        values: .numbers(rows.map(\.age))),
      Column(
        name: "diagnosis", kind: .categorical,
        values: .categories(
          codes: rows.map { Int32(diagnoses.firstIndex(of: $0.diagnosis) ?? 0) },
          categories: diagnoses)),
    ])
  }

  /// Random rows whose diagnosis follows from region and age.
  private func determinedRows(_ count: Int, seed: UInt64) -> [(
    region: String, age: Double, diagnosis: String
  )] {
    var generator = SeededGenerator(seed: seed)
    let regions = ["north", "south", "east"]
    return (0..<count).map { _ in
      let region = regions[generator.nextInt(below: 3)]
      let age = Double(20 + generator.nextInt(below: 5))
      return (region, age, region == "north" ? "flu" : age < 22 ? "cold" : "none")
    }
  }

  @Test("keys that determine the sensitive value give a TCAP of 1")
  func determined() throws {
    let real = try table(determinedRows(400, seed: 1))
    let synthetic = try table(determinedRows(300, seed: 2), labels: ["east", "south", "north"])
    let result = try AttributeDisclosure(
      real: real, synthetic: synthetic, keys: ["region", "age"], sensitive: "diagnosis")
    #expect(result.tcap == 1)
    #expect(result.matchRate == 1)
    #expect(result.baseline > 0.3 && result.baseline < 0.6)
    #expect(result.keys == ["region", "age"])
    #expect(result.sensitive == "diagnosis")
  }

  @Test("a hand-worked example: TCAP, baseline and match rate")
  func handWorked() throws {
    let real = try table([
      ("north", 20, "flu"), ("north", 20, "cold"), ("south", 30, "cold"), ("east", 40, "flu"),
    ])
    let synthetic = try table([
      ("north", 20, "flu"), ("north", 20, "flu"), ("north", 20, "cold"), ("south", 30, "none"),
    ])
    let result = try AttributeDisclosure(
      real: real, synthetic: synthetic, keys: ["region", "age"], sensitive: "diagnosis")
    // Matched real rows: north/flu → 2/3, north/cold → 1/3, south/cold → 0/1.
    #expect(abs(result.tcap - (2.0 / 3 + 1.0 / 3 + 0) / 3) < 1e-12)
    #expect(result.matchRate == 0.75)
    // flu 2, cold 2 of 4.
    #expect(result.baseline == 0.5)
  }

  @Test("a numerical sensitive column is cut into deciles of the real data")
  func numericalSensitive() throws {
    let values = (1...100).map(Double.init)
    func make(_ values: [Double], group: (Double) -> String) throws -> Table {
      try Table(columns: [
        Column(
          name: "group", kind: .categorical,
          values: .categories(
            codes: values.map { Int32(["low", "high"].firstIndex(of: group($0)) ?? 0) },
            categories: ["low", "high"])),
        Column(name: "income", kind: PrivacyFixtures.decimal, values: .numbers(values)),
      ])
    }
    let real = try make(values) { _ in "low" }
    let result = try AttributeDisclosure(
      real: real, synthetic: real, keys: ["group"], sensitive: "income")
    // One key class holding ten rows of every decile: each real row's decile has share 0.1.
    #expect(abs(result.tcap - 0.1) < 1e-12)
    #expect(abs(result.baseline - 0.1) < 1e-12)
    // Synthetic values off the real ones but in the same deciles still count as correct.
    let byDecile = try make(values) { $0 <= 10 ? "low" : "high" }
    let shifted = try make(values.map { $0 <= 10 ? $0 - 0.5 : $0 }) { $0 <= 10 ? "low" : "high" }
    let grouped = try AttributeDisclosure(
      real: byDecile, synthetic: shifted, keys: ["group"], sensitive: "income")
    // "low" rows (10) are all in the first decile; "high" rows spread over nine deciles.
    #expect(abs(grouped.tcap - (10 * 1.0 + 90 * (1.0 / 9)) / 100) < 1e-12)
  }

  @Test("the evaluator reports attribute disclosure with a verdict")
  func throughEvaluator() throws {
    let real = try table(determinedRows(400, seed: 1))
    let synthetic = try table(determinedRows(300, seed: 2))
    let result = try PrivacyEvaluator.evaluate(
      train: real, synthetic: synthetic, holdout: nil, keys: ["region", "age"],
      sensitive: "diagnosis", seed: 1)
    #expect(result.attributeDisclosure?.tcap == 1)
    let verdict = try #require(result.verdicts.first { $0.measure == "attributeDisclosure" })
    #expect(verdict.level == PrivacyLevel.risk.rawValue)
  }
}
