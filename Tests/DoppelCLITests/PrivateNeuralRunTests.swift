import ArgumentParser
import Doppel
import Foundation
import Testing

@testable import DoppelCLI

@Suite("DP-SGD guarantees on the command line")
struct PrivateNeuralRunTests {
  @Test("run with a private CTGAN puts its DP-SGD guarantee on the report's model card")
  func runShowsGuarantee() async throws {
    let scratch = try Scratch()
    let out = scratch.file("out")
    try await doppel([
      "run", exampleData("jasa.csv"), "--out", out, "--seed", "3", "--synthesizer", "ctgan",
      "--option", "epochs=1", "--option", "batchSize=40", "--option", "hiddenWidth=16",
      "--option", "embeddingDimension=8", "--option", "threads=1", "--option", "dpEpsilon=3",
      "-q",
    ])
    let evaluation = try Evaluator.decode(
      Data(contentsOf: URL(fileURLWithPath: out + "/evaluation.json")))
    let model = try #require(try loadModel(out + "/model.json") as? CTGANModel)
    let privacy = try #require(model.privacy)
    #expect(privacy.epsilon <= 3 && privacy.epsilon > 2.97)
    let budget = try #require(evaluation.modelCard?.privacyBudget)
    #expect(budget.contains("DP-SGD"))
    #expect(budget == PrivacyBudgetText.describe(model))
    let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
    #expect(html.contains("DP-SGD"))
  }

  @Test("models trained without DP-SGD show no budget")
  func plainModelHasNoBudget() async throws {
    let scratch = try Scratch()
    try await doppel([
      "fit", exampleData("jasa.csv"), "--synthesizer", "ctgan", "--epochs", "1",
      "--batch-size", "40", "--option", "hiddenWidth=16", "--option", "threads=1",
      "-o", scratch.file("m.json"), "--quiet",
    ])
    #expect(PrivacyBudgetText.describe(try loadModel(scratch.file("m.json"))) == nil)
  }
}
