import ArgumentParser
import Doppel
import Foundation
import Testing

@testable import DoppelCLI

@Suite("neural synthesizers on the command line")
struct NeuralFitTests {
  @Test("fit with --epochs, --batch-size and --checkpoint, then resume and sample")
  func fitCheckpointResumeSample() async throws {
    let scratch = try Scratch()
    let data = exampleData("jasa.csv")
    let common = [
      "fit", data, "--synthesizer", "tvae", "--batch-size", "50", "--option", "hiddenWidth=16",
      "--option", "threads=1", "--checkpoint", scratch.file("state.json"), "--quiet",
    ]
    try await doppel(common + ["--epochs", "1", "-o", scratch.file("one.json")])
    #expect(scratch.exists("state.json"))
    try await doppel(common + ["--epochs", "2", "--resume", "-o", scratch.file("two.json")])
    let model = try loadModel(scratch.file("two.json"))
    let tvae = try #require(model as? TVAEModel)
    #expect(tvae.synthesizer.epochs == 2)
    #expect(tvae.synthesizer.batchSize == 50)
    try await doppel([
      "sample", scratch.file("two.json"), "--rows", "30", "-o", scratch.file("s.csv"), "--quiet",
    ])
    #expect(scratch.exists("s.csv"))
  }

  @Test("a flag and an option for the same setting, or --resume alone, are refused")
  func conflictingSettings() {
    #expect(throws: (any Error).self) {
      _ = try DoppelCommand.parseAsRoot([
        "fit", "d.csv", "--synthesizer", "ctgan", "--epochs", "3", "--option", "epochs=4",
      ])
    }
    #expect(throws: (any Error).self) {
      _ = try DoppelCommand.parseAsRoot(["fit", "d.csv", "--synthesizer", "ctgan", "--resume"])
    }
  }

  @Test("a checkpoint for a synthesizer that has no epochs is refused")
  func checkpointNeedsNeuralSynthesizer() async throws {
    let scratch = try Scratch()
    await expectDoppelError(
      .invalidArgument,
      [
        "fit", exampleData("jasa.csv"), "--checkpoint", scratch.file("c.json"), "-o",
        scratch.file("m.json"), "--quiet",
      ])
  }
}

@Suite("tabddpm on the command line")
struct TabDDPMFitTests {
  @Test("fit tabddpm with --epochs and --checkpoint, resume, then sample")
  func fitResumeSample() async throws {
    let scratch = try Scratch()
    let common = [
      "fit", exampleData("jasa.csv"), "--synthesizer", "tabddpm", "--batch-size", "50",
      "--option", "hiddenWidth=16", "--option", "timesteps=20", "--option", "threads=1",
      "--checkpoint", scratch.file("state.json"), "--quiet",
    ]
    try await doppel(common + ["--epochs", "1", "-o", scratch.file("one.json")])
    #expect(scratch.exists("state.json"))
    try await doppel(common + ["--epochs", "2", "--resume", "-o", scratch.file("two.json")])
    let model = try #require(try loadModel(scratch.file("two.json")) as? TabDDPMModel)
    #expect(model.synthesizer.epochs == 2)
    #expect(model.synthesizer.timesteps == 20)
    try await doppel([
      "sample", scratch.file("two.json"), "--rows", "30", "-o", scratch.file("s.csv"), "--quiet",
    ])
    #expect(scratch.exists("s.csv"))
  }
}
