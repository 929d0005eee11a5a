/// The design matrix of the pMSE propensity model, stored row by row as sparse (index, value)
/// lists: index 0 is the intercept, then standardized numbers, missing indicators and dummy
/// (reference-coded) categories.
struct PropensityDesign {
  /// Parameters of the model, the intercept included.
  var parameterCount: Int
  /// Where each row's entries start in `indices`/`values`; one more than the rows.
  var rowStarts: [Int]
  /// Parameter index of each entry, ascending within a row.
  var indices: [Int32]
  /// Value of each entry.
  var values: [Double]
  /// 1 for a synthetic row, 0 for a real one.
  var labels: [Double]

  /// The rows in the model.
  var rowCount: Int { labels.count }

  /// One feature group with at most one entry per row: a parameter index (−1 for none) and a
  /// value per row.
  private struct Block {
    var index: [Int32]
    var value: [Double]
  }

  /// Builds the design from prepared tables and the rows kept of each.
  /// - Parameters:
  ///   - prepared: The prepared tables.
  ///   - realRows: Real row positions to use.
  ///   - syntheticRows: Synthetic row positions to use.
  ///   - maximumLevels: The most categories of a column that get their own parameter (the
  ///     reference included); rarer ones share one "other" dummy.
  init(
    _ prepared: PreparedTables, realRows: [Int], syntheticRows: [Int], maximumLevels: Int
  ) {
    let n = realRows.count + syntheticRows.count
    var blocks: [Block] = []
    var next: Int32 = 1
    for column in prepared.columns {
      switch column.values {
      case .continuous(let a, let b):
        let combined = realRows.map { a[$0] } + syntheticRows.map { b[$0] }
        blocks += PropensityDesign.continuousBlocks(combined, next: &next)
      case .discrete(let a, let b, let keys):
        let combined = realRows.map { a[$0] } + syntheticRows.map { b[$0] }
        if let block = PropensityDesign.discreteBlock(
          combined, levels: keys.count + 1, maximumLevels: maximumLevels, next: &next)
        {
          blocks.append(block)
        }
      case .ignored:
        continue
      }
    }
    parameterCount = Int(next)
    var rowStarts = [Int](repeating: 0, count: n + 1)
    var indices: [Int32] = []
    var values: [Double] = []
    indices.reserveCapacity(n * (blocks.count + 1))
    values.reserveCapacity(n * (blocks.count + 1))
    // Column-major copies of the blocks, so the row loop reads plain arrays.
    let blockIndex = blocks.flatMap(\.index)
    let blockValue = blocks.flatMap(\.value)
    for row in 0..<n {
      indices.append(0)
      values.append(1)
      for offset in stride(from: row, to: blockIndex.count, by: n) where blockIndex[offset] >= 0 {
        indices.append(blockIndex[offset])
        values.append(blockValue[offset])
      }
      rowStarts[row + 1] = indices.count
    }
    self.rowStarts = rowStarts
    self.indices = indices
    self.values = values
    labels =
      [Double](repeating: 0, count: realRows.count)
      + [Double](repeating: 1, count: syntheticRows.count)
  }

  /// The standardized value (population standard deviation over both tables; skipped when
  /// constant) and, when some values are missing, a missing indicator.
  private static func continuousBlocks(_ values: [Double], next: inout Int32) -> [Block] {
    var count = 0.0
    var sum = 0.0
    for value in values where !value.isNaN {
      count += 1
      sum += value
    }
    guard count > 0 else { return [] }
    let mean = sum / count
    var squares = 0.0
    for value in values where !value.isNaN { squares += (value - mean) * (value - mean) }
    let deviation = (squares / count).squareRoot()
    var blocks: [Block] = []
    if deviation > 0 {
      let parameter = next
      next += 1
      blocks.append(
        Block(
          index: values.map { $0.isNaN || $0 == mean ? -1 : parameter },
          value: values.map { $0.isNaN ? 0 : ($0 - mean) / deviation }))
    }
    if count < Double(values.count) {
      let parameter = next
      next += 1
      blocks.append(
        Block(
          index: values.map { $0.isNaN ? parameter : -1 },
          value: [Double](repeating: 1, count: values.count)))
    }
    return blocks
  }

  /// Dummies against the most frequent level (missing is a level); levels beyond
  /// `maximumLevels` share one dummy. `nil` when the column has one level.
  private static func discreteBlock(
    _ codes: [Int32], levels: Int, maximumLevels: Int, next: inout Int32
  ) -> Block? {
    let missingLevel = levels - 1
    var counts = [Int](repeating: 0, count: levels)
    for code in codes { counts[code < 0 ? missingLevel : Int(code)] += 1 }
    let order = counts.indices.filter { counts[$0] > 0 }.sorted {
      counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1
    }
    guard order.count >= 2 else { return nil }
    var parameter = [Int32](repeating: -1, count: levels)
    let kept = min(order.count, maximumLevels)
    for level in order[1..<kept] {
      parameter[level] = next
      next += 1
    }
    if order.count > kept {
      for level in order[kept...] { parameter[level] = next }
      next += 1
    }
    return Block(
      index: codes.map { parameter[$0 < 0 ? missingLevel : Int($0)] },
      value: [Double](repeating: 1, count: codes.count))
  }
}
