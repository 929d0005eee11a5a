import Foundation

/// Estimates a tree-structured distribution from MST's noisy one- and two-way marginals.
///
/// Private-PGM (McKenna, Sheldon and Miklau, "Graphical-model based estimation and inference for
/// differential privacy", ICML 2019) finds the graphical model whose marginals best fit all noisy
/// measurements. When the measured pairs form a tree, the model is a tree and it is fully given
/// by mutually consistent, non-negative one- and two-way marginals; this type builds such
/// marginals directly instead of running mirror descent:
/// 1. each attribute's marginal is the inverse-variance weighted mean of its own noisy counts and
///    the row or column sums of every measured pair it belongs to, projected onto the scaled
///    simplex {x ≥ 0, Σx = n} (``SimplexProjection``);
/// 2. each pair's noisy table is projected onto the same simplex and then fitted to its two
///    attribute marginals by iterative proportional fitting (Deming and Stephan, "On a least
///    squares adjustment of a sampled frequency table when the expected marginal totals are
///    known", Annals of Mathematical Statistics 11(4), 1940), so neighbouring pairs agree on the
///    attribute they share;
/// 3. the tree is rooted and each attribute gets P(child | parent) from its pair's table.
///
/// Compressed values (see ``CompressedMarginal``) are expanded back to the original values, a
/// merged value's probability spread equally over its members, as MST's decompression does.
struct TreeEstimation {
  /// A measured pair: noisy counts over the two compressed domains, the first attribute varying
  /// fastest, each cell with noise variance ``variance``.
  struct PairMeasurement: Sendable {
    let first: Int
    let second: Int
    let counts: [Double]
    let variance: Double
  }

  let rowCount: Int
  let oneWay: [CompressedMarginal]
  let twoWay: [PairMeasurement]

  /// The most iterative-proportional-fitting sweeps per pair.
  static let fittingSweeps = 200

  /// The network over `attributes` (each measured in ``oneWay``) whose tree is `edges`, in
  /// topological order: the first attribute of each connected part is its root.
  func network(attributes: [Int], edges: [(Int, Int)]) -> [BayesianNetwork.Node] {
    let n = Double(rowCount)
    var marginalOf: [Int: CompressedMarginal] = [:]
    for marginal in oneWay { marginalOf[marginal.attribute] = marginal }
    // 1. Attribute marginals (as counts summing to n).
    var estimate: [Int: [Double]] = [:]
    for marginal in oneWay {
      var weighted = zip(marginal.counts, marginal.variances).map { $0 / $1 }
      var precision = marginal.variances.map { 1 / $0 }
      for pair in twoWay where pair.first == marginal.attribute || pair.second == marginal.attribute
      {
        guard let first = marginalOf[pair.first], let second = marginalOf[pair.second] else {
          continue
        }
        let isFirst = pair.first == marginal.attribute
        let otherSize = isFirst ? second.size : first.size
        let variance = Double(otherSize) * pair.variance
        var sums = [Double](repeating: 0, count: marginal.size)
        for (cell, count) in pair.counts.enumerated() {
          sums[isFirst ? cell % first.size : cell / first.size] += count
        }
        for value in sums.indices {
          weighted[value] += sums[value] / variance
          precision[value] += 1 / variance
        }
      }
      estimate[marginal.attribute] = SimplexProjection.project(
        zip(weighted, precision).map { $0 / $1 }, total: n)
    }
    // 2. Consistent pair tables.
    var joint: [Int: (first: Int, table: [Double])] = [:]
    for (position, pair) in twoWay.enumerated() {
      guard let a = estimate[pair.first], let b = estimate[pair.second] else { continue }
      joint[position] = (pair.first, fit(pair.counts, rows: a, columns: b))
    }
    // 3. Root every connected part at its first attribute and orient the edges away from it.
    var neighbours: [Int: [(other: Int, pair: Int)]] = [:]
    for (position, pair) in twoWay.enumerated() {
      neighbours[pair.first, default: []].append((pair.second, position))
      neighbours[pair.second, default: []].append((pair.first, position))
    }
    var placed = Set<Int>()
    var nodes: [BayesianNetwork.Node] = []
    for root in attributes where !placed.contains(root) {
      guard let rootMarginal = marginalOf[root], let rootEstimate = estimate[root] else { continue }
      placed.insert(root)
      nodes.append(
        .init(
          attribute: root, parents: [],
          probabilities: expand(rootEstimate.map { $0 / n }, rootMarginal)))
      var queue = [root]
      var head = 0
      while head < queue.count {
        let parent = queue[head]
        head += 1
        for (child, position) in neighbours[parent] ?? [] where !placed.contains(child) {
          guard let table = joint[position], let childMarginal = marginalOf[child],
            let parentMarginal = marginalOf[parent], let childEstimate = estimate[child]
          else { continue }
          placed.insert(child)
          queue.append(child)
          nodes.append(
            .init(
              attribute: child, parents: [parent],
              probabilities: conditional(
                table.table, childIsFirst: table.first == child, child: childMarginal,
                parent: parentMarginal, fallback: childEstimate)))
        }
      }
    }
    return nodes
  }

  /// A pair table with row sums `rows` and column sums `columns` (each summing to n), close to
  /// the noisy `counts`.
  private func fit(_ counts: [Double], rows: [Double], columns: [Double]) -> [Double] {
    let r = rows.count
    let n = Double(rowCount)
    let start = SimplexProjection.project(counts, total: n)
    // A tiny multiple of the independent table keeps every cell reachable, so the fit exists
    // even where the projection emptied a whole row.
    var table = start.indices.map { cell in
      start[cell] + 1e-9 * rows[cell % r] * columns[cell / r] / max(n, 1)
    }
    for _ in 0..<TreeEstimation.fittingSweeps {
      var rowSums = [Double](repeating: 0, count: r)
      for (cell, value) in table.enumerated() { rowSums[cell % r] += value }
      for cell in table.indices where rowSums[cell % r] > 0 {
        table[cell] *= rows[cell % r] / rowSums[cell % r]
      }
      var columnSums = [Double](repeating: 0, count: columns.count)
      for (cell, value) in table.enumerated() { columnSums[cell / r] += value }
      for cell in table.indices where columnSums[cell / r] > 0 {
        table[cell] *= columns[cell / r] / columnSums[cell / r]
      }
      rowSums = [Double](repeating: 0, count: r)
      for (cell, value) in table.enumerated() { rowSums[cell % r] += value }
      let gap = zip(rowSums, rows).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
      if gap <= 1e-9 * max(n, 1) { break }
    }
    return table
  }

  /// Probabilities over the original values from probabilities over compressed values.
  private func expand(_ compressed: [Double], _ marginal: CompressedMarginal) -> [Double] {
    let values = marginal.map.map { compressed[$0] / Double(marginal.groupSizes[$0]) }
    let total = values.reduce(0, +)
    return total > 0
      ? values.map { $0 / total } : values.map { _ in 1 / Double(values.count) }
  }

  /// P(child | parent) over original values, row-major with the child fastest.
  private func conditional(
    _ table: [Double], childIsFirst: Bool, child: CompressedMarginal, parent: CompressedMarginal,
    fallback: [Double]
  ) -> [Double] {
    let firstSize = childIsFirst ? child.size : parent.size
    var rows: [[Double]] = []
    for p in 0..<parent.size {
      var row = (0..<child.size).map { c in
        childIsFirst ? table[c + firstSize * p] : table[p + firstSize * c]
      }
      if row.reduce(0, +) <= 0 { row = fallback }
      rows.append(expand(row, child))
    }
    var probabilities: [Double] = []
    probabilities.reserveCapacity(parent.map.count * child.map.count)
    for value in parent.map { probabilities += rows[value] }
    return probabilities
  }
}
