import Doppel
import Foundation

/// Total-variation distances between real and synthetic column marginals.
enum MarginalDistance {
  /// The total-variation distance ½·Σ|p − q| between the marginals of two columns of the same
  /// kind: over labels (categorical, boolean) or over `bins` equal-width bins of the real
  /// [min, max] (numerical, datetime), with missing as one more cell. `nil` for text columns.
  static func totalVariation(real: Column, synthetic: Column, bins: Int = 20) -> Double? {
    func distribution(_ column: Column, cell: (Int) -> String) -> [String: Double] {
      var counts: [String: Double] = [:]
      for row in 0..<column.count {
        counts[column.missing[row] ? "\u{0}missing" : cell(row), default: 0] += 1
      }
      return counts.mapValues { $0 / Double(max(column.count, 1)) }
    }
    let p: [String: Double]
    let q: [String: Double]
    switch (real.values, synthetic.values) {
    case (.categories(let a, let la), .categories(let b, let lb)):
      p = distribution(real) { la[Int(a[$0])] }
      q = distribution(synthetic) { lb[Int(b[$0])] }
    case (.numbers(let a), .numbers(let b)):
      let present = (0..<a.count).filter { !real.missing[$0] }.map { a[$0] }
      let low = present.min() ?? 0
      let width = max((present.max() ?? 0) - low, 1e-12) / Double(bins)
      func bin(_ x: Double) -> String { String(min(max(Int((x - low) / width), 0), bins - 1)) }
      p = distribution(real) { bin(a[$0]) }
      q = distribution(synthetic) { bin(b[$0]) }
    default:
      return nil
    }
    let keys = Set(p.keys).union(q.keys).sorted()
    return keys.reduce(0) { $0 + abs((p[$1] ?? 0) - (q[$1] ?? 0)) } / 2
  }

  /// The distance of every non-text column, by name, in table order.
  static func perColumn(real: Table, synthetic: Table) -> [(column: String, distance: Double)] {
    zip(real.columns, synthetic.columns).compactMap { r, s in
      totalVariation(real: r, synthetic: s).map { (r.name, $0) }
    }
  }
}
