import DoppelCore

/// One minus the difference between the shares of missing values (SDMetrics'
/// `MissingValueSimilarity`, https://docs.sdv.dev/sdmetrics/metrics/metrics-glossary).
///
/// Score = 1 − |missing_real / n_real − missing_synth / n_synth|: 1 when both tables miss the
/// same share of values. It applies to every column kind.
public struct MissingValueSimilarity: ColumnMetric {
  /// `"MissingValueSimilarity"`.
  public let id = "MissingValueSimilarity"
  /// Higher is better.
  public let goal = Goal.maximize
  /// [0, 1].
  public let range: ClosedRange<Double> = 0...1

  /// Creates the metric.
  public init() {}

  /// Scores two columns of any kind by their missing masks.
  /// - Parameters:
  ///   - real: The real column.
  ///   - synthetic: The synthetic column.
  /// - Returns: The score, or `nil` when either column has no rows.
  public func score(real: Column, synthetic: Column) -> Double? {
    MissingValueSimilarity.score(
      realMissing: real.missing.missingCount, realRows: real.count,
      syntheticMissing: synthetic.missing.missingCount, syntheticRows: synthetic.count)
  }

  /// The score from counts.
  /// - Parameters:
  ///   - realMissing: Missing values in the real column.
  ///   - realRows: Rows of the real column.
  ///   - syntheticMissing: Missing values in the synthetic column.
  ///   - syntheticRows: Rows of the synthetic column.
  /// - Returns: The score, or `nil` when either column has no rows.
  public static func score(
    realMissing: Int, realRows: Int, syntheticMissing: Int, syntheticRows: Int
  )
    -> Double?
  {
    guard realRows > 0, syntheticRows > 0 else { return nil }
    return 1
      - abs(
        Double(realMissing) / Double(realRows) - Double(syntheticMissing) / Double(syntheticRows))
  }
}
