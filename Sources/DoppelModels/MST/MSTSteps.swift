import DoppelCore
import Foundation

/// The noisy one-way marginal of one attribute over its compressed domain.
///
/// MST's COMPRESS step (McKenna, Miklau and Sheldon 2021, Section 4): a value whose noisy count
/// is below 3σ keeps no value of its own; all such values form one merged value, whose noisy count
/// is the sum of theirs (so its noise variance is m·σ² for m merged values). This is
/// post-processing of the released counts.
struct CompressedMarginal: Sendable {
  /// The attribute's index in the ``DiscreteTable``.
  let attribute: Int
  /// For each original value, its compressed value.
  let map: [Int]
  /// For each compressed value, how many original values it stands for.
  let groupSizes: [Int]
  /// The noisy counts of the compressed values.
  let counts: [Double]
  /// The noise variance of each entry of ``counts``.
  let variances: [Double]

  /// The number of compressed values.
  var size: Int { groupSizes.count }

  /// Compresses a noisy marginal with per-cell noise standard deviation `sigma`.
  init(attribute: Int, noisy: [Double], sigma: Double) {
    self.attribute = attribute
    let supported = noisy.map { $0 >= 3 * sigma }
    let kept = supported.indices.filter { supported[$0] }
    let merged = noisy.count - kept.count
    var map = [Int](repeating: kept.count, count: noisy.count)
    for (rank, value) in kept.enumerated() { map[value] = rank }
    self.map = map
    var counts = kept.map { noisy[$0] }
    var sizes = [Int](repeating: 1, count: kept.count)
    var variances = [Double](repeating: sigma * sigma, count: kept.count)
    if merged > 0 {
      counts.append(supported.indices.filter { !supported[$0] }.reduce(0) { $0 + noisy[$1] })
      sizes.append(merged)
      variances.append(Double(merged) * sigma * sigma)
    }
    self.counts = counts
    self.groupSizes = sizes
    self.variances = variances
  }
}

/// MST's measurement and selection steps over a ``DiscreteTable``.
struct MSTSteps {
  let data: DiscreteTable
  /// The attributes that are measured (those with more than one value).
  let attributes: [Int]
  let seed: UInt64

  /// MEASURE of every one-way marginal, then COMPRESS; one result per entry of ``attributes``.
  func measureOneWay(_ mechanism: GaussianMechanism) -> [CompressedMarginal] {
    attributes.enumerated().map { position, attribute in
      var random = SeededGenerator(seed: seed, label: "mst one-way", index: UInt64(position))
      let noisy = mechanism.release(
        JointCounts.counts(data, attributes: [attribute]), using: &random)
      return CompressedMarginal(
        attribute: attribute, noisy: noisy, sigma: mechanism.standardDeviation)
    }
  }

  /// The codes of an attribute in its compressed domain.
  private func compressedCodes(_ marginal: CompressedMarginal) -> [Int32] {
    data.codes[marginal.attribute].map { Int32(marginal.map[Int($0)]) }
  }

  /// The exact counts of the compressed pair, the first attribute varying fastest.
  private func pairCounts(_ first: [Int32], _ second: [Int32], firstSize: Int, size: Int)
    -> [Double]
  {
    var counts = [Double](repeating: 0, count: size)
    for row in 0..<data.rowCount {
      counts[Int(first[row]) + firstSize * Int(second[row])] += 1
    }
    return counts
  }

  /// SELECT: d − 1 exponential-mechanism choices that grow a spanning tree (Kruskal style), each
  /// among the pairs not yet connected, scored by the L1 distance between the pair's compressed
  /// counts and the product of the two noisy one-way estimates.
  /// - Returns: The chosen pairs, as attribute indices, in the order chosen.
  func selectTree(_ oneWay: [CompressedMarginal], mechanism: ExponentialMechanism) -> [(Int, Int)] {
    let n = Double(data.rowCount)
    let estimates = oneWay.map { marginal in
      SimplexProjection.project(marginal.counts, total: n).map { $0 / max(n, 1) }
    }
    let codes = oneWay.map(compressedCodes)
    var pairs: [(Int, Int)] = []
    var scores: [Double] = []
    for i in oneWay.indices {
      for j in (i + 1)..<oneWay.count {
        let ri = oneWay[i].size
        let counts = pairCounts(codes[i], codes[j], firstSize: ri, size: ri * oneWay[j].size)
        var distance = 0.0
        for (cell, count) in counts.enumerated() {
          distance += abs(count - n * estimates[i][cell % ri] * estimates[j][cell / ri])
        }
        pairs.append((i, j))
        scores.append(distance)
      }
    }
    var components = Array(oneWay.indices)
    func root(_ x: Int) -> Int {
      var x = x
      while components[x] != x {
        components[x] = components[components[x]]
        x = components[x]
      }
      return x
    }
    var random = SeededGenerator(seed: seed, label: "mst select")
    var chosen: [(Int, Int)] = []
    for _ in 0..<(oneWay.count - 1) {
      let open = pairs.indices.filter { root(pairs[$0].0) != root(pairs[$0].1) }
      guard !open.isEmpty else { break }
      let pick = open[mechanism.select(scores: open.map { scores[$0] }, using: &random)]
      let (i, j) = pairs[pick]
      components[root(i)] = root(j)
      chosen.append((oneWay[i].attribute, oneWay[j].attribute))
    }
    return chosen
  }

  /// MEASURE of the chosen pairs' two-way marginals over the compressed domains.
  func measureTwoWay(
    _ edges: [(Int, Int)], compressed: [CompressedMarginal], mechanism: GaussianMechanism
  ) -> [TreeEstimation.PairMeasurement] {
    edges.enumerated().map { position, edge in
      let first = compressed.first { $0.attribute == edge.0 }
      let second = compressed.first { $0.attribute == edge.1 }
      guard let first, let second else {
        preconditionFailure("a selected pair names an attribute that was not measured")
      }
      let counts = pairCounts(
        compressedCodes(first), compressedCodes(second), firstSize: first.size,
        size: first.size * second.size)
      var random = SeededGenerator(seed: seed, label: "mst two-way", index: UInt64(position))
      let sigma = mechanism.standardDeviation
      return TreeEstimation.PairMeasurement(
        first: edge.0, second: edge.1, counts: mechanism.release(counts, using: &random),
        variance: sigma * sigma)
    }
  }
}

/// Euclidean projection onto the scaled probability simplex {x ≥ 0, Σx = total}.
///
/// Duchi, Shalev-Shwartz, Singer and Chandra, "Efficient projections onto the l1-ball for
/// learning in high dimensions", ICML 2008, Figure 1: sort, find the threshold θ, clip x − θ at 0.
enum SimplexProjection {
  /// The nearest point of the simplex to `values`; uniform when `values` is empty of information.
  /// - Complexity: O(k log k) for k values.
  static func project(_ values: [Double], total: Double) -> [Double] {
    guard !values.isEmpty else { return [] }
    let sorted = values.sorted(by: >)
    var sum = 0.0
    var theta = 0.0
    for (index, value) in sorted.enumerated() {
      sum += value
      let candidate = (sum - total) / Double(index + 1)
      if value - candidate > 0 { theta = candidate }
    }
    let projected = values.map { max($0 - theta, 0) }
    let mass = projected.reduce(0, +)
    guard mass > 0, mass.isFinite else {
      return [Double](repeating: total / Double(values.count), count: values.count)
    }
    return projected.map { $0 * total / mass }
  }
}
