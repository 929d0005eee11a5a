/// Equal-width bin edges and bin numbers exactly as numpy computes them.
///
/// ContingencySimilarity bins a continuous column before crossing it with a discrete one;
/// SDMetrics does this with `numpy.histogram_bin_edges(values, bins=10)` and `numpy.digitize`,
/// and these functions repeat that arithmetic so the scores agree to the last bit.
enum EqualWidthBins {
  /// numpy's `histogram_bin_edges(values, bins)` over the non-NaN values.
  ///
  /// The edges are `np.linspace(min, max, bins + 1)`: eᵢ = min + i·((max − min)/bins) for
  /// i < bins and e_bins = max. If min = max the range is widened to [min − 0.5, max + 0.5]; with
  /// no values it is [0, 1], as numpy does for an empty array.
  /// - Parameters:
  ///   - values: Numbers, NaN for missing.
  ///   - bins: The number of bins, at least 1.
  /// - Returns: `bins + 1` ascending edges.
  static func numpyEdges(_ values: [Double], bins: Int) -> [Double] {
    var low = Double.infinity
    var high = -Double.infinity
    for value in values where !value.isNaN {
      low = Swift.min(low, value)
      high = Swift.max(high, value)
    }
    if low > high {
      low = 0
      high = 1
    } else if low == high {
      low -= 0.5
      high += 0.5
    }
    return linspace(low, high, count: bins + 1)
  }

  /// numpy's `linspace(start, stop, count)` with its endpoint: start + i·step, the last = stop.
  /// - Parameters:
  ///   - start: The first value.
  ///   - stop: The last value.
  ///   - count: How many values, at least 2.
  /// - Returns: `count` values.
  static func linspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
    let step = (stop - start) / Double(count - 1)
    var edges = (0..<count).map { Double($0) * step + start }
    edges[count - 1] = stop
    return edges
  }

  /// numpy's `digitize(x, edges)` with `right=False`: the number of edges ≤ x.
  ///
  /// So [e₀, e₁) is bin 1, …, and x ≥ the last edge gives `edges.count`; NaN (a missing value)
  /// also gives `edges.count`, because no comparison with NaN is true.
  /// - Parameters:
  ///   - x: A number or NaN.
  ///   - edges: Ascending edges.
  /// - Returns: The bin number in 0…`edges.count`.
  static func digitize(_ x: Double, edges: [Double]) -> Int {
    if x.isNaN { return edges.count }
    var low = 0
    var high = edges.count
    while low < high {
      let middle = (low + high) / 2
      if edges[middle] <= x { low = middle + 1 } else { high = middle }
    }
    return low
  }
}
