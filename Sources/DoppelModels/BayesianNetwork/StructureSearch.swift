import Foundation

/// Learns which attributes are parents of which from discretized data, without privacy.
///
/// Two searches are offered:
/// - the Chow–Liu tree (Chow and Liu, "Approximating discrete probability distributions with
///   dependence trees", IEEE Trans. Information Theory 14(3), 1968): the maximum spanning tree of
///   the pairwise mutual information, which is the maximum-likelihood tree; it is rooted at
///   ``root(of:information:)`` and grown with Prim's algorithm;
/// - a greedy search with up to `k` parents per attribute in the style of PrivBayes' GreedyBayes
///   (Zhang et al., ACM TODS 42(4), 2017, Algorithm 2) scored by the Bayesian information
///   criterion (Schwarz, "Estimating the dimension of a model", Annals of Statistics 6(2), 1978):
///   starting from the root, it repeatedly adds the attribute and parent set, drawn from the
///   attributes already placed, with the largest gain n·I(X; Π) − ½·ln n·(r_X − 1)(q_Π − 1) over
///   having no parents. The penalty stops parents whose tables would be too sparse to estimate,
///   which mutual information alone (never decreasing as parents are added) cannot.
struct StructureSearch {
  let data: DiscreteTable

  /// The largest conditional table the greedy search considers.
  static let cellLimit = 1 << 20

  /// The mutual information of every pair of `attributes`, in nats; −∞ for a pair whose joint
  /// table would exceed ``cellLimit`` cells (such a pair is never an edge).
  /// - Complexity: O(d² · n).
  func pairwiseInformation(_ attributes: [Int]) -> [[Double]] {
    let d = attributes.count
    var information = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
    for i in 0..<d {
      for j in (i + 1)..<max(i + 1, d) {
        let sizes = [attributes[i], attributes[j]].map { data.columns[$0].cardinality }
        let value =
          JointCounts.cells(sizes, limit: StructureSearch.cellLimit) == nil
          ? -Double.infinity
          : JointCounts.mutualInformation(data, child: attributes[i], parents: [attributes[j]])
        information[i][j] = value
        information[j][i] = value
      }
    }
    return information
  }

  /// The position of the attribute most informative about all others (the largest row sum of
  /// `information`); ties go to the first.
  func root(of attributes: [Int], information: [[Double]]) -> Int {
    var best = 0
    var bestTotal = -Double.infinity
    for i in 0..<attributes.count {
      let total = information[i].reduce(0) { $0 + max(0, $1) }
      if total > bestTotal {
        bestTotal = total
        best = i
      }
    }
    return best
  }

  /// The Chow–Liu tree over `attributes`, as (attribute, parents) in topological order. Pairs
  /// too large to tabulate are not edges; an attribute that can only be reached through them
  /// starts a tree of its own (no parent).
  /// - Complexity: O(d² · n) for the pairwise information, O(d²) for the tree.
  func chowLiu(_ attributes: [Int]) -> [(attribute: Int, parents: [Int])] {
    let d = attributes.count
    guard d > 0 else { return [] }
    let information = pairwiseInformation(attributes)
    let start = root(of: attributes, information: information)
    var result: [(attribute: Int, parents: [Int])] = [(attributes[start], [])]
    var inTree = [Bool](repeating: false, count: d)
    inTree[start] = true
    var weight = information[start]
    var link = [Int](repeating: start, count: d)
    for _ in 1..<d {
      var next = -1
      for j in 0..<d where !inTree[j] && (next < 0 || weight[j] > weight[next]) { next = j }
      inTree[next] = true
      let parents = weight[next] > -Double.infinity ? [attributes[link[next]]] : []
      result.append((attributes[next], parents))
      for j in 0..<d where !inTree[j] && information[next][j] > weight[j] {
        weight[j] = information[next][j]
        link[j] = next
      }
    }
    return result
  }

  /// The greedy BIC search over `attributes` with at most `maxParents` parents each, as
  /// (attribute, parents) in topological order.
  /// - Complexity: O(d^(k+1) · n) for d attributes and k = `maxParents`: each (attribute, parent
  ///   set) candidate is counted once and remembered.
  func greedy(_ attributes: [Int], maxParents: Int) -> [(attribute: Int, parents: [Int])] {
    let d = attributes.count
    guard d > 0 else { return [] }
    let information = pairwiseInformation(attributes)
    let start = root(of: attributes, information: information)
    var result: [(attribute: Int, parents: [Int])] = [(attributes[start], [])]
    var placed = [attributes[start]]
    var remaining = attributes.enumerated().filter { $0.offset != start }.map(\.element)
    let n = Double(data.rowCount)
    var memo: [[Int]: Double] = [:]
    func gain(_ child: Int, _ parents: [Int]) -> Double {
      let key = [child] + parents
      if let known = memo[key] { return known }
      let r = data.columns[child].cardinality
      let value: Double
      if let cells = JointCounts.cells(
        [r] + parents.map { data.columns[$0].cardinality }, limit: StructureSearch.cellLimit)
      {
        let q = Double(cells / r)
        let counts = JointCounts.counts(data, attributes: key)
        let mi = JointCounts.mutualInformation(counts, childCardinality: r)
        value = n * mi - 0.5 * log(n) * Double(r - 1) * (q - 1)
      } else {
        value = -Double.infinity
      }
      memo[key] = value
      return value
    }
    while !remaining.isEmpty {
      var best = (position: 0, parents: [Int](), gain: 0.0)
      let candidates = Combinations.subsets(of: placed.sorted(), maxSize: maxParents)
      for (position, child) in remaining.enumerated() {
        for parents in candidates where !parents.isEmpty {
          let value = gain(child, parents)
          if value > best.gain { best = (position, parents, value) }
        }
      }
      let child = remaining.remove(at: best.position)
      result.append((child, best.parents))
      placed.append(child)
    }
    return result
  }
}
