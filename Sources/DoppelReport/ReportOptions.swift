/// Limits that keep a report readable when a table has many columns, categories or pairs.
///
/// The defaults suit tables of up to a few dozen columns. Whatever is left out is counted in the
/// report ("showing 20 of 45 pairs"), never dropped silently.
public struct ReportOptions: Sendable, Equatable {
  /// The most columns given a distribution chart and a box plot.
  public var maxDistributionCharts: Int
  /// The most categories drawn in one bar chart.
  public var maxCategories: Int
  /// The most column pairs listed in the quality table.
  public var maxPairRows: Int
  /// The most features drawn in the importance chart.
  public var maxImportanceFeatures: Int
  /// The largest correlation matrix whose cells also show their values as text.
  public var maxHeatmapValueColumns: Int

  /// Creates options.
  /// - Parameters:
  ///   - maxDistributionCharts: The most columns charted; at least 1.
  ///   - maxCategories: The most categories per bar chart; at least 1.
  ///   - maxPairRows: The most pairs in the quality table; at least 1.
  ///   - maxImportanceFeatures: The most features in the importance chart; at least 1.
  ///   - maxHeatmapValueColumns: The largest matrix with values printed in its cells.
  public init(
    maxDistributionCharts: Int = 60, maxCategories: Int = 30, maxPairRows: Int = 20,
    maxImportanceFeatures: Int = 20, maxHeatmapValueColumns: Int = 10
  ) {
    self.maxDistributionCharts = Swift.max(1, maxDistributionCharts)
    self.maxCategories = Swift.max(1, maxCategories)
    self.maxPairRows = Swift.max(1, maxPairRows)
    self.maxImportanceFeatures = Swift.max(1, maxImportanceFeatures)
    self.maxHeatmapValueColumns = Swift.max(0, maxHeatmapValueColumns)
  }
}
