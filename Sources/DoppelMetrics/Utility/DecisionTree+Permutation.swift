/// Prediction of shuffled test rows for ``PermutationImportance``.
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
