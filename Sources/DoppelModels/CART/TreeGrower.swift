import DoppelCore

/// One predictor column as the tree grower sees it.
struct TreeFeature: Sendable {
  /// The column index in the table.
  let column: Int
  /// The value of every training row: a number (NaN when missing) or a category code (the
  /// category count when missing).
  let values: [Double]
  /// For categorical predictors: the number of codes including the missing code.
  let categoryCount: Int?
  /// For numeric predictors: every training row, ascending by value, missing rows last.
  let order: [Int32]?
  /// For categorical predictors: the codes again, compactly (the split search reads them in
  /// random row order, so a small array stays in cache).
  var codes: [UInt16] = []

  /// A numeric predictor with its sort order computed.
  static func numeric(column: Int, values: [Double]) -> TreeFeature {
    var order = (0..<values.count).map { Int32($0) }
    order.sort { a, b in
      let x = values[Int(a)]
      let y = values[Int(b)]
      if x.isNaN || y.isNaN { return !x.isNaN && y.isNaN || (x.isNaN && y.isNaN && a < b) }
      return x < y || (x == y && a < b)
    }
    return TreeFeature(column: column, values: values, categoryCount: nil, order: order)
  }

  /// A categorical predictor.
  /// The most codes (labels plus missing) a categorical predictor may have.
  static let maximumCategories = Int(UInt16.max)

  static func categorical(column: Int, codes: [Double], count: Int) -> TreeFeature {
    var feature = TreeFeature(column: column, values: codes, categoryCount: count, order: nil)
    feature.codes = codes.map { UInt16(clamping: Int($0)) }
    return feature
  }
}

/// What a tree predicts.
enum TreeTarget: Sendable {
  /// Classification: the class of every training row, below `count`.
  case classes([Int32], count: Int)
  /// Regression: the value of every training row.
  case values([Double])
}

/// Grows a CART tree (Breiman, Friedman, Olshen and Stone, *Classification and Regression
/// Trees*, Wadsworth 1984) the way `rpart` does for synthpop: Gini impurity for classes, the sum
/// of squares for numbers, children of at least `minLeaf` rows, nodes of fewer than `3·minLeaf`
/// rows not split, and a split kept only when it lowers the impurity by at least `cp` times the
/// root's.
///
/// Numeric predictors are scanned in presorted order (each node keeps its rows sorted by every
/// numeric predictor, partitioned stably on each split), so every candidate threshold is tried
/// in O(rows) per node. A missing number is tried on each side of every threshold, and "missing
/// versus present" is a split of its own. Categories are ordered by the mean of the target (for
/// numbers and two classes, Breiman's theorem makes the best split a prefix of that order) or,
/// for more classes, by the share of each of the most frequent classes in turn, and the prefixes
/// of those orders are searched.
struct TreeGrower {
  let minLeaf: Int
  let maxDepth: Int
  let cp: Double

  /// The most class orders tried for a categorical predictor of a many-class target.
  static let maximumClassOrders = 8

  /// Scratch arrays reused by every node's split search, so small nodes allocate nothing.
  private struct Workspace {
    var total: [Double]
    var miss: [Double]
    var left: [Double]
    var right: [Double]
    var table: [Double]
    var sizes: [Double]
    var sums: [Double]
    var squares: [Double]

    init(classes k: Int, categories: Int) {
      total = [Double](repeating: 0, count: k)
      miss = total
      left = total
      right = total
      table = [Double](repeating: 0, count: k * categories)
      sizes = [Double](repeating: 0, count: categories)
      sums = sizes
      squares = sizes
    }
  }

  private struct Split {
    var gain: Double
    var feature: Int
    var threshold: Double = 0
    var missingLeft = false
    var categoriesLeft: [Int]?
  }

  /// Grows a tree on the training rows `rows` (ascending).
  /// - Complexity: O(d · p · n) for depth d, p predictors and n rows, after O(p · n log n) sorting.
  func grow(rows: [Int32], rowCount n: Int, target: TreeTarget, features: [TreeFeature])
    -> SynthesisTree
  {
    let m = rows.count
    var inTree = [Bool](repeating: rows.count == n, count: n)
    if m != n { for r in rows { inTree[Int(r)] = true } }
    var orders: [[Int32]] = features.map { feature in
      guard let order = feature.order else { return [] }
      return m == n ? order : order.filter { inTree[Int($0)] }
    }
    var nodeRows = rows
    var buffer = [Int32](repeating: 0, count: m)
    var goesLeft = [Bool](repeating: false, count: n)

    var classes: [Int32] = []
    var classCount = 0
    var y: [Double] = []
    switch target {
    case .classes(let values, let count):
      classes = values
      classCount = count
    case .values(let values):
      var mean = 0.0
      for r in rows { mean += values[Int(r)] }
      mean /= Double(max(m, 1))
      y = values.map { $0 - mean }
    }
    let isClassification = classCount > 0
    let rawValues: [Double]
    if case .values(let values) = target { rawValues = values } else { rawValues = [] }

    var nodes: [SynthesisTree.Node] = [SynthesisTree.Node()]
    var leaves: [SynthesisTree.Leaf] = []
    guard m > 0 else {
      nodes[0].leaf = 0
      leaves.append(SynthesisTree.Leaf(values: nil, classes: [0], counts: [1]))
      return SynthesisTree(nodes: nodes, leaves: leaves)
    }
    let rootImpurity = impurity(
      lo: 0, hi: m, rows: nodeRows, classes: classes, classCount: classCount, y: y)
    let minimumGain = max(cp * rootImpurity, 1e-12 * max(rootImpurity, 1e-300))
    let minSplit = max(3 * minLeaf, 2)
    var workspace = Workspace(
      classes: max(classCount, 1),
      categories: features.map { $0.categoryCount ?? 0 }.max() ?? 0)

    var stack: [(lo: Int, hi: Int, depth: Int, node: Int)] = [(0, m, 0, 0)]
    while let (lo, hi, depth, node) = stack.popLast() {
      var split: Split?
      if hi - lo >= minSplit && depth < maxDepth {
        let parent = impurity(
          lo: lo, hi: hi, rows: nodeRows, classes: classes, classCount: classCount, y: y)
        if parent > minimumGain {
          split = bestSplit(
            lo: lo, hi: hi, parent: parent, rows: nodeRows, orders: orders, features: features,
            classes: classes, classCount: classCount, y: y, workspace: &workspace)
          if let found = split, found.gain < minimumGain { split = nil }
        }
      }
      guard let split else {
        nodes[node].leaf = leaves.count
        leaves.append(
          makeLeaf(
            lo: lo, hi: hi, rows: nodeRows, classes: classes, classCount: classCount,
            values: rawValues, isClassification: isClassification))
        continue
      }
      let feature = features[split.feature]
      let values = feature.values
      var leftCount = 0
      if let set = split.categoriesLeft {
        var inSet = [Bool](repeating: false, count: feature.categoryCount ?? 0)
        for code in set { inSet[code] = true }
        for i in lo..<hi {
          let r = Int(nodeRows[i])
          let code = Int(values[r])
          goesLeft[r] = code >= 0 && code < inSet.count && inSet[code]
          if goesLeft[r] { leftCount += 1 }
        }
      } else {
        for i in lo..<hi {
          let r = Int(nodeRows[i])
          let x = values[r]
          goesLeft[r] = x.isNaN ? split.missingLeft : x <= split.threshold
          if goesLeft[r] { leftCount += 1 }
        }
      }
      TreeGrower.partition(&nodeRows, lo: lo, hi: hi, goesLeft: goesLeft, buffer: &buffer)
      for f in orders.indices where !orders[f].isEmpty {
        TreeGrower.partition(&orders[f], lo: lo, hi: hi, goesLeft: goesLeft, buffer: &buffer)
      }
      let left = nodes.count
      nodes.append(SynthesisTree.Node())
      nodes.append(SynthesisTree.Node())
      nodes[node].feature = feature.column
      nodes[node].left = left
      if let set = split.categoriesLeft {
        nodes[node].categoriesLeft = set
      } else {
        nodes[node].threshold = split.threshold
        nodes[node].missingLeft = split.missingLeft
      }
      // Right first so the left subtree is grown first (node order does not affect sampling).
      stack.append((lo + leftCount, hi, depth + 1, left + 1))
      stack.append((lo, lo + leftCount, depth + 1, left))
    }
    return SynthesisTree(nodes: nodes, leaves: leaves)
  }

  private static func partition(
    _ array: inout [Int32], lo: Int, hi: Int, goesLeft: [Bool], buffer: inout [Int32]
  ) {
    var l = lo
    var b = 0
    for i in lo..<hi {
      let r = array[i]
      if goesLeft[Int(r)] {
        array[l] = r
        l += 1
      } else {
        buffer[b] = r
        b += 1
      }
    }
    for k in 0..<b { array[l + k] = buffer[k] }
  }

  /// Gini impurity times the row count, or the sum of squares about the mean.
  private func impurity(
    lo: Int, hi: Int, rows: [Int32], classes: [Int32], classCount: Int, y: [Double]
  ) -> Double {
    let m = Double(hi - lo)
    if classCount > 0 {
      var counts = [Double](repeating: 0, count: classCount)
      for i in lo..<hi { counts[Int(classes[Int(rows[i])])] += 1 }
      var squares = 0.0
      for c in counts { squares += c * c }
      return m - squares / m
    }
    var sum = 0.0
    var squares = 0.0
    for i in lo..<hi {
      let v = y[Int(rows[i])]
      sum += v
      squares += v * v
    }
    return max(0, squares - sum * sum / m)
  }

  private func makeLeaf(
    lo: Int, hi: Int, rows: [Int32], classes: [Int32], classCount: Int, values: [Double],
    isClassification: Bool
  ) -> SynthesisTree.Leaf {
    if isClassification {
      var counts = [Int](repeating: 0, count: classCount)
      for i in lo..<hi { counts[Int(classes[Int(rows[i])])] += 1 }
      let seen = (0..<classCount).filter { counts[$0] > 0 }
      return SynthesisTree.Leaf(values: nil, classes: seen, counts: seen.map { counts[$0] })
    }
    var donors = (lo..<hi).map { values[Int(rows[$0])] }
    donors.sort()
    return SynthesisTree.Leaf(values: donors, classes: nil, counts: nil)
  }

  // MARK: - Split search

  private func bestSplit(
    lo: Int, hi: Int, parent: Double, rows: [Int32], orders: [[Int32]], features: [TreeFeature],
    classes: [Int32], classCount: Int, y: [Double], workspace: inout Workspace
  ) -> Split? {
    var best: Split?
    for (f, feature) in features.enumerated() {
      let candidate: Split?
      if let count = feature.categoryCount {
        candidate = categoricalSplit(
          f, count: count, lo: lo, hi: hi, parent: parent, rows: rows, codes: feature.codes,
          classes: classes, classCount: classCount, y: y, workspace: &workspace)
      } else {
        candidate = numericSplit(
          f, lo: lo, hi: hi, parent: parent, order: orders[f], values: feature.values,
          classes: classes, classCount: classCount, y: y, workspace: &workspace)
      }
      if let candidate, candidate.gain > (best?.gain ?? 0) { best = candidate }
    }
    return best
  }

  private func numericSplit(
    _ f: Int, lo: Int, hi: Int, parent: Double, order: [Int32], values: [Double],
    classes: [Int32], classCount: Int, y: [Double], workspace ws: inout Workspace
  ) -> Split? {
    var present = hi
    while present > lo && values[Int(order[present - 1])].isNaN { present -= 1 }
    let missing = hi - present
    let m = hi - lo
    guard present - lo >= 1 else { return nil }
    if values[Int(order[lo])] == values[Int(order[present - 1])] && missing == 0 { return nil }
    var best: Split?
    func consider(_ gain: Double, threshold: Double, missingLeft: Bool) {
      if gain > (best?.gain ?? 0) {
        best = Split(gain: gain, feature: f, threshold: threshold, missingLeft: missingLeft)
      }
    }
    func threshold(at i: Int) -> Double {
      let a = values[Int(order[i])]
      guard i + 1 < present else { return a }
      let b = values[Int(order[i + 1])]
      let mid = a + (b - a) / 2
      return mid < b && mid >= a ? mid : a
    }
    if classCount > 0 {
      let k = classCount
      for c in 0..<k {
        ws.left[c] = 0
        ws.right[c] = 0
        ws.miss[c] = 0
      }
      for i in lo..<hi {
        let c = Int(classes[Int(order[i])])
        ws.right[c] += 1
        if i >= present { ws.miss[c] += 1 }
      }
      var leftSq = 0.0
      var rightSq = 0.0
      var missSq = 0.0
      var crossLeft = 0.0  // Σ left·miss
      var crossRight = 0.0  // Σ right·miss
      for c in 0..<k {
        rightSq += ws.right[c] * ws.right[c]
        missSq += ws.miss[c] * ws.miss[c]
        crossRight += ws.right[c] * ws.miss[c]
      }
      let mm = Double(missing)
      for i in lo..<present {
        let c = Int(classes[Int(order[i])])
        leftSq += 2 * ws.left[c] + 1
        crossLeft += ws.miss[c]
        ws.left[c] += 1
        rightSq -= 2 * ws.right[c] - 1
        crossRight -= ws.miss[c]
        ws.right[c] -= 1
        if i + 1 < present && values[Int(order[i + 1])] == values[Int(order[i])] { continue }
        let nl = Double(i - lo + 1)
        let nr = Double(m) - nl
        let t = threshold(at: i)
        if i + 1 == present && missing == 0 { break }
        // Missing to the right.
        if nl >= Double(minLeaf) && nr >= Double(minLeaf) {
          let g = parent - (nl - leftSq / nl) - (nr - rightSq / nr)
          consider(g, threshold: t, missingLeft: false)
        }
        // Missing to the left.
        if missing > 0 && i + 1 < present {
          let nl2 = nl + mm
          let nr2 = nr - mm
          if nl2 >= Double(minLeaf) && nr2 >= Double(minLeaf) {
            let l2 = leftSq + 2 * crossLeft + missSq
            let r2 = rightSq - 2 * crossRight + missSq
            let g = parent - (nl2 - l2 / nl2) - (nr2 - r2 / nr2)
            consider(g, threshold: t, missingLeft: true)
          }
        }
      }
      return best
    }
    var totalSum = 0.0
    var totalSq = 0.0
    var missSum = 0.0
    var missSq = 0.0
    for i in lo..<hi {
      let v = y[Int(order[i])]
      totalSum += v
      totalSq += v * v
      if i >= present {
        missSum += v
        missSq += v * v
      }
    }
    var leftSum = 0.0
    var leftSq = 0.0
    let mm = Double(missing)
    for i in lo..<present {
      let v = y[Int(order[i])]
      leftSum += v
      leftSq += v * v
      if i + 1 < present && values[Int(order[i + 1])] == values[Int(order[i])] { continue }
      if i + 1 == present && missing == 0 { break }
      let nl = Double(i - lo + 1)
      let nr = Double(m) - nl
      let t = threshold(at: i)
      func sse(_ n: Double, _ s: Double, _ q: Double) -> Double { max(0, q - s * s / n) }
      if nl >= Double(minLeaf) && nr >= Double(minLeaf) {
        let g = parent - sse(nl, leftSum, leftSq) - sse(nr, totalSum - leftSum, totalSq - leftSq)
        consider(g, threshold: t, missingLeft: false)
      }
      if missing > 0 && i + 1 < present {
        let nl2 = nl + mm
        let nr2 = nr - mm
        if nl2 >= Double(minLeaf) && nr2 >= Double(minLeaf) {
          let ls = leftSum + missSum
          let lq = leftSq + missSq
          let g = parent - sse(nl2, ls, lq) - sse(nr2, totalSum - ls, totalSq - lq)
          consider(g, threshold: t, missingLeft: true)
        }
      }
    }
    return best
  }

  private func categoricalSplit(
    _ f: Int, count: Int, lo: Int, hi: Int, parent: Double, rows: [Int32], codes: [UInt16],
    classes: [Int32], classCount: Int, y: [Double], workspace ws: inout Workspace
  ) -> Split? {
    let m = Double(hi - lo)
    for code in 0..<count { ws.sizes[code] = 0 }
    if classCount > 0 {
      let k = classCount
      for cell in 0..<(count * k) { ws.table[cell] = 0 }
      for c in 0..<k { ws.total[c] = 0 }
      for i in lo..<hi {
        let r = Int(rows[i])
        let code = Int(codes[r])
        guard code < count else { continue }
        let c = Int(classes[r])
        ws.table[code * k + c] += 1
        ws.sizes[code] += 1
        ws.total[c] += 1
      }
      let sizes = ws.sizes
      let table = ws.table
      let classTotals = ws.total
      let present = (0..<count).filter { sizes[$0] > 0 }
      guard present.count >= 2 else { return nil }
      var orderClasses: [Int]
      if k == 2 {
        orderClasses = [1]
      } else {
        orderClasses = (0..<k).filter { classTotals[$0] > 0 }
        orderClasses.sort {
          classTotals[$0] > classTotals[$1] || (classTotals[$0] == classTotals[$1] && $0 < $1)
        }
        orderClasses = Array(orderClasses.prefix(TreeGrower.maximumClassOrders))
      }
      var bestGain = 0.0
      var bestOrder: [Int] = []
      var bestPosition = -1
      var totalSq = 0.0
      for c in 0..<k { totalSq += classTotals[c] * classTotals[c] }
      for target in orderClasses {
        let ordered = present.sorted { a, b in
          let pa = table[a * k + target] / sizes[a]
          let pb = table[b * k + target] / sizes[b]
          return pa < pb || (pa == pb && a < b)
        }
        for c in 0..<k { ws.left[c] = 0 }
        var leftSq = 0.0
        var rightSq = totalSq
        var nl = 0.0
        for position in 0..<(ordered.count - 1) {
          let code = ordered[position]
          for c in 0..<k {
            let add = table[code * k + c]
            guard add > 0 else { continue }
            let l = ws.left[c]
            let right = classTotals[c] - l
            leftSq += (l + add) * (l + add) - l * l
            rightSq += (right - add) * (right - add) - right * right
            ws.left[c] = l + add
          }
          nl += sizes[code]
          let nr = m - nl
          guard nl >= Double(minLeaf) && nr >= Double(minLeaf) else { continue }
          let g = parent - (nl - leftSq / nl) - (nr - rightSq / nr)
          if g > bestGain {
            bestGain = g
            bestOrder = ordered
            bestPosition = position
          }
        }
      }
      guard bestPosition >= 0 else { return nil }
      return Split(gain: bestGain, feature: f, categoriesLeft: bestOrder[0...bestPosition].sorted())
    }
    for code in 0..<count {
      ws.sums[code] = 0
      ws.squares[code] = 0
    }
    var totalSum = 0.0
    var totalSq = 0.0
    for i in lo..<hi {
      let r = Int(rows[i])
      let code = Int(codes[r])
      guard code < count else { continue }
      let v = y[r]
      ws.sums[code] += v
      ws.squares[code] += v * v
      ws.sizes[code] += 1
      totalSum += v
      totalSq += v * v
    }
    let sizes = ws.sizes
    let sums = ws.sums
    let squares = ws.squares
    let present = (0..<count).filter { sizes[$0] > 0 }
    guard present.count >= 2 else { return nil }
    let ordered = present.sorted { a, b in
      let ma = sums[a] / sizes[a]
      let mb = sums[b] / sizes[b]
      return ma < mb || (ma == mb && a < b)
    }
    var bestGain = 0.0
    var bestPosition = -1
    var nl = 0.0
    var ls = 0.0
    var lq = 0.0
    func sse(_ n: Double, _ s: Double, _ q: Double) -> Double { max(0, q - s * s / n) }
    for position in 0..<(ordered.count - 1) {
      let code = ordered[position]
      nl += sizes[code]
      ls += sums[code]
      lq += squares[code]
      let nr = m - nl
      guard nl >= Double(minLeaf) && nr >= Double(minLeaf) else { continue }
      let g = parent - sse(nl, ls, lq) - sse(nr, totalSum - ls, totalSq - lq)
      if g > bestGain {
        bestGain = g
        bestPosition = position
      }
    }
    guard bestPosition >= 0 else { return nil }
    return Split(gain: bestGain, feature: f, categoriesLeft: ordered[0...bestPosition].sorted())
  }
}
