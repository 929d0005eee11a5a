import DoppelCore
import DoppelTransforms
import Foundation

/// A table turned into small integer codes, one attribute per column, and how it was turned.
///
/// Built by ``discretize(_:binning:text:)``, shared by the Bayesian network and PrivBayes.
struct DiscreteTable: Sendable {
  /// How numerical and datetime columns are cut into bins.
  enum Binning: Sendable {
    /// Equal-frequency bins from the data; every value with at least 1/`bins` of the rows gets a
    /// bin of its own, and a column with at most `bins` distinct values keeps each value exact.
    /// The bin ends are training values, so this is not for private synthesis.
    case quantile(bins: Int)
    /// Equal-width bins over the observed [min, max], which is treated as public: the minimum
    /// and the maximum each get an exact bin, and the values between them are cut into equal
    /// widths (on a rounding grid — integers, fixed decimals, datetime resolution — the grid
    /// points are split evenly; a column with at most `bins` grid points keeps each point exact).
    /// Nothing else of the data shapes the bins.
    case equalWidth(bins: Int)
  }

  /// What text and personal-data columns keep from their values.
  enum TextPolicy: Sendable {
    /// Weighted character shapes (no value is kept), as the Gaussian copula does.
    case learnShapes
    /// Nothing: personal data gets the default shapes of ``FakeValues`` and free text a fixed
    /// placeholder shape, so no data value influences generated text.
    case publicDefaults
  }

  /// The shape of generated free text when nothing may be learned from the values.
  static let placeholderTextShape = TextShape(pattern: "aaaaaaaa")

  /// The columns, with ``DiscreteColumn/cells`` but no cell weights yet.
  let columns: [DiscreteColumn]
  /// One code array per column, values in `0..<columns[c].cardinality`.
  let codes: [[Int32]]
  let rowCount: Int
  /// For columns with cells: the exact number of training values in each cell.
  let cellCounts: [[Double]?]

  /// The most cells of one column: every grid point when the bins hold at most this many, else
  /// about this many equal sub-intervals spread over the bins.
  static let cellLimit = 256

  var cardinalities: [Int] { columns.map(\.cardinality) }

  /// The number of bins used for `rows` rows: at most `bins`, and at most ⌊√rows⌋ for small
  /// tables (a common histogram rule), never below 1.
  static func effectiveBins(_ bins: Int, rows: Int) -> Int {
    max(1, min(bins, Int(Double(rows).squareRoot())))
  }

  /// Turns every column of `table` into codes.
  /// - Throws: ``DoppelError`` `invalidValue` for a number that is not finite.
  /// - Complexity: O(n log n) per numerical column, O(n) for the others.
  static func discretize(_ table: Table, binning: Binning, text: TextPolicy) throws
    -> DiscreteTable
  {
    var columns: [DiscreteColumn] = []
    var codes: [[Int32]] = []
    var cellCounts: [[Double]?] = []
    let n = table.rowCount
    for column in table.columns {
      let hasMissing = column.missing.hasMissing
      var codesOfColumn = [Int32](repeating: 0, count: n)
      switch column.values {
      case .numbers(let values):
        var present: [Double] = []
        present.reserveCapacity(n - column.missing.missingCount)
        for row in 0..<n where !column.missing[row] {
          guard values[row].isFinite else {
            throw DoppelError(
              .invalidValue, "a number is infinite or not a number; remove or fix it",
              context: .init(column: column.name))
          }
          present.append(values[row])
        }
        present.sort()
        let bins: [DiscreteColumn.Bin]
        switch binning {
        case .quantile(let count):
          bins = quantileBins(present, bins: effectiveBins(count, rows: n))
        case .equalWidth(let count):
          bins = equalWidthBins(
            present, bins: effectiveBins(count, rows: n), rounding: Rounding(kind: column.kind))
        }
        let rounding = Rounding(kind: column.kind)
        let cells = makeCells(bins, rounding: rounding, limit: cellLimit)
        let model = DiscreteColumn(
          name: column.name, bins: bins, hasMissing: hasMissing, cells: cells.isEmpty ? nil : cells)
        let missingCode = Int32(model.missingCode ?? 0)
        let ranges = model.cellRanges()
        var counts = [Double](repeating: 0, count: cells.count)
        for row in 0..<n {
          if column.missing[row] {
            codesOfColumn[row] = missingCode
            continue
          }
          let code = model.code(ofNumber: values[row])
          codesOfColumn[row] = code
          let range = ranges.isEmpty ? 0..<0 : ranges[Int(code)]
          guard !range.isEmpty else { continue }
          var low = range.lowerBound
          var high = range.upperBound - 1
          while low < high {
            let middle = (low + high + 1) / 2
            if cells[middle].lower <= values[row] { low = middle } else { high = middle - 1 }
          }
          counts[low] += 1
        }
        cellCounts.append(cells.isEmpty ? nil : counts)
        columns.append(model)
      case .categories(let labelCodes, let labels):
        var seen = [Bool](repeating: false, count: labels.count)
        for row in 0..<n where !column.missing[row] {
          let code = Int(labelCodes[row])
          if code >= 0 && code < labels.count { seen[code] = true }
        }
        // Labels in sorted order, not the table's order, which follows the rows (the first row's
        // label usually comes first) and so is not public.
        let keptIndices = labels.indices.filter { seen[$0] }.sorted {
          labels[$0] < labels[$1] || (labels[$0] == labels[$1] && $0 < $1)
        }
        var position = [Int32](repeating: 0, count: labels.count)
        for (rank, index) in keptIndices.enumerated() { position[index] = Int32(rank) }
        let kept = keptIndices.map { labels[$0] }
        let model = DiscreteColumn(name: column.name, labels: kept, hasMissing: hasMissing)
        cellCounts.append(nil)
        let missingCode = Int32(model.missingCode ?? 0)
        for row in 0..<n {
          let code = Int(labelCodes[row])
          codesOfColumn[row] =
            column.missing[row] || code < 0 || code >= labels.count
            ? missingCode : position[code]
        }
        columns.append(model)
      case .strings(let values):
        var shapes: [TextShape.Weighted]?
        switch (column.kind, text) {
        case (.id, _):
          shapes = nil
        case (_, .learnShapes):
          var texts: [String] = []
          for row in 0..<n where !column.missing[row] { texts.append(values[row]) }
          shapes = TextShape.learnShapes(from: texts, limit: CopulaFitter.maximumShapes)
        case (.pii, .publicDefaults):
          shapes = []
        case (_, .publicDefaults):
          shapes = [TextShape.Weighted(shape: placeholderTextShape, weight: 1)]
        }
        let model = DiscreteColumn(name: column.name, hasMissing: hasMissing, shapes: shapes)
        cellCounts.append(nil)
        for row in 0..<n where column.missing[row] { codesOfColumn[row] = 1 }
        columns.append(model)
      }
      codes.append(codesOfColumn)
    }
    return DiscreteTable(columns: columns, codes: codes, rowCount: n, cellCounts: cellCounts)
  }

  /// The columns with cell weights from `counts` (one array per column with cells, such as
  /// ``cellCounts`` or a noisy version of it): each bin's cells are normalised to sum to 1, and a
  /// bin whose cells count nothing gets equal weights.
  func columns(withCellCounts counts: [[Double]?]) -> [DiscreteColumn] {
    zip(columns, counts).map { column, counts in
      guard let counts else { return column }
      var weights = counts.map { max(0, $0) }
      for range in column.cellRanges() where !range.isEmpty {
        let total = weights[range].reduce(0, +)
        for index in range {
          weights[index] = total > 0 ? weights[index] / total : 1 / Double(range.count)
        }
      }
      var result = column
      result.cellWeights = weights
      return result
    }
  }

  /// Cells nested in the bins that hold more than one value: every grid point when there are at
  /// most `limit` of them, else about `limit` equal sub-intervals shared among the bins.
  static func makeCells(_ bins: [DiscreteColumn.Bin], rounding: Rounding, limit: Int)
    -> [DiscreteColumn.Bin]
  {
    let wide = bins.filter { $0.lower < $0.upper }
    guard !wide.isEmpty else { return [] }
    let perBin = max(1, limit / wide.count)
    let grid: (index: (Double) -> Double, value: (Double) -> Double)?
    switch rounding.rule {
    case .none: grid = nil
    case .step(let step): grid = ({ $0 / step }, { $0 * step })
    case .decimals(let scale): grid = ({ $0 * scale }, { $0 / scale })
    }
    if let grid {
      let ends = wide.map { bin in
        ((grid.index(bin.lower) - 1e-6).rounded(.up), (grid.index(bin.upper) + 1e-6).rounded(.down))
      }
      if ends.allSatisfy({ $0.0.isFinite && $0.1.isFinite && abs($0.0) < 1e15 && abs($0.1) < 1e15 })
      {
        let total = ends.reduce(0.0) { $0 + max(0, $1.1 - $1.0 + 1) }
        var cells: [DiscreteColumn.Bin] = []
        for (bin, (first, last)) in zip(wide, ends) where last >= first {
          let points = Int(last - first) + 1
          let used = total <= Double(limit) ? points : min(perBin, points)
          for j in 0..<used {
            let start = grid.value(first + Double(j * points / used))
            let end = grid.value(first + Double((j + 1) * points / used - 1))
            cells.append(
              DiscreteColumn.Bin(lower: max(start, bin.lower), upper: min(end, bin.upper)))
          }
        }
        return cells
      }
    }
    var cells: [DiscreteColumn.Bin] = []
    for bin in wide {
      let width = (bin.upper - bin.lower) / Double(perBin)
      for j in 0..<perBin {
        cells.append(
          DiscreteColumn.Bin(
            lower: j == 0 ? bin.lower : bin.lower + Double(j) * width,
            upper: j == perBin - 1 ? bin.upper : bin.lower + Double(j + 1) * width))
      }
    }
    return cells
  }

  /// Equal-frequency bins over sorted values, with exact bins for heavy values.
  static func quantileBins(_ sorted: [Double], bins: Int) -> [DiscreteColumn.Bin] {
    var distinct: [(value: Double, count: Int)] = []
    for value in sorted {
      if let last = distinct.last, last.value == value {
        distinct[distinct.count - 1].count += 1
      } else {
        distinct.append((value, 1))
      }
    }
    if distinct.count <= bins {
      return distinct.map { DiscreteColumn.Bin(lower: $0.value, upper: $0.value) }
    }
    let target = Double(sorted.count) / Double(bins)
    var result: [DiscreteColumn.Bin] = []
    // Whether each bin of `result` is a group of values (not one heavy value).
    var isGroup: [Bool] = []
    var group: (lower: Double, upper: Double, count: Int)?
    func close(merging: Bool) {
      guard let current = group else { return }
      if merging, let last = result.last, isGroup.last == true,
        Double(current.count) < target / 2
      {
        result[result.count - 1] = DiscreteColumn.Bin(lower: last.lower, upper: current.upper)
      } else {
        result.append(DiscreteColumn.Bin(lower: current.lower, upper: current.upper))
        isGroup.append(true)
      }
      group = nil
    }
    for entry in distinct {
      if Double(entry.count) >= target {
        close(merging: false)
        result.append(DiscreteColumn.Bin(lower: entry.value, upper: entry.value))
        isGroup.append(false)
        continue
      }
      if let current = group {
        group = (current.lower, entry.value, current.count + entry.count)
      } else {
        group = (entry.value, entry.value, entry.count)
      }
      if let current = group, Double(current.count) >= target { close(merging: false) }
    }
    close(merging: true)
    return result
  }

  /// Equal-width bins over [min, max] of sorted values, split on the rounding grid when there is
  /// one. With at least three bins and more grid points than bins, the minimum and the maximum
  /// each get an exact bin of their own — they are public, and real columns often pile up there
  /// (zero amounts, top codes) — and equal-width bins cover the values strictly between them.
  static func equalWidthBins(_ sorted: [Double], bins: Int, rounding: Rounding)
    -> [DiscreteColumn.Bin]
  {
    guard let low = sorted.first, let high = sorted.last else { return [] }
    if low == high { return [DiscreteColumn.Bin(lower: low, upper: high)] }
    let grid: (index: (Double) -> Double, value: (Double) -> Double)?
    switch rounding.rule {
    case .none: grid = nil
    case .step(let step): grid = ({ ($0 / step).rounded() }, { $0 * step })
    case .decimals(let scale): grid = ({ ($0 * scale).rounded() }, { $0 / scale })
    }
    if let grid {
      let first = grid.index(low)
      let last = grid.index(high)
      if first.isFinite, last.isFinite, abs(first) < 1e15, abs(last) < 1e15, last > first {
        let count = Int(last - first) + 1
        if count <= bins {
          return (0..<count).map { k in
            let value = k == 0 ? low : k == count - 1 ? high : grid.value(first + Double(k))
            return DiscreteColumn.Bin(lower: value, upper: value)
          }
        }
        guard bins >= 3 else {
          return split(
            points: count, into: bins, from: first, grid: grid.value, low: low, high: high)
        }
        // Grid points strictly between the ends: first + 1 ... last − 1.
        let inner = split(
          points: count - 2, into: bins - 2, from: first + 1, grid: grid.value,
          low: grid.value(first + 1), high: grid.value(last - 1))
        return [DiscreteColumn.Bin(lower: low, upper: low)] + inner
          + [DiscreteColumn.Bin(lower: high, upper: high)]
      }
    }
    guard bins >= 3 else {
      return [
        DiscreteColumn.Bin(lower: low, upper: (low + high) / 2),
        DiscreteColumn.Bin(lower: ((low + high) / 2).nextUp, upper: high),
      ]
    }
    let interior = bins - 2
    let width = (high - low) / Double(interior)
    let inner = (0..<interior).map { j in
      DiscreteColumn.Bin(
        lower: j == 0 ? low.nextUp : low + Double(j) * width,
        upper: j == interior - 1 ? high.nextDown : low + Double(j + 1) * width)
    }
    return [DiscreteColumn.Bin(lower: low, upper: low)] + inner
      + [DiscreteColumn.Bin(lower: high, upper: high)]
  }

  /// `points` consecutive grid points from grid index `from`, split into `parts` groups as equal
  /// as possible (never more groups than points).
  private static func split(
    points: Int, into parts: Int, from: Double, grid value: (Double) -> Double, low: Double,
    high: Double
  ) -> [DiscreteColumn.Bin] {
    guard points > 0 else { return [] }
    let used = min(parts, points)
    return (0..<used).map { j in
      let start = from + Double(j * points / used)
      let end = from + Double((j + 1) * points / used - 1)
      return DiscreteColumn.Bin(
        lower: j == 0 ? low : value(start), upper: j == used - 1 ? high : value(end))
    }
  }
}
