extension ChartData.BoxStats {
  /// Box-plot statistics of a sample: quartiles by Hyndman–Fan type 7 and Tukey's whiskers, the
  /// most extreme values within 1.5 interquartile ranges of the quartiles (Tukey, *Exploratory
  /// Data Analysis*, 1977). Fails (`nil`) when no value is present.
  /// - Parameter values: Numbers; NaN values are dropped.
  public init?(values: [Double]) {
    let sorted = values.filter { !$0.isNaN }.sorted()
    guard let first = sorted.first, let last = sorted.last else { return nil }
    let q1 = Quantile.type7(sorted, 0.25)
    let q3 = Quantile.type7(sorted, 0.75)
    let reach = 1.5 * (q3 - q1)
    let lower = sorted.first { $0 >= q1 - reach } ?? first
    let upper = sorted.last { $0 <= q3 + reach } ?? last
    self.init(
      lowerWhisker: lower, q1: q1, median: Quantile.type7(sorted, 0.5), q3: q3,
      upperWhisker: upper)
  }
}
