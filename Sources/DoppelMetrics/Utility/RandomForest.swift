import DoppelCore
import Foundation

/// A fitted random forest: CART trees grown on bootstrap samples with a random subset of
/// features examined at each split, their predictions averaged (Breiman, "Random forests",
/// Machine Learning 45(1), 2001).
///
/// Classification averages the trees' class probabilities (as scikit-learn does, rather than
/// counting votes); regression averages their predictions. Trees are grown in parallel, and tree
/// `i` draws its bootstrap sample and features from its own stream, derived from the seed and
/// `i`, so the forest is the same whatever the number of threads.
public struct RandomForest: Sendable, Equatable {
  /// The trees, in order.
  public let trees: [DecisionTree]
  /// The features the forest reads.
  public let schema: FeatureSchema
  /// Whether the forest predicts classes or numbers.
  public let task: UtilityTask
  /// Values predicted per row: the class count, or 1 for regression.
  public let outputWidth: Int

  /// Fits a forest.
  /// - Parameters:
  ///   - features: The training features.
  ///   - target: One class or number per row.
  ///   - options: The number of trees and their limits.
  ///   - seed: Chooses the bootstrap samples and the features examined at each split.
  /// - Returns: The fitted forest.
  /// - Throws: ``DoppelError`` `invalidArgument` when an option is out of range, the target does
  ///   not fit the features, or there are no rows.
  /// - Complexity: O(rows · log rows · features) to bin the features once, then for each tree
  ///   O((rows · f + bins · classes · f) · depth) with f the features examined per split.
  public static func fit(
    features: FeatureMatrix, target: TargetValues, options: RandomForestOptions = .init(),
    seed: UInt64
  ) throws -> RandomForest {
    try options.validate()
    try TreeBuilder.check(features: features, target: target)
    let data = BinnedFeatures(matrix: features, maxBins: options.maxBins)
    let treeOptions = options.treeOptions(featureCount: features.featureCount, task: target.task)
    let builder = TreeBuilder(
      data: data, target: target, options: treeOptions,
      maxFeatures: treeOptions.maxFeatures ?? features.featureCount, schema: features.schema)
    let rowCount = features.rowCount
    let bootstrap = options.bootstrap
    let trees = RandomForest.parallelMap(count: options.trees, threads: options.threads) { index in
      var generator = SeededGenerator(seed: seed, label: "random forest tree", index: UInt64(index))
      var weights = [Double](repeating: bootstrap ? 0 : 1, count: rowCount)
      if bootstrap {
        for _ in 0..<rowCount { weights[generator.nextInt(below: rowCount)] += 1 }
      }
      var rows: [Int32] = []
      rows.reserveCapacity(rowCount)
      for row in 0..<rowCount where weights[row] > 0 { rows.append(Int32(row)) }
      return builder.build(rows: rows, weights: weights, generator: &generator)
    }
    return RandomForest(
      trees: trees, schema: features.schema, task: target.task, outputWidth: target.outputWidth)
  }

  private init(trees: [DecisionTree], schema: FeatureSchema, task: UtilityTask, outputWidth: Int) {
    self.trees = trees
    self.schema = schema
    self.task = task
    self.outputWidth = outputWidth
  }

  /// Predicts every row of a feature matrix, in parallel over blocks of 1,024 rows.
  /// - Parameters:
  ///   - features: Features encoded with this forest's ``schema``.
  ///   - threads: Threads to use, or `nil` for one per active processor. Results do not depend
  ///     on it: each row sums its trees in order.
  /// - Returns: Row-major predictions, ``outputWidth`` per row: the mean of the trees' class
  ///   probabilities, or the mean of their predictions.
  /// - Complexity: O(rows · trees · depth).
  public func predict(_ features: FeatureMatrix, threads: Int? = nil) -> [Double] {
    precondition(features.schema == schema, "features must use the forest's schema")
    return predict(bins: bins(of: features), rowCount: features.rowCount, threads: threads)
  }

  /// The bins of a feature matrix, in the form ``predict(bins:rowCount:threads:)`` reads.
  func bins(of features: FeatureMatrix) -> [UInt16] {
    trees.first?.binning.bins(of: features) ?? []
  }

  /// Predicts rows given as feature-major bins.
  func predict(bins: [UInt16], rowCount rows: Int, threads: Int?) -> [Double] {
    let width = outputWidth
    var output = [Double](repeating: 0, count: rows * width)
    let blockSize = 1024
    let blocks = (rows + blockSize - 1) / blockSize
    let trees = self.trees
    let scale = 1 / Double(trees.count)
    bins.withUnsafeBufferPointer { bins in
      output.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let buffer = buffer
        nonisolated(unsafe) let bins = bins
        RandomForest.parallelFor(count: blocks, threads: threads) { block in
          let range = (block * blockSize)..<min(rows, (block + 1) * blockSize)
          let slice = UnsafeMutableBufferPointer(
            rebasing: buffer[(range.lowerBound * width)..<(range.upperBound * width)])
          for tree in trees {
            tree.accumulate(bins: bins, rowCount: rows, rows: range, into: slice)
          }
          for index in slice.indices { slice[index] *= scale }
        }
      }
    }
    return output
  }

  /// The predicted class of each row: the one with the highest mean probability (the lowest
  /// index on a tie).
  /// - Parameters:
  ///   - features: Features encoded with this forest's ``schema``.
  ///   - threads: Threads to use, or `nil` for one per active processor.
  /// - Returns: One class index per row (classification only).
  public func predictClasses(_ features: FeatureMatrix, threads: Int? = nil) -> [Int] {
    RandomForest.classes(
      fromProbabilities: predict(features, threads: threads), width: outputWidth)
  }

  /// The mean decrease in impurity of each feature (Breiman 2001; as in scikit-learn): each
  /// tree's decreases normalized to sum 1, averaged over the trees, normalized again.
  ///
  /// Features that split many rows near the root score high. The measure favours features with
  /// many possible thresholds, which is why permutation importance is reported beside it.
  public var impurityImportance: [Double] {
    var total = [Double](repeating: 0, count: schema.features.count)
    for tree in trees {
      let shares = tree.impurityImportance
      for index in total.indices { total[index] += shares[index] }
    }
    return DecisionTree.normalized(total)
  }

  /// The arg-max class of each row of row-major probabilities.
  static func classes(fromProbabilities probabilities: [Double], width: Int) -> [Int] {
    guard width > 0 else { return [] }
    let rows = probabilities.count / width
    var result = [Int](repeating: 0, count: rows)
    for row in 0..<rows {
      var bestClass = 0
      var bestValue = -Double.infinity
      for k in 0..<width where probabilities[row * width + k] > bestValue {
        bestValue = probabilities[row * width + k]
        bestClass = k
      }
      result[row] = bestClass
    }
    return result
  }

  /// The number of worker threads to use.
  static func threadCount(_ threads: Int?, work: Int) -> Int {
    max(1, min(work, threads ?? ProcessInfo.processInfo.activeProcessorCount))
  }

  /// Runs `body(i)` for `i` in `0..<count` on up to `threads` threads; worker `w` takes
  /// `w, w + threads, …`, so each index runs exactly once.
  static func parallelFor(count: Int, threads: Int?, _ body: @Sendable (Int) -> Void) {
    let workers = threadCount(threads, work: count)
    guard count > 0 else { return }
    if workers == 1 {
      for index in 0..<count { body(index) }
      return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      for index in stride(from: worker, to: count, by: workers) { body(index) }
    }
  }

  /// `(0..<count).map(transform)`, computed on up to `threads` threads, in index order.
  static func parallelMap<T: Sendable>(
    count: Int, threads: Int?, _ transform: @Sendable (Int) -> T
  ) -> [T] {
    var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let buffer = buffer
      parallelFor(count: count, threads: threads) { index in buffer[index] = transform(index) }
    }
    return results.compactMap { $0 }
  }
}
