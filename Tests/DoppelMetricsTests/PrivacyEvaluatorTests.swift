import Doppel
import Foundation
import Testing

@Suite("Privacy evaluator")
struct PrivacyEvaluatorTests {
  private func level(_ result: PrivacyResult, _ measure: String) -> String? {
    result.verdicts.first { $0.measure == measure }?.level
  }

  @Test("the vectorised search gives the distances of the one-pair Gower distance")
  func matchesBruteForce() async throws {
    let (pbc, metadata) = try PrivacyFixtures.pbc()
    let parts = PrivacyFixtures.split(pbc, sizes: [150, 150], seed: 3)
    let (train, holdout) = (parts[0], parts[1])
    let synthetic = try await PrivacyFixtures.copulaSample(
      of: train, metadata: metadata, rows: 120, seed: 5)
    let result = try PrivacyEvaluator.evaluate(
      train: train, synthetic: synthetic, holdout: holdout, seed: 9)

    let gower = GowerDistance(reference: train)
    var toTrain = [[Double]](repeating: [], count: synthetic.rowCount)
    var toHoldout = [[Double]](repeating: [], count: synthetic.rowCount)
    for s in 0..<synthetic.rowCount {
      toTrain[s] = try (0..<train.rowCount).map {
        try gower.distance(synthetic, row: s, train, row: $0)
      }
      toHoldout[s] = try (0..<holdout.rowCount).map {
        try gower.distance(synthetic, row: s, holdout, row: $0)
      }
    }
    func median(_ values: [Double]) -> Double {
      let sorted = values.sorted()
      return sorted.count % 2 == 1
        ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
    let nearestTrain = toTrain.map { $0.min() ?? .infinity }
    let nearestHoldout = toHoldout.map { $0.min() ?? .infinity }
    let ratios = toTrain.map { distances -> Double in
      let sorted = distances.sorted()
      return sorted[1] > 0 ? sorted[0] / sorted[1] : 1
    }
    let share =
      zip(nearestTrain, nearestHoldout).map { $0 < $1 ? 1.0 : $0 == $1 ? 0.5 : 0 }.reduce(0, +)
      / Double(synthetic.rowCount)
    let members = (0..<train.rowCount).map { t in toTrain.map { $0[t] }.min() ?? .infinity }
    let others = (0..<holdout.rowCount).map { h in toHoldout.map { $0[h] }.min() ?? .infinity }
    var wins = 0.0
    for m in members {
      for o in others { wins += m < o ? 1 : m == o ? 0.5 : 0 }
    }
    let auc = wins / Double(members.count * others.count)

    // Tolerances: the search sums single-precision terms, good to about 1e-6 here.
    #expect(abs(try #require(result.dcrMedianTrain) - median(nearestTrain)) < 1e-5)
    #expect(abs(try #require(result.dcrMedianHoldout) - median(nearestHoldout)) < 1e-5)
    #expect(abs(try #require(result.nndrMedian) - median(ratios)) < 1e-4)
    // Near-ties may fall either way in single precision: allow two rows' worth.
    #expect(abs(try #require(result.dcrShareCloserToTrain) - share) <= 2.0 / 120)
    #expect(abs(try #require(result.membershipInferenceAUC) - auc) < 0.01)
    #expect(result.distanceSampleSize == 120)
    #expect(result.distanceTrainSampleSize == 150)
  }

  @Test("a copy of the training table is flagged on every measure, whatever its category order")
  func copyOfTrain() throws {
    let adult = try PrivacyFixtures.adult().table
    let parts = PrivacyFixtures.split(adult, sizes: [1500, 1500], seed: 21)
    let synthetic = try PrivacyFixtures.reversingCategories(parts[0])
    let result = try PrivacyEvaluator.evaluate(
      train: parts[0], synthetic: synthetic, holdout: parts[1], seed: 1)
    #expect(result.exactCopyRate == 1)
    #expect(result.dcrMedianTrain == 0)
    #expect(try #require(result.dcrShareCloserToTrain) > 0.95)
    #expect(try #require(result.membershipInferenceAUC) > 0.9)
    #expect(result.nndrMedian == 0)
    for measure in [
      "exactCopyRate", "dcrMedianTrain", "dcrShareCloserToTrain", "nndrMedian",
      "membershipInferenceAUC",
    ] {
      #expect(level(result, measure) == PrivacyLevel.risk.rawValue, "\(measure)")
    }
  }

  @Test("real rows drawn apart from the training rows look like new data")
  func independentRows() throws {
    let adult = try PrivacyFixtures.adult().table
    let parts = PrivacyFixtures.split(adult, sizes: [1500, 1500, 1500], seed: 22)
    let result = try PrivacyEvaluator.evaluate(
      train: parts[0], synthetic: parts[2], holdout: parts[1], seed: 2)
    // With 1,500 rows per part, 40 seeds gave standard deviations of 0.016 for the share and
    // 0.011 for the AUC (all within 0.47–0.53); 0.05 is three of them or more.
    #expect(abs(try #require(result.dcrShareCloserToTrain) - 0.5) < 0.05)
    #expect(abs(try #require(result.membershipInferenceAUC) - 0.5) < 0.05)
    #expect(result.exactCopyRate < 0.01)
    let ratio = try #require(result.dcrMedianTrain) / #require(result.dcrMedianHoldout)
    #expect(abs(ratio - 1) < 0.1)
    for measure in ["dcrShareCloserToTrain", "membershipInferenceAUC", "dcrMedianTrain"] {
      #expect(level(result, measure) == PrivacyLevel.good.rawValue, "\(measure)")
    }
  }

  @Test("without a holdout the measures that need one are left out")
  func withoutHoldout() async throws {
    let (pbc, metadata) = try PrivacyFixtures.pbc()
    let synthetic = try await PrivacyFixtures.copulaSample(
      of: pbc, metadata: metadata, rows: 200, seed: 7)
    let result = try PrivacyEvaluator.evaluate(
      train: pbc, synthetic: synthetic, holdout: nil, seed: 4)
    #expect(result.dcrMedianHoldout == nil)
    #expect(result.dcrShareCloserToTrain == nil)
    #expect(result.membershipInferenceAUC == nil)
    #expect(result.attributeDisclosure == nil)
    #expect(result.dcrMedianTrain != nil)
    #expect(result.nndrMedian != nil)
    #expect(result.verdicts.map(\.measure) == ["exactCopyRate", "dcrMedianTrain", "nndrMedian"])
  }

  @Test("a copula sample of pbc gets every measure in range and a verdict for each")
  func copulaSample() async throws {
    let (pbc, metadata) = try PrivacyFixtures.pbc()
    let parts = PrivacyFixtures.split(pbc, sizes: [300, 118], seed: 8)
    let synthetic = try await PrivacyFixtures.copulaSample(
      of: parts[0], metadata: metadata, rows: 300, seed: 8)
    let result = try PrivacyEvaluator.evaluate(
      train: parts[0], synthetic: synthetic, holdout: parts[1], keys: ["sex", "stage"],
      sensitive: "status", seed: 8)
    for value in [
      result.exactCopyRate, result.dcrMedianTrain, result.dcrMedianHoldout,
      result.dcrShareCloserToTrain, result.nndrMedian, result.membershipInferenceAUC,
    ] {
      let measured = try #require(value)
      #expect(measured >= 0 && measured <= 1)
    }
    #expect(result.exactCopyRate == 0)
    #expect(result.attributeDisclosure?.keys == ["sex", "stage"])
    #expect(
      result.verdicts.map(\.measure) == [
        "exactCopyRate", "dcrMedianTrain", "dcrShareCloserToTrain", "nndrMedian",
        "membershipInferenceAUC", "attributeDisclosure",
      ])
    for verdict in result.verdicts {
      #expect(PrivacyLevel(rawValue: verdict.level) != nil)
      #expect(verdict.text.hasSuffix("."))
    }
    #expect(level(result, "exactCopyRate") == PrivacyLevel.good.rawValue)
  }

  @Test("results are equal across runs and thread counts", arguments: [1, 2, 3])
  func deterministic(threads: Int) async throws {
    let (pbc, metadata) = try PrivacyFixtures.pbc()
    let parts = PrivacyFixtures.split(pbc, sizes: [250, 100], seed: 12)
    let synthetic = try await PrivacyFixtures.copulaSample(
      of: parts[0], metadata: metadata, rows: 333, seed: 12)
    func run(_ threads: Int?) throws -> PrivacyResult {
      try PrivacyEvaluator.evaluate(
        train: parts[0], synthetic: synthetic, holdout: parts[1], keys: ["sex"],
        sensitive: "bili", seed: 77, options: PrivacyOptions(threads: threads))
    }
    let reference = try run(nil)
    #expect(try run(threads) == reference)
    #expect(try run(threads) == reference)
  }

  @Test("tables beyond the exact-search limit are searched on seeded samples")
  func sampling() throws {
    let adult = try PrivacyFixtures.adult().table
    let parts = PrivacyFixtures.split(adult, sizes: [300, 150, 200], seed: 30)
    let options = PrivacyOptions(
      exactSearchLimit: 100, syntheticSampleSize: 60, referenceSampleSize: 80,
      baselineSampleSize: 50)
    // The synthetic table copies 200 training rows: copies are counted on every row.
    let synthetic = parts[0].slice(0..<200)
    let result = try PrivacyEvaluator.evaluate(
      train: parts[0], synthetic: synthetic, holdout: parts[1], seed: 5, options: options)
    #expect(result.distanceSampleSize == 60)
    #expect(result.distanceTrainSampleSize == 80)
    #expect(result.exactCopyRate == 1)
    let share = try #require(result.dcrShareCloserToTrain)
    #expect(share >= 0 && share <= 1)
    #expect(result.membershipInferenceAUC != nil)
    let again = try PrivacyEvaluator.evaluate(
      train: parts[0], synthetic: synthetic, holdout: parts[1], seed: 5, options: options)
    #expect(again == result)
    let unsampled = try PrivacyEvaluator.evaluate(
      train: parts[0], synthetic: synthetic, holdout: parts[1], seed: 5)
    #expect(unsampled.distanceSampleSize == 200)
    #expect(unsampled.distanceTrainSampleSize == 300)
  }
}
