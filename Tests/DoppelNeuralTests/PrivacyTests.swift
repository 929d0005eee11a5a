import Doppel
import Foundation
import Testing

@testable import DoppelNeural

@Suite struct PrivacyTests {
  /// The Rényi divergence D_α((1−q)N(0,σ²) + qN(1,σ²) ‖ N(0,σ²)) by numerical integration
  /// (trapezoid rule on [−40σ, 40σ + 1], 400,000 panels), independent of the closed-form sum.
  static func integratedRDP(q: Double, sigma: Double, order: Int) -> Double {
    let alpha = Double(order)
    let lower = -40 * sigma
    let upper = 40 * sigma + 1
    let panels = 400_000
    let h = (upper - lower) / Double(panels)
    var total = 0.0
    for i in 0...panels {
      let x = lower + Double(i) * h
      let base = exp(-x * x / (2 * sigma * sigma)) / (sigma * (2 * Double.pi).squareRoot())
      let ratio = (1 - q) + q * exp((2 * x - 1) / (2 * sigma * sigma))
      let f = base * pow(ratio, alpha)
      total += (i == 0 || i == panels ? 0.5 : 1) * f
    }
    return log(total * h) / (alpha - 1)
  }

  @Test(arguments: [(0.01, 1.1, 2), (0.05, 0.8, 8), (0.2, 2.0, 16), (0.004, 1.5, 32)])
  func sampledGaussianRDPMatchesNumericalIntegration(q: Double, sigma: Double, order: Int) {
    let closed = RDPAccountant.stepRDP(sampleRate: q, noiseMultiplier: sigma, order: order)
    let integrated = Self.integratedRDP(q: q, sigma: sigma, order: order)
    #expect(abs(closed - integrated) <= 1e-6 + 1e-4 * abs(integrated))
  }

  @Test func fullBatchIsTheGaussianMechanism() {
    // Without subsampling the RDP of the Gaussian mechanism is α/(2σ²) (Mironov 2017, Prop. 7).
    for order in [2, 5, 32] {
      let rdp = RDPAccountant.stepRDP(sampleRate: 1, noiseMultiplier: 1.3, order: order)
      #expect(abs(rdp - Double(order) / (2 * 1.69)) < 1e-12)
    }
    let sampled = RDPAccountant.stepRDP(sampleRate: 0.999_999, noiseMultiplier: 1.3, order: 5)
    #expect(abs(sampled - 5 / (2 * 1.69)) < 1e-4)
  }

  @Test func epsilonGrowsWithStepsAndShrinksWithNoise() {
    let base = RDPAccountant.epsilon(
      sampleRate: 0.01, noiseMultiplier: 1.1, steps: 1000, delta: 1e-5)
    let moreSteps = RDPAccountant.epsilon(
      sampleRate: 0.01, noiseMultiplier: 1.1, steps: 4000, delta: 1e-5)
    let moreNoise = RDPAccountant.epsilon(
      sampleRate: 0.01, noiseMultiplier: 2.0, steps: 1000, delta: 1e-5)
    #expect(base > 0 && base.isFinite)
    #expect(moreSteps > base)
    #expect(moreNoise < base)
    // Composition is sublinear: four times the steps costs less than four times ε.
    #expect(moreSteps < 4 * base)
  }

  @Test func privateTVAERecordsItsGuaranteeAndStillSamples() async throws {
    let (table, metadata) = try clusteredTable(rows: 300, seed: 2)
    let synthesizer = TVAESynthesizer(
      epochs: 3, batchSize: 50, hiddenWidth: 16, threads: 1, dpNoiseMultiplier: 1.0,
      dpMaxGradNorm: 1.0, dpDelta: 1e-5)
    let model = try await synthesizer.fit(table, metadata: metadata, seed: 4, progress: nil)
    let privacy = try #require(model.privacy)
    #expect(privacy.steps == 18)
    #expect(abs(privacy.sampleRate - 50.0 / 300) < 1e-12)
    let expected = RDPAccountant.epsilon(
      sampleRate: 50.0 / 300, noiseMultiplier: 1, steps: 18, delta: 1e-5)
    #expect(privacy.epsilon == expected)
    let loaded = try ModelFile.decodeModel(TVAEModel.self, from: ModelFile.encode(model))
    #expect(loaded.privacy == privacy)
    #expect(try model.sample(rows: 100, seed: 1).rowCount == 100)
  }
}
