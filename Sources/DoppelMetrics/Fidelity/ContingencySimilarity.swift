/// One minus the total variation distance between the joint frequencies of a column pair
/// (SDMetrics' `ContingencySimilarity`), and the Cramér's V that decides whether the pair counts.
///
/// Both columns are given as codes 0..<k; a missing value is a category of its own, so every row
/// counts. p(a, b) is the share of rows with the pair (a, b) in each table, and the score is
/// 1 − ½ Σ |p_real(a, b) − p_synth(a, b)| over every pair seen in either table. A continuous
/// column is first cut into 10 equal-width bins with each table's own edges (see
/// ``QualityReport``).
public struct ContingencySimilarity: Metric {
  /// `"ContingencySimilarity"`.
  public let id = "ContingencySimilarity"
  /// Higher is better.
  public let goal = Goal.maximize
  /// [0, 1].
  public let range: ClosedRange<Double> = 0...1

  /// Creates the metric.
  public init() {}

  /// Joint counts of two coded columns, as (cell, count) with cell = a · `bCount` + b, ascending.
  struct Counts {
    /// Categories of the first column.
    var aCount: Int
    /// Categories of the second column.
    var bCount: Int
    /// Rows counted.
    var total: Int
    /// Non-zero cells, ascending by cell.
    var cells: [(cell: Int, count: Int)]

    /// Counts the pairs of two code arrays.
    /// - Parameters:
    ///   - a: Codes in 0..<aCount.
    ///   - aCount: Categories of `a`.
    ///   - b: Codes in 0..<bCount, as long as `a`.
    ///   - bCount: Categories of `b`.
    init(_ a: [Int32], _ aCount: Int, _ b: [Int32], _ bCount: Int) {
      self.aCount = aCount
      self.bCount = bCount
      self.total = a.count
      let size = aCount * bCount
      if size <= ContingencySimilarity.denseLimit {
        var dense = [Int](repeating: 0, count: size)
        for row in 0..<a.count { dense[Int(a[row]) * bCount + Int(b[row])] += 1 }
        cells = dense.enumerated().compactMap { $0.element > 0 ? ($0.offset, $0.element) : nil }
      } else {
        var sparse: [Int: Int] = [:]
        for row in 0..<a.count { sparse[Int(a[row]) * bCount + Int(b[row]), default: 0] += 1 }
        cells = sparse.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
      }
    }
  }

  /// Tables with at most this many cells are counted in a dense array.
  static let denseLimit = 1 << 22

  /// The score of two joint count tables over the same categories.
  /// - Parameters:
  ///   - real: Real counts.
  ///   - synthetic: Synthetic counts.
  /// - Returns: 1 − ½ Σ |p_real − p_synth|, in [0, 1].
  static func score(_ real: Counts, _ synthetic: Counts) -> Double {
    let nr = Double(real.total)
    let ns = Double(synthetic.total)
    var i = 0
    var j = 0
    var distance = 0.0
    while i < real.cells.count || j < synthetic.cells.count {
      let ci = i < real.cells.count ? real.cells[i].cell : Int.max
      let cj = j < synthetic.cells.count ? synthetic.cells[j].cell : Int.max
      var pr = 0.0
      var ps = 0.0
      if ci <= cj {
        pr = Double(real.cells[i].count) / nr
        i += 1
      }
      if cj <= ci {
        ps = Double(synthetic.cells[j].count) / ns
        j += 1
      }
      distance += abs(pr - ps)
    }
    return Swift.max(0, Swift.min(1, 1 - distance / 2))
  }

  /// Cramér's V of a joint count table over its observed categories (Cramér, *Mathematical
  /// Methods of Statistics*, 1946, §21.9).
  ///
  /// χ² = Σ (O − E)² / E with E = row total · column total / N, without Yates' correction, over
  /// the rows and columns that occur; V = √(χ² / N / min(r − 1, c − 1)).
  /// - Parameter counts: A joint count table.
  /// - Returns: V in [0, 1], or `nil` with fewer than two observed rows or columns.
  static func cramersV(_ counts: Counts) -> Double? {
    var rowTotals = [Int](repeating: 0, count: counts.aCount)
    var columnTotals = [Int](repeating: 0, count: counts.bCount)
    for (cell, count) in counts.cells {
      rowTotals[cell / counts.bCount] += count
      columnTotals[cell % counts.bCount] += count
    }
    let rows = rowTotals.indices.filter { rowTotals[$0] > 0 }
    let columns = columnTotals.indices.filter { columnTotals[$0] > 0 }
    guard rows.count >= 2, columns.count >= 2, counts.total > 0 else { return nil }
    let n = Double(counts.total)
    var chiSquare = 0.0
    if counts.aCount * counts.bCount <= denseLimit {
      var dense = [Int](repeating: 0, count: counts.aCount * counts.bCount)
      for (cell, count) in counts.cells { dense[cell] = count }
      for a in rows {
        for b in columns {
          let expected = Double(rowTotals[a]) * Double(columnTotals[b]) / n
          let observed = Double(dense[a * counts.bCount + b])
          chiSquare += (observed - expected) * (observed - expected) / expected
        }
      }
    } else {
      // Σ (O − E)²/E = Σ O²/E − N, which needs only the non-zero cells.
      for (cell, count) in counts.cells {
        let expected =
          Double(rowTotals[cell / counts.bCount]) * Double(columnTotals[cell % counts.bCount]) / n
        chiSquare += Double(count) * Double(count) / expected
      }
      chiSquare = Swift.max(0, chiSquare - n)
    }
    let dimension = Double(Swift.min(rows.count - 1, columns.count - 1))
    return Swift.min(1, (chiSquare / n / dimension).squareRoot())
  }
}
