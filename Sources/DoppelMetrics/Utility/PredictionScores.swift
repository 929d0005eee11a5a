/// The scores of predictions against the truth, as scikit-learn computes them.
///
/// Each returns `nil` when the score is undefined for its input (no rows, one class, no
/// variance), never NaN.
public enum PredictionScores {
  /// The share of rows whose predicted class is the true class.
  /// - Parameters:
  ///   - truth: The true class of each row.
  ///   - predicted: The predicted class of each row.
  /// - Returns: Accuracy in [0, 1], or `nil` with no rows.
  public static func accuracy(truth: [Int], predicted: [Int]) -> Double? {
    precondition(truth.count == predicted.count, "truth and predictions differ in length")
    guard !truth.isEmpty else { return nil }
    let correct = zip(truth, predicted).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
    return Double(correct) / Double(truth.count)
  }

  /// The unweighted mean of the per-class F1 scores (harmonic mean of precision and recall)
  /// over the classes that occur in the truth or the predictions; a class with no true positive
  /// scores 0 (scikit-learn's `f1_score(average="macro")`).
  /// - Parameters:
  ///   - truth: The true class of each row (non-negative).
  ///   - predicted: The predicted class of each row (non-negative).
  /// - Returns: Macro F1 in [0, 1], or `nil` with no rows.
  public static func macroF1(truth: [Int], predicted: [Int]) -> Double? {
    precondition(truth.count == predicted.count, "truth and predictions differ in length")
    guard !truth.isEmpty else { return nil }
    let classes = (max(truth.max() ?? 0, predicted.max() ?? 0)) + 1
    var truePositives = [Int](repeating: 0, count: classes)
    var trueCounts = [Int](repeating: 0, count: classes)
    var predictedCounts = [Int](repeating: 0, count: classes)
    for (actual, guess) in zip(truth, predicted) {
      trueCounts[actual] += 1
      predictedCounts[guess] += 1
      if actual == guess { truePositives[actual] += 1 }
    }
    var total = 0.0
    var counted = 0
    for k in 0..<classes where trueCounts[k] + predictedCounts[k] > 0 {
      counted += 1
      total += 2 * Double(truePositives[k]) / Double(trueCounts[k] + predictedCounts[k])
    }
    return total / Double(counted)
  }

  /// The area under the ROC curve: the probability that a random positive row scores higher than
  /// a random negative one, ties counting one half (the Mann–Whitney U statistic over
  /// n₊·n₋; Hanley and McNeil, Radiology 143(1), 1982).
  /// - Parameters:
  ///   - positive: Whether each row is of the positive class.
  ///   - scores: Each row's score for the positive class; higher means more likely positive.
  /// - Returns: AUC in [0, 1] (0.5 is chance), or `nil` unless both classes occur.
  /// - Complexity: O(n log n).
  public static func rocAUC(positive: [Bool], scores: [Double]) -> Double? {
    precondition(positive.count == scores.count, "labels and scores differ in length")
    let positives = positive.reduce(0) { $0 + ($1 ? 1 : 0) }
    let negatives = positive.count - positives
    guard positives > 0, negatives > 0 else { return nil }
    let ranks = midranks(scores)
    var rankSum = 0.0
    for (index, isPositive) in positive.enumerated() where isPositive { rankSum += ranks[index] }
    let p = Double(positives)
    return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
  }

  /// The coefficient of determination, 1 − Σ(y − ŷ)² / Σ(y − ȳ)², with ȳ the mean of the truth.
  /// - Parameters:
  ///   - truth: The true values.
  ///   - predicted: The predictions.
  /// - Returns: R² (1 is perfect, 0 is as good as predicting the mean, negative is worse), or
  ///   `nil` when there are no rows or the truth does not vary.
  public static func r2(truth: [Double], predicted: [Double]) -> Double? {
    precondition(truth.count == predicted.count, "truth and predictions differ in length")
    guard !truth.isEmpty else { return nil }
    let mean = truth.reduce(0, +) / Double(truth.count)
    var residual = 0.0
    var spread = 0.0
    for (actual, guess) in zip(truth, predicted) {
      residual += (actual - guess) * (actual - guess)
      spread += (actual - mean) * (actual - mean)
    }
    guard spread > 0 else { return nil }
    return 1 - residual / spread
  }

  /// The mean absolute difference between predictions and the truth.
  /// - Parameters:
  ///   - truth: The true values.
  ///   - predicted: The predictions.
  /// - Returns: MAE in the label's units, or `nil` with no rows.
  public static func meanAbsoluteError(truth: [Double], predicted: [Double]) -> Double? {
    precondition(truth.count == predicted.count, "truth and predictions differ in length")
    guard !truth.isEmpty else { return nil }
    return zip(truth, predicted).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(truth.count)
  }

  /// Spearman's rank correlation: the Pearson correlation of the midranks (Spearman 1904).
  /// - Parameters:
  ///   - a: The first values.
  ///   - b: The second values, as many.
  /// - Returns: ρ in [−1, 1], or `nil` with fewer than two values or when either side is
  ///   constant.
  /// - Complexity: O(n log n).
  public static func spearman(_ a: [Double], _ b: [Double]) -> Double? {
    precondition(a.count == b.count, "the two samples differ in length")
    guard a.count >= 2 else { return nil }
    let x = midranks(a)
    let y = midranks(b)
    let n = Double(a.count)
    let meanX = x.reduce(0, +) / n
    let meanY = y.reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for index in x.indices {
      sxy += (x[index] - meanX) * (y[index] - meanY)
      sxx += (x[index] - meanX) * (x[index] - meanX)
      syy += (y[index] - meanY) * (y[index] - meanY)
    }
    guard sxx > 0, syy > 0 else { return nil }
    return min(1, max(-1, sxy / (sxx * syy).squareRoot()))
  }

  /// 1-based ranks, tied values sharing the mean of their ranks.
  /// - Parameter values: Any values.
  /// - Returns: One rank per value.
  /// - Complexity: O(n log n).
  public static func midranks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted {
      values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1
    }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
      var end = start + 1
      while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
      let rank = Double(start + end + 1) / 2
      for position in start..<end { ranks[order[position]] = rank }
      start = end
    }
    return ranks
  }
}
