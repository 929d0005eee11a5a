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

extension DecisionTree {
  /// Adds this tree's predictions for `rows` to `baseline` and, for each shuffle, to `shuffled`.
  /// - Parameters:
  ///   - bins: Feature-major bins of all `rowCount` test rows.
  ///   - rowCount: The test rows.
  ///   - rows: The rows to predict.
  ///   - sources: Per shuffle `task` (feature `task / repeats`), the row whose value of that
  ///     feature row `r` takes, at `task * rowCount + r`.
  ///   - repeats: Shuffles per feature.
  ///   - firstNodes: Scratch space, one entry per feature.
  ///   - baseline: Row-major sums of unshuffled predictions.
  ///   - shuffled: Per shuffle, row-major sums of predictions, at `task * rowCount * width`.
  func accumulateShuffled(
    bins: UnsafeBufferPointer<UInt16>, rowCount: Int, rows: Range<Int>,
    sources: UnsafeBufferPointer<Int32>, repeats: Int, firstNodes: inout [Int32],
    baseline: UnsafeMutableBufferPointer<Double>, shuffled: UnsafeMutableBufferPointer<Double>
  ) {
    let width = outputWidth
    let featureCount = firstNodes.count
    nodes.withUnsafeBufferPointer { nodes in
      nodeValues.withUnsafeBufferPointer { nodeValues in
        categoryBits.withUnsafeBufferPointer { bits in
          firstNodes.withUnsafeMutableBufferPointer { firstNodes in
            for row in rows {
              for feature in 0..<featureCount { firstNodes[feature] = -1 }
              var index = 0
              while true {
                let node = nodes[index]
                if node.feature < 0 { break }
                let feature = Int(node.feature)
                if firstNodes[feature] < 0 { firstNodes[feature] = Int32(index) }
                let bin = Int(bins[feature &* rowCount &+ row])
                index = DecisionTree.child(of: node, bin: bin, bits: bits)
              }
              let leaf = index &* width
              for k in 0..<width { baseline[row &* width &+ k] += nodeValues[leaf &+ k] }
              for feature in 0..<featureCount {
                let start = Int(firstNodes[feature])
                for task in (feature &* repeats)..<((feature &+ 1) &* repeats) {
                  var index = leaf
                  let source = start < 0 ? row : Int(sources[task &* rowCount &+ row])
                  let column = feature &* rowCount
                  // The same bin takes the same path: only a changed bin is walked again.
                  if bins[column &+ source] != bins[column &+ row] {
                    index = start
                    while true {
                      let node = nodes[index]
                      if node.feature < 0 { break }
                      let split = Int(node.feature)
                      let bin = Int(bins[split &* rowCount &+ (split == feature ? source : row)])
                      index = DecisionTree.child(of: node, bin: bin, bits: bits)
                    }
                    index = index &* width
                  }
                  let to = (task &* rowCount &+ row) &* width
                  for k in 0..<width { shuffled[to &+ k] += nodeValues[index &+ k] }
                }
              }
            }
          }
        }
      }
    }
  }
}
