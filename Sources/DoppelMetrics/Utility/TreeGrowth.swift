import DoppelCore

/// Grows one tree for ``TreeBuilder``: the scratch memory, the views of its inputs, and the
/// split search.
final class TreeGrowth {
  /// The best split found so far at a node.
  struct Split {
    var feature = -1
    var proxy = -Double.infinity
    var leftWeight = 0.0
    var rightWeight = 0.0
    /// Numeric: present rows with bin ≤ `slot` go left.
    var slot = 0
    /// Numeric: missing rows go left; `nil` when the node has none (decided by size later).
    var missingLeft: Bool?
    /// Categorical: slots that go left.
    var leftSlots: [UInt64] = []
  }

  let builder: TreeBuilder
  let data: BinnedFeatures
  let classCount: Int
  let isClassification: Bool
  /// Histogram stride: weight then class weights (classification), or weight then sum (regression).
  let width: Int
  /// Node statistics stride: `width` plus, for regression, the sum of squares.
  let statsWidth: Int
  let minLeaf: Double
  /// Regression: the amount subtracted from every target (their mean), added back to predictions.
  let offset: Double
  let binCounts: [Int]
  let isCategorical: [Bool]
  let bins: UnsafeBufferPointer<UInt16>
  let classes: UnsafeBufferPointer<Int32>
  let numbers: UnsafeBufferPointer<Double>
  let weights: UnsafeBufferPointer<Double>
  let histogram: UnsafeMutableBufferPointer<Double>
  let left: UnsafeMutableBufferPointer<Double>
  let leftWithMissing: UnsafeMutableBufferPointer<Double>
  let parent: UnsafeMutableBufferPointer<Double>
  var present: [Int] = []
  var keys: [Double] = []
  var featureOrder: [Int]

  init(
    builder: TreeBuilder, classCount: Int, offset: Double, bins: UnsafeBufferPointer<UInt16>,
    classes: UnsafeBufferPointer<Int32>, numbers: UnsafeBufferPointer<Double>,
    weights: UnsafeBufferPointer<Double>
  ) {
    self.builder = builder
    self.data = builder.data
    self.classCount = classCount
    self.isClassification = classCount > 0
    self.width = classCount > 0 ? classCount + 1 : 2
    self.statsWidth = classCount > 0 ? classCount + 1 : 3
    self.minLeaf = Double(builder.options.minSamplesLeaf)
    self.offset = offset
    self.binCounts = builder.data.binCounts
    self.isCategorical = builder.data.isCategorical
    self.bins = bins
    self.classes = classes
    self.numbers = numbers
    self.weights = weights
    histogram = .allocate(capacity: max(1, builder.data.binning.maximumBinCount) * width)
    histogram.initialize(repeating: 0)
    left = .allocate(capacity: width)
    left.initialize(repeating: 0)
    leftWithMissing = .allocate(capacity: width)
    leftWithMissing.initialize(repeating: 0)
    parent = .allocate(capacity: statsWidth)
    parent.initialize(repeating: 0)
    featureOrder = Array(0..<builder.data.featureCount)
    keys = [Double](repeating: 0, count: max(1, builder.data.binning.maximumBinCount))
  }

  deinit {
    histogram.deallocate()
    left.deallocate()
    leftWithMissing.deallocate()
    parent.deallocate()
  }

  func grow(rows: UnsafeMutableBufferPointer<Int32>, generator: inout SeededGenerator)
    -> DecisionTree
  {
    let outputWidth = isClassification ? classCount : 1
    var nodes: [DecisionTree.Node] = []
    var nodeValues: [Double] = []
    var stats: [Double] = []
    var categoryBits: [UInt64] = []
    var importance = [Double](repeating: 0, count: data.featureCount)
    var deepest = 0
    let maxDepth = builder.options.maxDepth ?? Int.max
    let minSplit = Double(builder.options.minSamplesSplit)

    func addNode(start: Int, end: Int) -> Int {
      let first = stats.count
      stats.append(contentsOf: repeatElement(0, count: statsWidth))
      accumulateStats(rows: rows, start: start, end: end, into: &stats, at: first)
      let weight = stats[first]
      if isClassification {
        for k in 0..<classCount {
          nodeValues.append(weight > 0 ? stats[first + 1 + k] / weight : 0)
        }
      } else {
        nodeValues.append(offset + (weight > 0 ? stats[first + 1] / weight : 0))
      }
      nodes.append(.leaf)
      return nodes.count - 1
    }

    var stack: [(node: Int, start: Int, end: Int, depth: Int)] = []
    stack.append((addNode(start: 0, end: rows.count), 0, rows.count, 0))
    while let item = stack.popLast() {
      deepest = max(deepest, item.depth)
      let first = item.node * statsWidth
      for k in 0..<statsWidth { parent[k] = stats[first + k] }
      let weight = parent[0]
      guard item.depth < maxDepth, weight >= minSplit, weight >= 2 * minLeaf, !isPure()
      else { continue }
      var split = Split()
      var examined = 0
      var position = 0
      while position < featureOrder.count && examined < builder.maxFeatures {
        let pick = position + generator.nextInt(below: featureOrder.count - position)
        featureOrder.swapAt(position, pick)
        let feature = featureOrder[position]
        position += 1
        if examine(feature, rows: rows, start: item.start, end: item.end, best: &split) {
          examined += 1
        }
      }
      guard split.feature >= 0 else { continue }
      let parentProxy = proxyOfParent()
      importance[split.feature] += max(0, split.proxy - parentProxy)
      let missingLeft = split.missingLeft ?? (split.leftWeight >= split.rightWeight)
      let middle = partition(
        rows: rows, start: item.start, end: item.end, split: split, missingLeft: missingLeft)
      var node = DecisionTree.Node.leaf
      node.feature = Int32(split.feature)
      if isCategorical[split.feature] {
        node.flags = DecisionTree.Node.categorical
        node.split = Int32(categoryBits.count)
        categoryBits.append(contentsOf: split.leftSlots)
      } else {
        node.flags = missingLeft ? DecisionTree.Node.missingLeft : 0
        node.split = Int32(split.slot)
      }
      node.left = Int32(addNode(start: item.start, end: middle))
      _ = addNode(start: middle, end: item.end)
      nodes[item.node] = node
      stack.append((Int(node.left) + 1, middle, item.end, item.depth + 1))
      stack.append((Int(node.left), item.start, middle, item.depth + 1))
    }
    return DecisionTree(
      schema: builder.schema, binning: data.binning,
      task: isClassification ? .classification : .regression,
      outputWidth: outputWidth, impurityDecrease: importance, depth: deepest, nodes: nodes,
      nodeValues: nodeValues, categoryBits: categoryBits)
  }

  /// Sums weight, class weights or sum and sum of squares over `rows[start..<end]`.
  private func accumulateStats(
    rows: UnsafeMutableBufferPointer<Int32>, start: Int, end: Int, into stats: inout [Double],
    at first: Int
  ) {
    if isClassification {
      for index in start..<end {
        let row = Int(rows[index])
        let weight = weights[row]
        stats[first] += weight
        stats[first + 1 + Int(classes[row])] += weight
      }
    } else {
      for index in start..<end {
        let row = Int(rows[index])
        let weight = weights[row]
        let value = numbers[row]
        stats[first] += weight
        stats[first + 1] += weight * value
        stats[first + 2] += weight * value * value
      }
    }
  }

  /// Whether the node in `parent` has one class or one target value.
  private func isPure() -> Bool {
    let weight = parent[0]
    if isClassification {
      for k in 0..<classCount where parent[1 + k] == weight { return true }
      return false
    }
    let mean = parent[1] / weight
    let meanSquare = parent[2] / weight
    // Rounding leaves about 1e-16 · E[y²] of variance in a constant node.
    return meanSquare - mean * mean <= 1e-12 * meanSquare
  }

  /// Σ class weight² / weight, or sum² / weight: the parent's part of the impurity decrease.
  private func proxyOfParent() -> Double {
    let weight = parent[0]
    if isClassification {
      var squares = 0.0
      for k in 0..<classCount { squares += parent[1 + k] * parent[1 + k] }
      return squares / weight
    }
    return parent[1] * parent[1] / weight
  }

  /// The split score of children `side` and `parent − side`; larger is better; `nil` when a
  /// child would be smaller than `minSamplesLeaf`.
  private func proxy(_ side: UnsafeMutableBufferPointer<Double>) -> Double? {
    let leftWeight = side[0]
    let rightWeight = parent[0] - leftWeight
    guard leftWeight >= minLeaf, rightWeight >= minLeaf, leftWeight > 0, rightWeight > 0 else {
      return nil
    }
    if isClassification {
      var leftSquares = 0.0
      var rightSquares = 0.0
      for k in 1...classCount {
        let a = side[k]
        let b = parent[k] - a
        leftSquares += a * a
        rightSquares += b * b
      }
      return leftSquares / leftWeight + rightSquares / rightWeight
    }
    let a = side[1]
    let b = parent[1] - a
    return a * a / leftWeight + b * b / rightWeight
  }

  /// Finds the best split on one feature, updating `best`.
  /// - Returns: Whether the feature varies within the node (constant features do not count
  ///   towards `maxFeatures`).
  private func examine(
    _ feature: Int, rows: UnsafeMutableBufferPointer<Int32>, start: Int, end: Int,
    best: inout Split
  ) -> Bool {
    let base = feature * data.rowCount
    var low = Int.max
    var high = -1
    if isClassification {
      for index in start..<end {
        let row = Int(rows[index])
        let slot = Int(bins[base + row])
        let weight = weights[row]
        let at = slot * width
        histogram[at] += weight
        histogram[at + 1 + Int(classes[row])] += weight
        if slot < low { low = slot }
        if slot > high { high = slot }
      }
    } else {
      for index in start..<end {
        let row = Int(rows[index])
        let slot = Int(bins[base + row])
        let weight = weights[row]
        let at = slot * width
        histogram[at] += weight
        histogram[at + 1] += weight * numbers[row]
        if slot < low { low = slot }
        if slot > high { high = slot }
      }
    }
    defer {
      for index in (low * width)..<((high + 1) * width) { histogram[index] = 0 }
    }
    if isCategorical[feature] {
      return examineCategorical(feature, low: low, high: high, best: &best)
    }
    return examineNumeric(feature, low: low, high: high, best: &best)
  }

  private func examineNumeric(_ feature: Int, low: Int, high: Int, best: inout Split) -> Bool {
    let missingWeight = low == 0 ? histogram[0] : 0
    let first = max(low, 1)
    guard high >= 1, first < high || missingWeight > 0 else { return false }
    for k in 0..<width { left[k] = 0 }
    for slot in first...high {
      let at = slot * width
      if histogram[at] == 0 { continue }
      for k in 0..<width { left[k] += histogram[at + k] }
      if slot < high {
        if let score = proxy(left), score > best.proxy {
          record(feature, slot: slot, missingLeft: missingWeight > 0 ? false : nil, score, &best)
        }
        if missingWeight > 0 {
          for k in 0..<width { leftWithMissing[k] = left[k] + histogram[k] }
          if let score = proxy(leftWithMissing), score > best.proxy {
            record(feature, slot: slot, missingLeft: true, score, &best)
            best.leftWeight = leftWithMissing[0]
            best.rightWeight = parent[0] - leftWithMissing[0]
          }
        }
      } else if missingWeight > 0, let score = proxy(left), score > best.proxy {
        // Missing against present: every present bin goes left, even those unseen here.
        record(feature, slot: binCounts[feature] - 1, missingLeft: false, score, &best)
      }
    }
    return true
  }

  private func record(
    _ feature: Int, slot: Int, missingLeft: Bool?, _ score: Double, _ best: inout Split
  ) {
    best.feature = feature
    best.proxy = score
    best.slot = slot
    best.missingLeft = missingLeft
    best.leftWeight = left[0]
    best.rightWeight = parent[0] - left[0]
    best.leftSlots = []
  }

  private func examineCategorical(_ feature: Int, low: Int, high: Int, best: inout Split) -> Bool {
    present.removeAll(keepingCapacity: true)
    for slot in low...high where histogram[slot * width] > 0 { present.append(slot) }
    guard present.count >= 2 else { return false }
    let orderings = isClassification && classCount > 2 ? classCount : 1
    for ordering in 0..<orderings {
      // The key of a category: its mean target, its share of the second class, or (for more
      // classes) its share of class `ordering`.
      let offset = isClassification ? (classCount > 2 ? 1 + ordering : 2) : 1
      for slot in present {
        keys[slot] = histogram[slot * width + offset] / histogram[slot * width]
      }
      let keys = self.keys
      present.sort { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
      for k in 0..<width { left[k] = 0 }
      for position in 0..<(present.count - 1) {
        let at = present[position] * width
        for k in 0..<width { left[k] += histogram[at + k] }
        if let score = proxy(left), score > best.proxy {
          best.feature = feature
          best.proxy = score
          best.missingLeft = nil
          best.leftWeight = left[0]
          best.rightWeight = parent[0] - left[0]
          best.leftSlots = categorySet(
            feature, leftCount: position + 1, absentLeft: best.leftWeight >= best.rightWeight)
        }
      }
    }
    return true
  }

  /// The slot set of a categorical split: the first `leftCount` present slots, and the slots
  /// absent from the node when the left child is the larger.
  private func categorySet(_ feature: Int, leftCount: Int, absentLeft: Bool) -> [UInt64] {
    let slots = binCounts[feature]
    var words = [UInt64](repeating: 0, count: (slots + 63) / 64)
    if absentLeft {
      var presence = [UInt64](repeating: 0, count: words.count)
      for slot in present { presence[slot >> 6] |= 1 << UInt64(slot & 63) }
      for slot in 0..<slots where presence[slot >> 6] & (1 << UInt64(slot & 63)) == 0 {
        words[slot >> 6] |= 1 << UInt64(slot & 63)
      }
    }
    for slot in present[0..<leftCount] { words[slot >> 6] |= 1 << UInt64(slot & 63) }
    return words
  }

  /// Reorders `rows[start..<end]` so rows going left come first; returns where the right begins.
  private func partition(
    rows: UnsafeMutableBufferPointer<Int32>, start: Int, end: Int, split: Split,
    missingLeft: Bool
  ) -> Int {
    let base = split.feature * data.rowCount
    let categorical = isCategorical[split.feature]
    var low = start
    var high = end - 1
    while low <= high {
      let slot = Int(bins[base + Int(rows[low])])
      let goesLeft: Bool
      if categorical {
        goesLeft = split.leftSlots[slot >> 6] & (1 << UInt64(slot & 63)) != 0
      } else if slot == 0 {
        goesLeft = missingLeft
      } else {
        goesLeft = slot <= split.slot
      }
      if goesLeft {
        low += 1
      } else {
        rows.swapAt(low, high)
        high -= 1
      }
    }
    return low
  }
}
