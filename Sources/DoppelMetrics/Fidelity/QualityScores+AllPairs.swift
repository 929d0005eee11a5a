extension QualityScores {
  /// The overall score with every pair counted: the mean of Column Shapes and
  /// ``columnPairTrendsAllPairs`` (SDMetrics' behaviour before it added thresholds), or Column
  /// Shapes alone when no pair has a score.
  public var overallAllPairs: Double {
    guard let allPairs = columnPairTrendsAllPairs else { return columnShapes }
    return (columnShapes + allPairs) / 2
  }
}
