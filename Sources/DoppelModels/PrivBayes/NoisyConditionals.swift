import DoppelCore
import Foundation

/// PrivBayes' NoisyConditionals: the network's conditional tables from Laplace-noised joint counts.
///
/// Following Zhang et al. (ACM TODS 42(4), 2017, Algorithm 1), each node's family {X} ∪ Π needs
/// the joint distribution Pr[X, Π]. A family contained in another family is read off the larger
/// one's noisy joint by summing (post-processing, no budget), generalising the paper's derivation
/// of the first k attributes from Pr*[X_{k+1}, Π_{k+1}]; only the m families contained in no
/// other are measured. Each measured family's joint counts get Laplace noise through one
/// ``LaplaceMechanism`` with L1 sensitivity 2 — replacing one row moves one unit of count from one
/// cell to another — and ε = ε₂/M for M measurements in all (the m joints, plus the cell
/// histograms of numerical columns that ``PrivBayesSynthesizer`` measures with the same
/// mechanism); with M = m this is the paper's scale 2m/(n·ε₂) on the normalised distribution. Negative cells are set to 0 and the joint is renormalised, as in the paper; a
/// parent configuration left with no mass takes the attribute's noisy marginal from the same
/// joint (uniform if that is empty too).
struct NoisyConditionals {
  let data: DiscreteTable
  /// The mechanism of each measured joint: ε₂ shared among the measurements, L1 sensitivity 2.
  let mechanism: LaplaceMechanism
  let seed: UInt64

  /// The positions in `structure` of the families contained in no other family: the joints that
  /// must be measured.
  static func measuredFamilies(_ structure: [(attribute: Int, parents: [Int])]) -> [Int] {
    let families = structure.map { Set([$0.attribute] + $0.parents) }
    return families.indices.filter { i in
      !families.indices.contains { j in j != i && families[i].isStrictSubset(of: families[j]) }
    }
  }

  /// The nodes of `structure` with noisy tables, measuring the joints of the families at
  /// positions `measured` (from ``measuredFamilies(_:)``).
  /// - Complexity: O(m · (n + cells)) for m measured families.
  func run(_ structure: [(attribute: Int, parents: [Int])], measured: [Int]) -> [BayesianNetwork
    .Node]
  {
    let families = structure.map { Set([$0.attribute] + $0.parents) }
    var joints: [(attributes: [Int], distribution: [Double])] = []
    for (index, family) in measured.enumerated() {
      let attributes = [structure[family].attribute] + structure[family].parents
      var random = SeededGenerator(seed: seed, label: "privbayes noise", index: UInt64(index))
      let noisy = mechanism.release(
        JointCounts.counts(data, attributes: attributes), using: &random
      ).map { max(0, $0) }
      let total = noisy.reduce(0, +)
      joints.append(
        (attributes, noisy.map { total > 0 ? $0 / total : 1 / Double(noisy.count) }))
    }
    return structure.enumerated().map { position, entry in
      let wanted = [entry.attribute] + entry.parents
      let source = measured.firstIndex { families[position].isSubset(of: families[$0]) } ?? 0
      let joint = marginalize(
        joints[source].distribution, from: joints[source].attributes, to: wanted)
      return BayesianNetwork.Node(
        attribute: entry.attribute, parents: entry.parents,
        probabilities: conditional(joint, childValues: data.columns[entry.attribute].cardinality))
    }
  }

  /// Sums a joint over `attributes` down to the joint over `wanted` (a subset, in its own order).
  private func marginalize(_ joint: [Double], from attributes: [Int], to wanted: [Int]) -> [Double]
  {
    if attributes == wanted { return joint }
    let sizes = attributes.map { data.columns[$0].cardinality }
    let wantedSizes = wanted.map { data.columns[$0].cardinality }
    var wantedStride = [Int](repeating: 0, count: attributes.count)
    var stride = 1
    for (position, attribute) in wanted.enumerated() {
      if let source = attributes.firstIndex(of: attribute) { wantedStride[source] = stride }
      stride *= wantedSizes[position]
    }
    var result = [Double](repeating: 0, count: stride)
    var digits = [Int](repeating: 0, count: attributes.count)
    for value in joint {
      var target = 0
      for (digit, step) in zip(digits, wantedStride) { target += digit * step }
      result[target] += value
      for position in digits.indices {
        digits[position] += 1
        if digits[position] < sizes[position] { break }
        digits[position] = 0
      }
    }
    return result
  }

  /// Rows of P(X | configuration) from a joint with X first.
  private func conditional(_ joint: [Double], childValues r: Int) -> [Double] {
    var marginal = [Double](repeating: 0, count: r)
    for (cell, value) in joint.enumerated() { marginal[cell % r] += value }
    let marginalTotal = marginal.reduce(0, +)
    marginal = marginal.map { marginalTotal > 0 ? $0 / marginalTotal : 1 / Double(r) }
    var probabilities = joint
    for start in stride(from: 0, to: joint.count, by: r) {
      let total = joint[start..<start + r].reduce(0, +)
      for x in 0..<r {
        probabilities[start + x] = total > 0 ? joint[start + x] / total : marginal[x]
      }
    }
    return probabilities
  }
}
