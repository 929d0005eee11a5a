import Foundation

/// Contingency counts and information measures over the codes of a ``DiscreteTable``.
///
/// A joint cell of attributes `[a₀, a₁, …]` has index `c₀ + r₀·(c₁ + r₁·(…))`: the first
/// attribute varies fastest. A node's conditional table uses the same layout with the child first,
/// so row `config` of the table starts at `config · r_child`.
enum JointCounts {
  /// The number of cells of the joint of attributes with these cardinalities, or `nil` when it
  /// exceeds `limit`.
  static func cells(_ cardinalities: [Int], limit: Int = Int.max) -> Int? {
    var product = 1
    for r in cardinalities {
      let (next, overflow) = product.multipliedReportingOverflow(by: r)
      if overflow || next > limit { return nil }
      product = next
    }
    return product
  }

  /// The counts of every joint cell of `attributes`.
  /// - Complexity: O(n·k + cells) for k attributes.
  static func counts(_ data: DiscreteTable, attributes: [Int]) -> [Double] {
    let cardinalities = attributes.map { data.columns[$0].cardinality }
    guard let size = cells(cardinalities, limit: 1 << 31) else {
      preconditionFailure("a joint table of more than 2³¹ cells was requested")
    }
    var counts = [Double](repeating: 0, count: size)
    let n = data.rowCount
    if attributes.isEmpty {
      if size == 1 { counts[0] = Double(n) }
      return counts
    }
    var index = [Int](repeating: 0, count: n)
    index.withUnsafeMutableBufferPointer { index in
      for (position, attribute) in attributes.enumerated().reversed() {
        let r = cardinalities[position]
        data.codes[attribute].withUnsafeBufferPointer { codes in
          for row in 0..<n { index[row] = index[row] &* r &+ Int(codes[row]) }
        }
      }
      counts.withUnsafeMutableBufferPointer { counts in
        for row in 0..<n { counts[index[row]] += 1 }
      }
    }
    return counts
  }

  /// The mutual information I(X; Π), in nats, of a joint table laid out with X first
  /// (`r` values of X, then the parent configurations).
  static func mutualInformation(_ counts: [Double], childCardinality r: Int) -> Double {
    let total = counts.reduce(0, +)
    guard total > 0, r > 0 else { return 0 }
    let configurations = counts.count / r
    var child = [Double](repeating: 0, count: r)
    var parent = [Double](repeating: 0, count: configurations)
    for q in 0..<configurations {
      for x in 0..<r {
        let c = counts[q * r + x]
        child[x] += c
        parent[q] += c
      }
    }
    func plogp(_ values: [Double]) -> Double {
      values.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
    }
    // I = H(X) + H(Π) − H(X, Π), each H = ln N − Σ c ln c / N.
    let information = (plogp(counts) - plogp(child) - plogp(parent)) / total + log(total)
    return max(0, information)
  }

  /// I(child; parents) in nats.
  static func mutualInformation(_ data: DiscreteTable, child: Int, parents: [Int]) -> Double {
    if parents.isEmpty { return 0 }
    return mutualInformation(
      counts(data, attributes: [child] + parents), childCardinality: data.columns[child].cardinality
    )
  }
}
