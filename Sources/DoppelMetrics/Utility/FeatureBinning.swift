/// The bins of every feature, learned from training data, so trees split and predict on small
/// integers (the histogram method of LightGBM, Ke et al. 2017, and of scikit-learn's
/// `HistGradientBoosting`).
///
/// A numeric feature gets up to `maxBins` quantile bins (one per distinct value when there are
/// fewer) plus bin 0 for missing. The cut between two bins is the midpoint between the largest
/// training value of the lower bin and the smallest of the upper one, as CART places its
/// thresholds; a value `v` falls in bin `b` when `cuts[b - 2] < v ≤ cuts[b - 1]`. A categorical
/// feature's bins are its slots (0 missing, then one per label, then unknown).
struct FeatureBinning: Sendable, Equatable {
  /// Per numeric feature, the ascending cuts between its bins; empty for categorical features.
  let cuts: [[Double]]
  /// Bins per feature, including the missing bin 0.
  let binCounts: [Int]
  /// Whether each feature is categorical.
  let isCategorical: [Bool]

  /// Learns the bins of a feature matrix.
  /// - Parameters:
  ///   - matrix: The training features.
  ///   - maxBins: The most bins for a numeric feature's present values, in 2...65,000.
  /// - Complexity: O(rows · log rows) per numeric feature, for sorting.
  init(matrix: FeatureMatrix, maxBins: Int) {
    precondition(maxBins >= 2 && maxBins <= 65_000, "maxBins must be in 2...65000")
    let rows = matrix.rowCount
    var cuts: [[Double]] = []
    var binCounts: [Int] = []
    var isCategorical: [Bool] = []
    for (feature, description) in matrix.schema.features.enumerated() {
      if let slots = description.slotCount {
        cuts.append([])
        binCounts.append(slots)
        isCategorical.append(true)
        continue
      }
      let base = feature * rows
      var present: [Double] = []
      present.reserveCapacity(rows)
      for row in 0..<rows where !matrix.values[base + row].isNaN {
        present.append(matrix.values[base + row])
      }
      let featureCuts = FeatureBinning.cuts(sorted: present.sorted(), maxBins: maxBins)
      cuts.append(featureCuts)
      binCounts.append(featureCuts.count + 2)
      isCategorical.append(false)
    }
    self.cuts = cuts
    self.binCounts = binCounts
    self.isCategorical = isCategorical
  }

  /// The largest bin count over features.
  var maximumBinCount: Int { binCounts.max() ?? 1 }

  /// The bins of every cell of a matrix, feature-major like its values.
  /// - Complexity: O(rows · features · log bins).
  func bins(of matrix: FeatureMatrix) -> [UInt16] {
    precondition(matrix.featureCount == binCounts.count, "the matrix has other features")
    let rows = matrix.rowCount
    var bins = [UInt16](repeating: 0, count: rows * binCounts.count)
    for feature in 0..<binCounts.count {
      let base = feature * rows
      if isCategorical[feature] {
        for row in 0..<rows { bins[base + row] = UInt16(matrix.values[base + row]) }
      } else {
        let featureCuts = cuts[feature]
        for row in 0..<rows {
          let value = matrix.values[base + row]
          bins[base + row] =
            value.isNaN ? 0 : UInt16(FeatureBinning.bin(of: value, cuts: featureCuts))
        }
      }
    }
    return bins
  }

  /// The bin (from 1) of a present value: one more than the number of cuts below it.
  static func bin(of value: Double, cuts: [Double]) -> Int {
    var low = 0
    var high = cuts.count
    while low < high {
      let middle = (low + high) / 2
      if value <= cuts[middle] { high = middle } else { low = middle + 1 }
    }
    return low + 1
  }

  /// The cuts between quantile bins of sorted present values.
  static func cuts(sorted: [Double], maxBins: Int) -> [Double] {
    guard let last = sorted.last else { return [] }
    var distinct: [Double] = []
    for value in sorted where value != distinct.last { distinct.append(value) }
    var uppers: [Double] = []
    if distinct.count <= maxBins {
      uppers = Array(distinct.dropLast())
    } else {
      for k in 1..<maxBins {
        let value = sorted[k * sorted.count / maxBins]
        if value < last && value != uppers.last { uppers.append(value) }
      }
    }
    var cuts: [Double] = []
    cuts.reserveCapacity(uppers.count)
    var next = 0
    for upper in uppers {
      while distinct[next] <= upper { next += 1 }
      let above = distinct[next]
      let middle = upper + (above - upper) / 2
      cuts.append(middle < above && middle >= upper ? middle : upper)
    }
    return cuts
  }
}
