import ArgumentParser
import Doppel
import Foundation
import Testing

@testable import DoppelCLI

@Suite("cart, m syntheses, partial synthesis and combine on the command line")
struct CARTCommandTests {
  @Test("fit cart, sample --m 3, then combine a regression over the three tables")
  func multipleSynthesesAndCombine() async throws {
    let scratch = try Scratch()
    let model = scratch.file("cart.json")
    try await doppel([
      "fit", exampleData("pbc.csv"), "--synthesizer", "cart", "--seed", "2", "-o", model, "-q",
    ])
    try await doppel([
      "sample", model, "--m", "3", "--seed", "4", "-o", scratch.file("syn.csv"), "-q",
    ])
    #expect(
      scratch.exists("syn_1.csv") && scratch.exists("syn_2.csv") && scratch.exists("syn_3.csv"))
    #expect(!scratch.exists("syn.csv"))
    let first = try String(contentsOfFile: scratch.file("syn_1.csv"), encoding: .utf8)
    let second = try String(contentsOfFile: scratch.file("syn_2.csv"), encoding: .utf8)
    #expect(first != second, "the syntheses use different seeds")
    #expect(first.split(separator: "\n").count == 419)

    let output = scratch.file("combine.json")
    try await doppel(
      [
        "combine", exampleData("pbc.csv"), "--formula", "albumin ~ age + sex + bili",
        "--rule", "synthpop", "-o", output,
      ] + (1...3).map { scratch.file("syn_\($0).csv") })
    let json =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
    let coefficients = try #require(json?["coefficients"] as? [[String: Any]])
    #expect(coefficients.map { $0["name"] as? String } == ["(Intercept)", "age", "sexm", "bili"])
    #expect(json?["syntheses"] as? Int == 3)
    let overlaps = coefficients.compactMap { $0["intervalOverlap"] as? Double }
    #expect(overlaps.count == 4)
    // The age and bili effects on albumin are kept well enough for intervals to overlap.
    #expect((json?["meanIntervalOverlap"] as? Double ?? -1) > 0)

    // The full rule needs two or more tables.
    await expectDoppelError(
      .invalidArgument,
      [
        "combine", exampleData("pbc.csv"), scratch.file("syn_1.csv"), "--formula",
        "albumin ~ age", "--rule", "full",
      ])
  }

  @Test("partial synthesis: fit --synthesize, sample --from keeps the other columns")
  func partialSynthesis() async throws {
    let scratch = try Scratch()
    let model = scratch.file("partial.json")
    try await doppel([
      "fit", exampleData("pbc.csv"), "--synthesizer", "cart", "--synthesize", "bili,chol", "-o",
      model, "-q",
    ])
    // Without the real rows a partial model cannot sample.
    let error = await expectDoppelError(
      .invalidArgument, ["sample", model, "-o", scratch.file("x.csv")])
    #expect(error?.message.contains("--from") == true)
    #expect(!scratch.exists("x.csv"))
    try await doppel([
      "sample", model, "--from", exampleData("pbc.csv"), "--seed", "1", "-o",
      scratch.file("partial.csv"), "-q",
    ])
    let (real, metadata) = try TableSource.load(path: exampleData("pbc.csv"))
    let synthetic = try TableSource.load(
      path: scratch.file("partial.csv"), matching: metadata)
    #expect(synthetic.rowCount == real.rowCount)
    for name in ["age", "sex", "albumin", "status"] {
      #expect(synthetic[name] == real[name], "\(name) is kept")
    }
    let realBili = try #require(real["bili"]?.numbers)
    let synthBili = try #require(synthetic["bili"]?.numbers)
    let same = zip(realBili, synthBili).filter { $0 == $1 }.count
    #expect(same < real.rowCount / 2, "bili is resynthesized (\(same) equal)")

    // A file without a kept column is refused, with no output left behind.
    let lacking = try scratch.write("lacking.csv", "bili,chol\n1.0,200\n")
    await expectDoppelError(
      .unknownColumn, ["sample", model, "--from", lacking, "-o", scratch.file("y.csv")])
    #expect(!scratch.exists("y.csv"))

    // --synthesize is a cart feature.
    #expect(throws: (any Error).self) {
      _ = try DoppelCommand.parseAsRoot([
        "fit", exampleData("pbc.csv"), "--synthesizer", "gaussian-copula", "--synthesize", "bili",
      ])
    }
  }

  @Test("run with --synthesize and --m writes the partial synthesis and m extra tables")
  func runPartialWithSyntheses() async throws {
    let scratch = try Scratch()
    let out = scratch.file("run")
    try await doppel([
      "run", exampleData("pbc.csv"), "--synthesizer", "cart", "--synthesize", "bili,albumin",
      "--m", "2", "--seed", "3", "--out", out, "-q",
    ])
    let (_, metadata) = try TableSource.load(path: exampleData("pbc.csv"))
    let main = try TableSource.load(path: out + "/synthetic.csv", matching: metadata)
    let second = try TableSource.load(path: out + "/synthetic_2.csv", matching: metadata)
    #expect(FileManager.default.fileExists(atPath: out + "/synthetic_1.csv"))
    // 334 training rows, each partially synthesized; kept columns are the same in every table.
    #expect(main.rowCount == 334 && second.rowCount == 334)
    #expect(main["age"] == second["age"] && main["status"] == second["status"])
    #expect(main["bili"] != second["bili"])
  }
}
