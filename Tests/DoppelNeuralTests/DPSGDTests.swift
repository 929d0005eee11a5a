import Doppel
import Foundation
import Testing

@testable import DoppelNeural

/// The largest absolute difference between two lists of tensors, relative to the largest value.
func relativeDifference(_ a: [Tensor], _ b: [Tensor]) -> Float {
  var difference: Float = 0
  var largest: Float = 1e-6
  for (x, y) in zip(a, b) {
    for (u, v) in zip(x.data, y.data) {
      difference = max(difference, abs(u - v))
      largest = max(largest, abs(u), abs(v))
    }
  }
  return difference / largest
}

@Suite struct DPSGDTests {
  @Test(
    "the noise multiplier found for a target epsilon reaches it within 1%, and 1% less noise misses it",
    arguments: [(0.5, 0.01, 1000), (1.0, 0.0192, 1560), (3.0, 0.05, 600), (8.0, 0.2, 100)])
  func noiseMultiplierForTargetEpsilon(target: Double, q: Double, steps: Int) throws {
    let delta = 1e-5
    let sigma = try RDPAccountant.noiseMultiplier(
      targetEpsilon: target, sampleRate: q, steps: steps, delta: delta)
    let reached = RDPAccountant.epsilon(
      sampleRate: q, noiseMultiplier: sigma, steps: steps, delta: delta)
    #expect(reached <= target)
    #expect(reached >= 0.99 * target)
    let less = RDPAccountant.epsilon(
      sampleRate: q, noiseMultiplier: 0.99 * sigma, steps: steps, delta: delta)
    #expect(less > target)
  }

  @Test("an unreachable target epsilon is refused")
  func unreachableTarget() {
    #expect(throws: DoppelError.self) {
      _ = try RDPAccountant.noiseMultiplier(
        targetEpsilon: 1e-9, sampleRate: 1, steps: 1_000_000, delta: 1e-12)
    }
  }

  @Test("clip factors bring every norm to at most C and leave smaller ones alone")
  func clipFactorsBoundNorms() {
    var random = SeededGenerator(seed: 5)
    let clip: Float = 1.5
    let gradients = (0..<50).map { _ in
      Tensor.normal(rows: 1, cols: 20, random: &random, scale: Float(random.nextUnit() * 2))
    }
    let squared = PerExampleGradients.rowSquares(
      Tensor(rows: 50, cols: 20, data: gradients.flatMap(\.data)))
    let factors = PerExampleGradients.clipFactors(squaredNorms: squared, clip: clip)
    for (s, f) in zip(squared, factors) {
      let clipped = f * s.squareRoot()
      #expect(clipped <= clip * (1 + 1e-6))
      if s.squareRoot() <= clip { #expect(f == 1) } else { #expect(abs(clipped - clip) < 1e-5) }
    }
  }

  @Test("TVAE per-example gradients from one backward pass equal per-row autodiff gradients")
  func tvaeFastPerExampleGradients() throws {
    let (table, _) = try clusteredTable(rows: 12, seed: 3)
    let synthesizer = TVAESynthesizer(
      embeddingDimension: 4, hiddenWidth: 8, threads: 1, dpNoiseMultiplier: 1)
    let encoder = TabularEncoder.fit(table)
    let data = encoder.encode(table, seed: 3)
    var trainer = TVAETrainer(synthesizer: synthesizer, encoder: encoder, seed: 3)
    let rows = Array(0..<data.rowCount)
    let batch = encoder.batch(data, rows: rows)
    let targets = trainer.oneHotColumns.map { c in rows.map { Int(data.slots[c][$0]) } }
    let params = trainer.parameters
    trainer.random = SeededGenerator(seed: 9)
    let (loss, linear, broadcast) = trainer.tracedRowLosses(batch, targets: targets)
    let back = PerExampleGradients.backward(loss, linear: linear, broadcast: broadcast)
    let norms = PerExampleGradients.squaredNorms(rows: rows.count, linear: linear, backward: back)
    // The latent noise is drawn row after row, so the same stream gives each row its noise.
    trainer.random = SeededGenerator(seed: 9)
    let width = batch.cols
    for i in rows {
      let row = Tensor(
        rows: 1, cols: width, data: Array(batch.data[(i * width)..<((i + 1) * width)]))
      let value = trainer.loss(row, targets: targets.map { [$0[i]] })
      let expected = Autodiff.gradients(of: value, wrt: params).map(\.value)
      let fast = PerExampleGradients.gradient(
        ofRow: i, rows: rows.count, parameters: params, linear: linear, broadcast: broadcast,
        backward: back)
      // Float sums in a different order: agreement to 10⁻⁴ of the largest entry.
      #expect(relativeDifference(fast, expected) < 1e-4)
      let squared = expected.reduce(Float(0)) { $0 + $1.data.reduce(0) { $0 + $1 * $1 } }
      #expect(abs(norms[i] - squared) <= 1e-4 * squared)
    }
  }

  @Test("critic per-example gradients from one backward pass equal per-row autodiff gradients")
  func criticFastPerExampleGradients() throws {
    let (table, _) = try clusteredTable(rows: 40, seed: 4)
    let synthesizer = CTGANSynthesizer(
      batchSize: 10, embeddingDimension: 4, hiddenWidth: 8, threads: 1, dpNoiseMultiplier: 1)
    let encoder = TabularEncoder.fit(table)
    let data = encoder.encode(table, seed: 4)
    var trainer = CTGANTrainer(synthesizer: synthesizer, encoder: encoder, data: data, seed: 4)
    #expect(trainer.critic.pac == 1)
    let rows = [3, 7, 8, 15, 22, 39]
    let real = trainer.privateRealBatch(rows: rows)
    let masks = trainer.criticDropoutMasks(rows: rows.count)
    var traces: [LinearTrace] = []
    let y = trainer.tracedCritic(Variable(real), masks: masks, into: &traces)
    let loss = sumAll(softplus(scale(y, -1)))
    let params = trainer.critic.parameters
    let back = PerExampleGradients.backward(loss, linear: traces, broadcast: [])
    let norms = PerExampleGradients.squaredNorms(rows: rows.count, linear: traces, backward: back)
    let width = real.cols
    for i in rows.indices {
      let row = Tensor(
        rows: 1, cols: width, data: Array(real.data[(i * width)..<((i + 1) * width)]))
      let rowMasks = masks.map {
        Tensor(rows: 1, cols: $0.cols, data: Array($0.data[(i * $0.cols)..<((i + 1) * $0.cols)]))
      }
      var unused: [LinearTrace] = []
      let value = softplus(
        scale(trainer.tracedCritic(Variable(row), masks: rowMasks, into: &unused), -1))
      let expected = Autodiff.gradients(of: value, wrt: params).map(\.value)
      let fast = PerExampleGradients.gradient(
        ofRow: i, rows: rows.count, parameters: params, linear: traces, broadcast: [],
        backward: back)
      #expect(relativeDifference(fast, expected) < 1e-4)
      let squared = expected.reduce(Float(0)) { $0 + $1.data.reduce(0) { $0 + $1 * $1 } }
      #expect(abs(norms[i] - squared) <= 1e-4 * squared)
    }
  }

  @Test("the noiseless private sum is the sum of per-row gradients each clipped to C")
  func clippedSumMatchesPerRowClipping() throws {
    let (table, _) = try clusteredTable(rows: 20, seed: 6)
    let synthesizer = TVAESynthesizer(embeddingDimension: 4, hiddenWidth: 8, threads: 1)
    let encoder = TabularEncoder.fit(table)
    let data = encoder.encode(table, seed: 6)
    var trainer = TVAETrainer(synthesizer: synthesizer, encoder: encoder, seed: 6)
    let rows = Array(0..<data.rowCount)
    let batch = encoder.batch(data, rows: rows)
    let targets = trainer.oneHotColumns.map { c in rows.map { Int(data.slots[c][$0]) } }
    let params = trainer.parameters
    let clip: Float = 0.5
    trainer.random = SeededGenerator(seed: 2)
    let (loss, linear, broadcast) = trainer.tracedRowLosses(batch, targets: targets)
    var unused = SeededGenerator(seed: 0)
    let fast = PerExampleGradients.privateGradients(
      of: loss, rows: rows.count, parameters: params, linear: linear, broadcast: broadcast,
      clip: clip, noise: 0, expectedRows: 1, random: &unused)
    trainer.random = SeededGenerator(seed: 2)
    var expected = params.map { Tensor(rows: $0.rows, cols: $0.cols) }
    let width = batch.cols
    for i in rows {
      let row = Tensor(
        rows: 1, cols: width, data: Array(batch.data[(i * width)..<((i + 1) * width)]))
      let g = Autodiff.gradients(
        of: trainer.loss(row, targets: targets.map { [$0[i]] }), wrt: params
      ).map(\.value)
      let norm = g.reduce(Float(0)) { $0 + $1.data.reduce(0) { $0 + $1 * $1 } }.squareRoot()
      #expect(norm > clip, "the test should exercise clipping")
      let factor = min(1, clip / norm)
      for k in g.indices {
        expected[k] = Kernels.zip(expected[k], g[k]) { $0 + factor * $1 }
      }
    }
    #expect(relativeDifference(fast, expected) < 1e-4)
  }

  @Test("DP-CTGAN trains, records its guarantee in the model file and samples")
  func privateCTGANRecordsGuarantee() async throws {
    let (table, metadata) = try clusteredTable(rows: 200, seed: 2)
    let synthesizer = CTGANSynthesizer(
      epochs: 2, batchSize: 40, embeddingDimension: 8, hiddenWidth: 16, threads: 1,
      dpNoiseMultiplier: 1.2, dpMaxGradNorm: 1, dpDelta: 1e-5)
    let model = try await synthesizer.fit(table, metadata: metadata, seed: 4, progress: nil)
    let privacy = try #require(model.privacy)
    // 200 rows / 40 = 5 critic steps per epoch, 2 epochs.
    #expect(privacy.steps == 10)
    #expect(abs(privacy.sampleRate - 0.2) < 1e-12)
    #expect(privacy.noiseMultiplier == 1.2)
    let sgdOnly = RDPAccountant.epsilon(
      sampleRate: 0.2, noiseMultiplier: 1.2, steps: 10, delta: 1e-5)
    // The noisy category counts cost a little more than the critic steps alone.
    #expect(privacy.epsilon > sgdOnly && privacy.epsilon < sgdOnly * 1.05)
    let loaded = try ModelFile.decodeModel(CTGANModel.self, from: ModelFile.encode(model))
    #expect(loaded.privacy == privacy)
    #expect(loaded == model)
    let sample = try model.sample(rows: 100, seed: 1)
    #expect(sample.rowCount == 100)
    let plain = try await CTGANSynthesizer(
      epochs: 1, batchSize: 40, embeddingDimension: 8, hiddenWidth: 16, threads: 1
    ).fit(table, metadata: metadata, seed: 4, progress: nil)
    #expect(plain.privacy == nil)
  }

  @Test("DP-CTGAN from the same seed gives the same model")
  func privateCTGANIsDeterministic() async throws {
    let (table, metadata) = try clusteredTable(rows: 120, seed: 3)
    let synthesizer = CTGANSynthesizer(
      epochs: 1, batchSize: 30, embeddingDimension: 8, hiddenWidth: 16, threads: 1,
      dpEpsilon: 5)
    let a = try await synthesizer.fit(table, metadata: metadata, seed: 7, progress: nil)
    let b = try await synthesizer.fit(table, metadata: metadata, seed: 7, progress: nil)
    #expect(a == b)
    let c = try await synthesizer.fit(table, metadata: metadata, seed: 8, progress: nil)
    #expect(a.generator != c.generator)
  }

  @Test(
    "a target epsilon chooses the noise and the guarantee reaches it", arguments: ["ctgan", "tvae"])
  func targetEpsilonIsReached(kind: String) async throws {
    let (table, metadata) = try clusteredTable(rows: 150, seed: 5)
    let privacy: PrivacyGuarantee?
    if kind == "ctgan" {
      privacy = try await CTGANSynthesizer(
        epochs: 2, batchSize: 30, embeddingDimension: 8, hiddenWidth: 16, threads: 1,
        dpEpsilon: 2
      ).fit(table, metadata: metadata, seed: 1, progress: nil).privacy
    } else {
      privacy = try await TVAESynthesizer(
        epochs: 2, batchSize: 30, embeddingDimension: 8, hiddenWidth: 16, threads: 1,
        dpEpsilon: 2
      ).fit(table, metadata: metadata, seed: 1, progress: nil).privacy
    }
    let guarantee = try #require(privacy)
    #expect(guarantee.epsilon <= 2 && guarantee.epsilon >= 1.98)
    #expect(guarantee.noiseMultiplier > 0)
    #expect(abs(guarantee.delta - 1 / 1500) < 1e-12)
  }

  @Test("out-of-range or contradicting DP options are refused before training")
  func optionValidation() async throws {
    let (table, metadata) = try clusteredTable(rows: 100, seed: 1)
    for options in [
      CTGANSynthesizer(epochs: 1, dpNoiseMultiplier: -1),
      CTGANSynthesizer(epochs: 1, dpMaxGradNorm: 0),
      CTGANSynthesizer(epochs: 1, dpDelta: 1),
      CTGANSynthesizer(epochs: 1, dpEpsilon: -0.5),
      // σ = 0.3 over 100 steps at q = 0.5 is far above ε = 1.
      CTGANSynthesizer(epochs: 50, batchSize: 50, dpNoiseMultiplier: 0.3, dpEpsilon: 1),
    ] {
      await #expect(throws: DoppelError.self) {
        _ = try await options.fit(table, metadata: metadata, seed: 1, progress: nil)
      }
    }
    await #expect(throws: DoppelError.self) {
      _ = try await TVAESynthesizer(epochs: 50, batchSize: 50, dpNoiseMultiplier: 0.3, dpEpsilon: 1)
        .fit(table, metadata: metadata, seed: 1, progress: nil)
    }
    await #expect(throws: DoppelError.self) {
      _ = try await TVAESynthesizer(epochs: 1, dpEpsilon: -1)
        .fit(table, metadata: metadata, seed: 1, progress: nil)
    }
    let json = Data(#"{"dpEpsilon": -2}"#.utf8)
    #expect(throws: DoppelError.self) {
      _ = try JSONDecoder().decode(CTGANSynthesizer.self, from: json)
    }
  }
}
