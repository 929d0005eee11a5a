import DoppelCore

/// Whether a metric is better high or low.
public enum Goal: String, Sendable, Codable {
  /// Higher is better.
  case maximize
  /// Lower is better.
  case minimize
}

/// A measure of how a synthetic table compares with a real one.
///
/// Metrics judge any two tables, whoever made them: this module never imports the synthesizers.
public protocol Metric: Sendable {
  /// A stable identifier, such as `"KSComplement"`.
  var id: String { get }
  /// Whether higher or lower is better.
  var goal: Goal { get }
  /// The values the metric can take.
  var range: ClosedRange<Double> { get }
}

/// A metric computed on one column of each table.
public protocol ColumnMetric: Metric {
  /// Scores one column pair.
  /// - Parameters:
  ///   - real: The real column.
  ///   - synthetic: The synthetic column of the same name and kind.
  /// - Returns: The score, or `nil` when it is undefined (for example, no non-missing values).
  func score(real: Column, synthetic: Column) -> Double?
}
