import DoppelCore

/// Rows of a table encoded for fast Gower distances: one `Float` per compared column, row-major.
///
/// The encoding makes every column's dissimilarity min(|a − b|, 1):
/// - a numeric column with a positive range holds (x − minimum) / range, limited to ±10²⁹;
/// - a categorical column, or a numeric column that is constant in the reference table, holds a
///   canonical code (see ``CanonicalCodes``): equal values give 0, different ones at least 1;
/// - a missing value holds ``missingValue``, at least 10²⁹ away from any present value, so two
///   missing values give 0 and a missing and a present value give 1.
/// The Gower distance of two rows is then the sum of those terms divided by ``width``. Single
/// precision keeps about seven significant digits of each scaled difference.
struct GowerMatrix: Sendable {
  /// The encoding of a missing value.
  static let missingValue: Float = 1e30
  /// The largest magnitude of an encoded present value.
  static let valueLimit: Float = 1e29

  /// The number of rows.
  let rows: Int
  /// The number of compared columns.
  let width: Int
  /// `rows × width` values, row after row.
  let values: [Float]

  /// Encodes chosen rows of `tables[table]`.
  /// - Parameters:
  ///   - gower: The compared columns and their rules.
  ///   - codes: For each compared column, the canonical codes of every table (dense numbers), or
  ///     `nil` for a numeric column with a positive range.
  ///   - tables: The tables the codes were made from.
  ///   - table: Which table to encode.
  ///   - rowIndices: The rows to encode, in the order wanted.
  init(
    gower: GowerDistance, codes: [CanonicalCodes?], tables: [Table], table: Int,
    rows rowIndices: [Int]
  ) {
    let width = gower.columns.count
    var values = [Float](repeating: 0, count: rowIndices.count * width)
    for (j, name) in gower.columns.enumerated() {
      if let dense = codes[j] {
        let columnCodes = dense.codes[table]
        for (i, row) in rowIndices.enumerated() {
          let code = columnCodes[row]
          values[i * width + j] =
            code == CanonicalCodes.missing ? GowerMatrix.missingValue : Float(code)
        }
        continue
      }
      guard case .numeric(let minimum, let range) = gower.rules[j], range > 0,
        let column = tables[table][name], let numbers = column.numbers
      else {
        for i in 0..<rowIndices.count { values[i * width + j] = GowerMatrix.missingValue }
        continue
      }
      for (i, row) in rowIndices.enumerated() {
        let x = numbers[row]
        if column.missing[row] || !x.isFinite {
          values[i * width + j] = GowerMatrix.missingValue
        } else {
          let scaled = Float((x - minimum) / range)
          values[i * width + j] = Swift.min(
            Swift.max(scaled, -GowerMatrix.valueLimit), GowerMatrix.valueLimit)
        }
      }
    }
    self.rows = rowIndices.count
    self.width = width
    self.values = values
  }

  /// The canonical codes the encoding needs: dense codes for categorical columns and for numeric
  /// columns constant in the reference table, `nil` for the others.
  /// - Parameters:
  ///   - gower: The compared columns and their rules.
  ///   - tables: Every table that will be encoded; codes agree across them.
  ///   - reusing: Codes already made for the compared columns (numbers by bits), if any.
  /// - Returns: One entry per compared column.
  static func codes(gower: GowerDistance, tables: [Table], reusing: [CanonicalCodes]? = nil)
    -> [CanonicalCodes?]
  {
    gower.rules.enumerated().map { j, rule in
      switch rule {
      case .numeric(_, let range) where range > 0: return nil
      case .numeric:
        return CanonicalCodes(column: gower.columns[j], tables: tables, denseNumbers: true)
      case .categorical:
        return reusing?[j] ?? CanonicalCodes(column: gower.columns[j], tables: tables)
      }
    }
  }
}
