import DoppelCore
import Foundation

/// PrivBayes' GreedyBayes: learns a Bayesian network's structure with the exponential mechanism.
///
/// Following Zhang et al. (ACM TODS 42(4), 2017, Algorithms 2 and 5 and Section 5):
/// 1. the first attribute is drawn uniformly at random (this uses no data);
/// 2. each of the other d − 1 steps scores every candidate pair (X, Π) — an attribute X not yet
///    placed and a *maximal* parent set Π of placed attributes that keeps the pair θ-useful, that
///    is |dom(X)|·|dom(Π)| ≤ n·ε₂/(2dθ), where ε₂ is the budget of the noisy distributions — and
///    picks one with the exponential mechanism at ε₁/(d − 1).
///
/// The score of a pair is its mutual information divided by the Lemma 4.1 bound on that mutual
/// information's sensitivity (``MutualInformationSensitivity``), so every score has sensitivity
/// at most 1 and one ``ExponentialMechanism`` with sensitivity 1 serves all candidates. A pair with
/// no parents scores 0. Parent sets are also capped at `maxParents` attributes to bound the work.
struct PrivateStructureSearch {
  let data: DiscreteTable
  /// The budget ε₁ of the whole search.
  let epsilon: Double
  /// n·ε₂/(2dθ): the largest joint domain of a θ-useful pair.
  let usefulDomain: Double
  let maxParents: Int
  let seed: UInt64

  /// The structure over `attributes`, as (attribute, parents) in topological order, and the
  /// number of times the exponential mechanism ran.
  /// - Complexity: O(d · c · n) for d attributes and at most c candidate parent sets per
  ///   attribute (c ≤ Σ_{j ≤ k} C(d−1, j) for k = `maxParents`); each candidate is counted once.
  func run(_ attributes: [Int]) throws -> (structure: [(attribute: Int, parents: [Int])], uses: Int)
  {
    let d = attributes.count
    guard d > 0 else { return ([], 0) }
    var rootStream = SeededGenerator(seed: seed, label: "privbayes root")
    let first = rootStream.nextInt(below: d)
    var structure: [(attribute: Int, parents: [Int])] = [(attributes[first], [])]
    guard d > 1 else { return (structure, 0) }
    let mechanism = try ExponentialMechanism(epsilon: epsilon / Double(d - 1), sensitivity: 1)
    var placed = [attributes[first]]
    var remaining = attributes.enumerated().filter { $0.offset != first }.map(\.element)
    var memo: [[Int]: Double] = [:]
    for step in 1..<d {
      var candidates: [(position: Int, parents: [Int])] = []
      var scores: [Double] = []
      let sortedPlaced = placed.sorted()
      for (position, child) in remaining.enumerated() {
        let r = data.columns[child].cardinality
        for parents in maximalParentSets(sortedPlaced, bound: usefulDomain / Double(r)) {
          candidates.append((position, parents))
          scores.append(score(child, parents, memo: &memo))
        }
      }
      var random = SeededGenerator(seed: seed, label: "privbayes structure", index: UInt64(step))
      let chosen = candidates[mechanism.select(scores: scores, using: &random)]
      let child = remaining.remove(at: chosen.position)
      structure.append((child, chosen.parents))
      placed.append(child)
    }
    return (structure, d - 1)
  }

  /// I(X; Π) divided by its sensitivity bound; 0 without parents.
  private func score(_ child: Int, _ parents: [Int], memo: inout [[Int]: Double]) -> Double {
    if parents.isEmpty { return 0 }
    let key = [child] + parents
    if let known = memo[key] { return known }
    let r = data.columns[child].cardinality
    let q = parents.reduce(1) { $0 * data.columns[$1].cardinality }
    let information = JointCounts.mutualInformation(data, child: child, parents: parents)
    let value =
      information
      / MutualInformationSensitivity.bound(
        rows: data.rowCount, childValues: r, parentConfigurations: q)
    memo[key] = value
    return value
  }

  /// The maximal subsets of `placed` (at most `maxParents` of them) whose joint domain is at most
  /// `bound`; `[[]]` when no single attribute fits (Zhang et al. 2017, Algorithm 5).
  func maximalParentSets(_ placed: [Int], bound: Double) -> [[Int]] {
    let sizes = placed.map { Double(data.columns[$0].cardinality) }
    var feasible: [[Int]] = []
    var current: [Int] = []
    func extend(from start: Int, product: Double) {
      let members = Set(current)
      let canGrow =
        current.count < maxParents
        && placed.indices.contains { !members.contains($0) && product * sizes[$0] <= bound }
      if !canGrow { feasible.append(current.map { placed[$0] }) }
      guard current.count < maxParents else { return }
      for index in start..<placed.count where product * sizes[index] <= bound {
        current.append(index)
        extend(from: index + 1, product: product * sizes[index])
        current.removeLast()
      }
    }
    extend(from: 0, product: 1)
    return feasible
  }
}
