import DoppelCore

/// Permutation importance: how much a fitted model's score drops when one feature's values are
/// shuffled across the rows of a test set, breaking its link with the target (Breiman, "Random
/// forests", Machine Learning 45(1), 2001, §10; computed on held-out rows as scikit-learn's
/// `permutation_importance` does).
///
/// Unlike the impurity decrease it is measured on data the model did not see and in the units of
/// the score, so a feature the model only used to memorise noise scores about 0, and a feature it
/// cannot do without scores about the whole gap between the model and chance.
///
/// A shuffled feature changes a tree's prediction of a row only below the first node on the row's
/// path that splits on it, so each tree walks each row once and then re-walks, for each shuffle,
/// only from that node, and only when the shuffled value falls in another bin; the predictions are
/// the same as predicting every shuffled table afresh.
public enum PermutationImportance {
  /// The mean drop in score for each feature.
  /// - Parameters:
  ///   - forest: A fitted forest.
  ///   - features: Test features encoded with the forest's schema.
  ///   - repeats: Shuffles per feature; the drops are averaged. At least 1.
  ///   - seed: Chooses the shuffles; feature `f`, repeat `r` uses its own stream derived from the
  ///     seed and `f · repeats + r`, so results do not depend on the number of threads, and two
  ///     forests scored with the same seed see the same shuffles.
  ///   - threads: Threads to use, or `nil` for one per active processor.
  ///   - score: The score of the forest's row-major predictions (higher is better), such as
  ///     accuracy or R².
  /// - Returns: One value per feature, in schema order: the unshuffled score minus the mean
  ///   shuffled score. Negative values (shuffling helped by chance) are kept.
  /// - Complexity: O(features · repeats · rows · trees · depth) at worst.
  public static func compute(
    forest: RandomForest, features: FeatureMatrix, repeats: Int, seed: UInt64, threads: Int?,
    score: @Sendable ([Double]) -> Double
  ) -> [Double] {
    precondition(repeats >= 1, "repeats must be 1 or more")
    precondition(features.schema == forest.schema, "features must use the forest's schema")
    let rows = features.rowCount
    let featureCount = features.featureCount
    let tasks = featureCount * repeats
    guard rows > 0, tasks > 0 else { return [Double](repeating: 0, count: featureCount) }
    let width = forest.outputWidth
    let bins = forest.bins(of: features)
    // The source row of each row under shuffle `task`: the same Fisher–Yates swaps as
    // ``FeatureMatrix/permutingFeature(_:using:)`` applied to row indices.
    var sources = [Int32](repeating: 0, count: tasks * rows)
    for task in 0..<tasks {
      var generator = SeededGenerator(
        seed: seed, label: "permutation importance", index: UInt64(task))
      let base = task * rows
      for row in 0..<rows { sources[base + row] = Int32(row) }
      FeatureMatrix.shuffle(&sources, range: base..<(base + rows), using: &generator)
    }
    var baseline = [Double](repeating: 0, count: rows * width)
    var shuffled = [Double](repeating: 0, count: tasks * rows * width)
    let trees = forest.trees
    let blockSize = 512
    let blocks = (rows + blockSize - 1) / blockSize
    bins.withUnsafeBufferPointer { bins in
      sources.withUnsafeBufferPointer { sources in
        baseline.withUnsafeMutableBufferPointer { baseline in
          shuffled.withUnsafeMutableBufferPointer { shuffled in
            nonisolated(unsafe) let bins = bins
            nonisolated(unsafe) let sources = sources
            nonisolated(unsafe) let baseline = baseline
            nonisolated(unsafe) let shuffled = shuffled
            RandomForest.parallelFor(count: blocks, threads: threads) { block in
              let range = (block * blockSize)..<min(rows, (block + 1) * blockSize)
              var firstNodes = [Int32](repeating: -1, count: featureCount)
              for tree in trees {
                tree.accumulateShuffled(
                  bins: bins, rowCount: rows, rows: range, sources: sources, repeats: repeats,
                  firstNodes: &firstNodes, baseline: baseline, shuffled: shuffled)
              }
            }
          }
        }
      }
    }
    let scale = 1 / Double(trees.count)
    for index in baseline.indices { baseline[index] *= scale }
    let baselineScore = score(baseline)
    let results = shuffled
    let drops = RandomForest.parallelMap(count: tasks, threads: threads) { task in
      let from = task * rows * width
      let predictions = results[from..<(from + rows * width)].map { $0 * scale }
      return baselineScore - score(predictions)
    }
    return (0..<featureCount).map { feature in
      drops[(feature * repeats)..<((feature + 1) * repeats)].reduce(0, +) / Double(repeats)
    }
  }
}
