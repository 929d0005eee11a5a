import DoppelCore

/// Small statistics the privacy measures share: medians, a rank-based AUC and seeded sampling.
enum PrivacyStatistics {
  /// The median of finite values (the mean of the two middle ones for an even count).
  /// - Parameter values: Any values; non-finite ones are ignored.
  /// - Returns: The median, or `nil` when no value is finite.
  /// - Complexity: O(n log n).
  static func median(_ values: [Double]) -> Double? {
    let sorted = values.filter(\.isFinite).sorted()
    guard !sorted.isEmpty else { return nil }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }

  /// The area under the ROC curve of scores that should be higher for positives: the probability
  /// that a random positive outscores a random negative, ties counting one half.
  ///
  /// Computed from the Mann–Whitney U statistic with mid-ranks for ties (Hanley and McNeil, "The
  /// meaning and use of the area under a receiver operating characteristic (ROC) curve",
  /// Radiology 143(1), 29–36, 1982).
  /// - Parameters:
  ///   - positives: Scores of the positive class.
  ///   - negatives: Scores of the negative class.
  /// - Returns: The AUC in [0, 1], or `nil` when a class is empty.
  /// - Complexity: O(n log n).
  static func auc(positives: [Double], negatives: [Double]) -> Double? {
    guard !positives.isEmpty, !negatives.isEmpty else { return nil }
    let scored = (positives.map { ($0, true) } + negatives.map { ($0, false) })
      .sorted { $0.0 < $1.0 }
    var positiveRankSum = 0.0
    var start = 0
    while start < scored.count {
      var end = start
      while end + 1 < scored.count && scored[end + 1].0 == scored[start].0 { end += 1 }
      let midRank = Double(start + end) / 2 + 1
      for index in start...end where scored[index].1 { positiveRankSum += midRank }
      start = end + 1
    }
    let p = Double(positives.count)
    let n = Double(negatives.count)
    return (positiveRankSum - p * (p + 1) / 2) / (p * n)
  }

  /// A seeded random permutation of `0..<count` (Durstenfeld's shuffle, Communications of the ACM
  /// 7(7), 420, 1964); any prefix of it is a uniform random sample without replacement.
  /// - Parameters:
  ///   - count: The number of items.
  ///   - seed: The user's seed.
  ///   - label: A fixed name of the stream, so different samples are independent.
  /// - Returns: The permuted indices.
  static func permutation(count: Int, seed: UInt64, label: String) -> [Int] {
    var generator = SeededGenerator(seed: seed, label: label)
    var order = Array(0..<count)
    var index = count - 1
    while index > 0 {
      order.swapAt(index, generator.nextInt(below: index + 1))
      index -= 1
    }
    return order
  }
}
