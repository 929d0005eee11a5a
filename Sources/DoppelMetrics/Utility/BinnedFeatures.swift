/// Training features as bins (see ``FeatureBinning``), the form in which trees are grown.
struct BinnedFeatures: Sendable {
  /// How values were binned.
  let binning: FeatureBinning
  /// Rows.
  let rowCount: Int
  /// Features.
  let featureCount: Int
  /// Feature-major bins: feature `f`, row `r` at `f * rowCount + r`.
  let bins: [UInt16]

  /// Learns the bins of a training matrix and bins it.
  /// - Parameters:
  ///   - matrix: The training features.
  ///   - maxBins: The most bins for a numeric feature's present values, in 2...65,000.
  init(matrix: FeatureMatrix, maxBins: Int) {
    binning = FeatureBinning(matrix: matrix, maxBins: maxBins)
    rowCount = matrix.rowCount
    featureCount = matrix.featureCount
    bins = binning.bins(of: matrix)
  }

  /// Bins per feature, including the missing bin 0.
  var binCounts: [Int] { binning.binCounts }
  /// Whether each feature is categorical.
  var isCategorical: [Bool] { binning.isCategorical }
}
