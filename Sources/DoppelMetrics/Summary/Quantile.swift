/// Sample quantiles by linear interpolation between order statistics (Hyndman and Fan,
/// "Sample quantiles in statistical packages", The American Statistician 50(4), 1996, type 7;
/// the default of R and numpy).
enum Quantile {
  /// The type-7 quantile of an ascending sample: with h = (n − 1)·p,
  /// x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), positions from 0.
  /// - Parameters:
  ///   - sorted: A non-empty ascending sample.
  ///   - p: A probability in [0, 1].
  /// - Returns: The quantile.
  static func type7(_ sorted: [Double], _ p: Double) -> Double {
    precondition(!sorted.isEmpty, "quantile of an empty sample")
    let h = Double(sorted.count - 1) * p
    let low = Int(h.rounded(.down))
    let high = Swift.min(low + 1, sorted.count - 1)
    return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
  }
}
