import Doppel
import Foundation
import Testing

@testable import DoppelNeural

/// A checkpoint path in the temporary folder, unique per call.
private func temporaryCheckpoint() -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("doppel-early-\(UInt64.random(in: 0...UInt64.max)).json").path
}

@Suite("early stopping on a validation score")
struct EarlyStoppingTests {
  @Test("the validation split is disjoint, complete, sized by the fraction and seeded")
  func validationSplit() {
    let (training, validation) = EarlyStopping.rows(count: 103, fraction: 0.2, seed: 7)
    #expect(validation.count == 21)  // round(0.2 · 103)
    #expect(Set(training).isDisjoint(with: validation))
    #expect((training + validation).sorted() == Array(0..<103))
    let again = EarlyStopping.rows(count: 103, fraction: 0.2, seed: 7)
    #expect(again.validation == validation)
    let other = EarlyStopping.rows(count: 103, fraction: 0.2, seed: 8)
    #expect(other.validation != validation)
  }

  @Test("out-of-range early-stopping and category options are refused with every problem named")
  func optionErrors() throws {
    do {
      _ = try SynthesizerOptions.decode(
        TVAESynthesizer.self,
        from: ["validation": "0.7", "patience": "-1", "validateEvery": "0"])
      Issue.record("accepted bad options")
    } catch let error as DoppelError {
      #expect(error.code == .invalidArgument)
      #expect(error.message.contains("validation ≤ 0.5"))
      #expect(error.message.contains("patience ≥ 0"))
      #expect(error.message.contains("validateEvery ≥ 1"))
    }
    #expect(throws: DoppelError.self) {
      _ = try SynthesizerOptions.decode(CTGANSynthesizer.self, from: ["maxCategories": "0"])
    }
    #expect(throws: DoppelError.self) {
      _ = try SynthesizerOptions.decode(
        TVAESynthesizer.self, from: ["validation": "0.2", "dpNoiseMultiplier": "1"])
    }
    let parsed = try SynthesizerOptions.decode(
      CTGANSynthesizer.self, from: ["validation": "0.2", "patience": "3", "validateEvery": "2"])
    #expect(
      parsed.earlyStopping == EarlyStoppingOptions(validation: 0.2, patience: 3, validateEvery: 2))
  }

  @Test("a split that leaves no training or no validation rows is refused")
  func tooFewRows() async throws {
    let (table, metadata) = try clusteredTable(rows: 1, seed: 1)
    await #expect(throws: DoppelError.self) {
      _ = try await TVAESynthesizer(epochs: 1, validation: 0.5).fit(
        table, metadata: metadata, seed: 1, progress: nil)
    }
  }

  @Test("training stops after `patience` checks when the score plateaus and keeps the first best")
  func stopsOnPlateau() async throws {
    // A learning rate of 10⁻³⁰ leaves every Float32 weight unchanged, so every check scores
    // exactly the same: the first check is the best and each later one counts against patience.
    let (table, metadata) = try clusteredTable(rows: 200, seed: 1)
    let synthesizer = TVAESynthesizer(
      epochs: 40, batchSize: 50, hiddenWidth: 16, learningRate: 1e-30, threads: 1,
      validation: 0.25, patience: 3, validateEvery: 2)
    let model = try await synthesizer.fit(table, metadata: metadata, seed: 4, progress: nil)
    let record = try #require(model.earlyStopping)
    #expect(record.bestEpoch == 2)
    #expect(record.epochsTrained == 8)  // checks at 2 (best), 4, 6, 8
    #expect(record.stoppedEarly)
    #expect(record.validationRows == 50)
    #expect(model.trainingRowCount == 150)
    #expect(record.bestScore > 0 && record.bestScore <= 1)
  }

  @Test("the returned model is the best epoch's, equal to a run of exactly that many epochs")
  func returnsBestEpoch() async throws {
    let (table, metadata) = try clusteredTable(rows: 300, seed: 2)
    // With this seed and learning rate the score peaks at epoch 4 of 12, so the best check is
    // not the last; patience 0 trains all 12 epochs.
    var synthesizer = TVAESynthesizer(
      epochs: 12, batchSize: 50, hiddenWidth: 16, learningRate: 0.01, threads: 1,
      validation: 0.2, patience: 0, validateEvery: 2)
    let long = try await synthesizer.fit(table, metadata: metadata, seed: 7, progress: nil)
    let record = try #require(long.earlyStopping)
    try #require(record.bestEpoch < record.epochsTrained, "choose settings whose best is earlier")
    #expect(!record.stoppedEarly)
    #expect(record.epochsTrained == 12)
    synthesizer.epochs = record.bestEpoch
    let exact = try await synthesizer.fit(table, metadata: metadata, seed: 7, progress: nil)
    #expect(exact.decoder == long.decoder)
    #expect(exact.sigmas == long.sigmas)
    #expect(try exact.sample(rows: 200, seed: 9) == long.sample(rows: 200, seed: 9))
    #expect(exact.earlyStopping?.bestScore == record.bestScore)
    // The record survives the model file.
    let decoded = try ModelFile.decodeModel(TVAEModel.self, from: ModelFile.encode(long))
    #expect(decoded.earlyStopping == record)
  }

  @Test("validation off trains as before: no hold-out and no record")
  func offByDefault() async throws {
    let (table, metadata) = try clusteredTable(rows: 120, seed: 3)
    let model = try await CTGANSynthesizer(
      epochs: 2, batchSize: 60, hiddenWidth: 16, threads: 1
    ).fit(table, metadata: metadata, seed: 2, progress: nil)
    #expect(model.earlyStopping == nil)
    #expect(model.trainingRowCount == 120)
    let json = String(decoding: try ModelFile.encode(model), as: UTF8.self)
    #expect(!json.contains("earlyStopping"))
    #expect(!json.contains("pooled"))
  }

  @Test("resuming with early stopping on gives the straight run's model", arguments: [2, 5])
  func ctganResumeEquality(firstEpochs: Int) async throws {
    let (table, metadata) = try clusteredTable(rows: 200, seed: 5)
    let path = temporaryCheckpoint()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let settings = TrainingCheckpoint(path: path, resume: true)
    var synthesizer = CTGANSynthesizer(
      epochs: 10, batchSize: 50, hiddenWidth: 16, learningRate: 1e-3, threads: 1,
      validation: 0.2, patience: 2, validateEvery: 1)
    let straight = try await synthesizer.fit(table, metadata: metadata, seed: 3, progress: nil)
    synthesizer.epochs = firstEpochs
    _ = try await synthesizer.fit(
      table, metadata: metadata, seed: 3, progress: nil, checkpoint: settings)
    synthesizer.epochs = 10
    let resumed = try await synthesizer.fit(
      table, metadata: metadata, seed: 3, progress: nil, checkpoint: settings)
    #expect(try ModelFile.encode(resumed) == ModelFile.encode(straight))
    #expect(straight.earlyStopping != nil)
  }

  @Test("a run that stopped early stays stopped when resumed, equal to the straight run")
  func tvaeResumeAfterStop() async throws {
    let (table, metadata) = try clusteredTable(rows: 120, seed: 5)
    let path = temporaryCheckpoint()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let settings = TrainingCheckpoint(path: path, resume: true)
    var synthesizer = TVAESynthesizer(
      epochs: 30, batchSize: 40, hiddenWidth: 16, learningRate: 1e-30, threads: 1,
      validation: 0.25, patience: 2, validateEvery: 1)
    let straight = try await synthesizer.fit(table, metadata: metadata, seed: 3, progress: nil)
    #expect(straight.earlyStopping?.epochsTrained == 3)
    synthesizer.epochs = 5  // stops at 3 with patience used up, checkpoint says so
    _ = try await synthesizer.fit(
      table, metadata: metadata, seed: 3, progress: nil, checkpoint: settings)
    synthesizer.epochs = 30
    let resumed = try await synthesizer.fit(
      table, metadata: metadata, seed: 3, progress: nil, checkpoint: settings)
    #expect(try ModelFile.encode(resumed) == ModelFile.encode(straight))
  }

  @Test("the column-shape score is 1 for equal tables and falls as marginals part")
  func columnShapeScore() throws {
    let (a, _) = try clusteredTable(rows: 400, seed: 1)
    #expect(ColumnShapeScore.score(real: a, synthetic: a) == 1)
    let (b, _) = try clusteredTable(rows: 400, seed: 2)
    let near = ColumnShapeScore.score(real: a, synthetic: b)
    // Two samples of one distribution: KS ≈ 1.36·√(2/400) ≈ 0.1 at most with 95% probability.
    #expect(near > 0.9 && near < 1)
    let shifted = try Table(columns: [
      Column(
        name: "x", kind: a.columns[0].kind,
        values: .numbers((a.columns[0].numbers ?? []).map { $0 + 100 })),
      a.columns[1],
    ])
    // x's KS is 1 (no overlap), g's TV is 0: the mean is 0.5.
    #expect(abs(ColumnShapeScore.score(real: a, synthetic: shifted) - 0.5) < 1e-12)
  }
}

@Suite("cancelling training")
struct CancellationTests {
  @Test("cancelling fit keeps the last epoch's checkpoint, and resuming continues it exactly")
  func cancelKeepsCheckpoint() async throws {
    // The task is cancelled once its first checkpoint exists, so the outcome does not depend on
    // timing; only how many epochs were saved does, and that number is read from the file.
    let (table, metadata) = try clusteredTable(rows: 200, seed: 9)
    let path = temporaryCheckpoint()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let settings = TrainingCheckpoint(path: path, resume: true)
    var synthesizer = TVAESynthesizer(
      epochs: 1_000_000, batchSize: 50, hiddenWidth: 16, threads: 1, validation: 0.2,
      patience: 0, validateEvery: 1)
    let endless = synthesizer
    let task = Task {
      try await endless.fit(table, metadata: metadata, seed: 2, progress: nil, checkpoint: settings)
    }
    // The limit only keeps a broken build from hanging the suite; nothing is measured.
    let limit = Date().addingTimeInterval(300)
    while !FileManager.default.fileExists(atPath: path) && Date() < limit {
      try await Task.sleep(for: .milliseconds(10))
    }
    task.cancel()
    await #expect(throws: CancellationError.self) { _ = try await task.value }
    let saved = try JSONDecoder().decode(
      CheckpointFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(saved.epochsDone >= 1)
    #expect(saved.earlyStopping?.epochsTrained == saved.epochsDone)
    synthesizer.epochs = saved.epochsDone + 1
    let resumed = try await synthesizer.fit(
      table, metadata: metadata, seed: 2, progress: nil, checkpoint: settings)
    let straight = try await synthesizer.fit(table, metadata: metadata, seed: 2, progress: nil)
    #expect(try ModelFile.encode(resumed) == ModelFile.encode(straight))
  }
}

@Suite("early stopping for TabDDPM")
struct TabDDPMEarlyStoppingTests {
  @Test("TabDDPM keeps the best check's weights, equal to a run of exactly that many epochs")
  func tabddpmReturnsBestEpoch() async throws {
    let (table, metadata) = try clusteredTable(rows: 300, seed: 2)
    var synthesizer = TabDDPMSynthesizer(
      epochs: 6, batchSize: 50, hiddenWidth: 16, timeDimension: 8, timesteps: 20,
      learningRate: 0.01, threads: 1, validation: 0.2, patience: 0, validateEvery: 2)
    let long = try await synthesizer.fit(table, metadata: metadata, seed: 7, progress: nil)
    let record = try #require(long.earlyStopping)
    #expect(record.epochsTrained == 6)
    #expect(record.validationRows == 60)
    #expect([2, 4, 6].contains(record.bestEpoch))
    #expect(long.trainingRowCount == 240)
    synthesizer.epochs = record.bestEpoch
    let exact = try await synthesizer.fit(table, metadata: metadata, seed: 7, progress: nil)
    #expect(exact.weights == long.weights)
    #expect(try exact.sample(rows: 100, seed: 9) == long.sample(rows: 100, seed: 9))
    let decoded = try ModelFile.decodeModel(TabDDPMModel.self, from: ModelFile.encode(long))
    #expect(decoded.earlyStopping == record)
  }
}
