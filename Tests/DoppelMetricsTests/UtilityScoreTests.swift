import Doppel
import Testing

@Suite("Prediction scores")
struct UtilityScoreTests {
  @Test("ROC AUC of perfect, inverted and constant scores is 1, 0 and 0.5")
  func aucExtremes() throws {
    let positive = [false, false, true, false, true, true]
    let perfect = [0.1, 0.2, 0.8, 0.3, 0.9, 0.7]
    #expect(PredictionScores.rocAUC(positive: positive, scores: perfect) == 1)
    #expect(PredictionScores.rocAUC(positive: positive, scores: perfect.map { -$0 }) == 0)
    let constant = [Double](repeating: 0.4, count: positive.count)
    #expect(PredictionScores.rocAUC(positive: positive, scores: constant) == 0.5)
  }

  @Test("ROC AUC counts ties as one half, as the Mann–Whitney statistic does")
  func aucTies() throws {
    // Pairs (positive, negative): (0.5, 0.5) ties, (0.5, 0.2) wins, (0.9, 0.5) wins,
    // (0.9, 0.2) wins: (3 + 0.5) / 4.
    let auc = try #require(
      PredictionScores.rocAUC(positive: [true, true, false, false], scores: [0.5, 0.9, 0.5, 0.2]))
    #expect(abs(auc - 0.875) < 1e-12)
  }

  @Test("ROC AUC of random scores is near 0.5 (±0.03 for 4,000 rows)")
  func aucRandom() throws {
    var generator = SeededGenerator(seed: 5)
    let positive = (0..<4000).map { _ in generator.nextUnit() < 0.3 }
    let scores = (0..<4000).map { _ in generator.nextUnit() }
    let auc = try #require(PredictionScores.rocAUC(positive: positive, scores: scores))
    #expect(abs(auc - 0.5) < 0.03)
  }

  @Test("ROC AUC is undefined with one class")
  func aucOneClass() {
    #expect(PredictionScores.rocAUC(positive: [true, true], scores: [0.1, 0.2]) == nil)
  }

  @Test("accuracy and macro F1 match hand-computed values")
  func accuracyAndF1() throws {
    let truth = [0, 0, 0, 1, 1, 2]
    let predicted = [0, 0, 1, 1, 2, 2]
    #expect(PredictionScores.accuracy(truth: truth, predicted: predicted) == 4.0 / 6.0)
    // Class F1: 0 → 2·2/(3+2) = 0.8; 1 → 2·1/(2+2) = 0.5; 2 → 2·1/(1+2) = 2/3.
    let f1 = try #require(PredictionScores.macroF1(truth: truth, predicted: predicted))
    #expect(abs(f1 - (0.8 + 0.5 + 2.0 / 3.0) / 3) < 1e-12)
  }

  @Test("R² is 1 for exact predictions, 0 for the mean, and MAE is the mean absolute error")
  func regressionScores() throws {
    let truth = [1.0, 2, 3, 4]
    #expect(PredictionScores.r2(truth: truth, predicted: truth) == 1)
    #expect(PredictionScores.r2(truth: truth, predicted: [2.5, 2.5, 2.5, 2.5]) == 0)
    #expect(PredictionScores.r2(truth: [1, 1], predicted: [1, 2]) == nil)
    #expect(PredictionScores.meanAbsoluteError(truth: truth, predicted: [1, 3, 3, 2]) == 0.75)
  }

  @Test("Spearman's ρ is ±1 for monotone pairs and uses midranks for ties")
  func spearman() throws {
    #expect(PredictionScores.spearman([1, 2, 3, 4], [10, 20, 35, 100]) == 1)
    #expect(PredictionScores.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1)
    #expect(PredictionScores.midranks([3, 1, 3, 2]) == [3.5, 1, 3.5, 2])
    #expect(PredictionScores.spearman([1, 1, 1], [1, 2, 3]) == nil)
  }
}
