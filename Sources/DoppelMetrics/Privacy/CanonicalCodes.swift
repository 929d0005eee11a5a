import DoppelCore

/// Canonical value codes of one column across several tables: two cells get equal codes exactly
/// when their values are equal (numbers by value, labels and text by their text), whichever table
/// they come from and however that table orders its categories.
///
/// Numbers are coded by their bit pattern (with −0 made +0), or, when `denseNumbers` is set, by
/// their position in the list of distinct values met; labels and text by their position in the
/// list of distinct texts met (tables in the order given, rows in order). A missing or non-finite
/// value gets ``missing``. Only equality of codes carries meaning.
struct CanonicalCodes {
  /// The code of a missing value; no present value gets it.
  static let missing = UInt64.max

  /// One code per row, for each table in the order given.
  let codes: [[UInt64]]

  /// Codes the column `name` of every table.
  /// - Parameters:
  ///   - name: A column every table has, stored alike in all of them.
  ///   - tables: The tables.
  ///   - denseNumbers: Whether numbers get small consecutive codes instead of their bits.
  /// - Complexity: O(total rows) expected.
  init(column name: String, tables: [Table], denseNumbers: Bool = false) {
    var texts: [String: UInt64] = [:]
    var numbers: [UInt64: UInt64] = [:]
    var result: [[UInt64]] = []
    result.reserveCapacity(tables.count)
    for table in tables {
      guard let column = table[name] else {
        result.append(Array(repeating: CanonicalCodes.missing, count: table.rowCount))
        continue
      }
      var out = [UInt64](repeating: CanonicalCodes.missing, count: column.count)
      switch column.values {
      case .numbers(let values):
        for row in 0..<values.count where !column.missing[row] && values[row].isFinite {
          let bits = (values[row] == 0 ? 0.0 : values[row]).bitPattern
          if denseNumbers {
            if let code = numbers[bits] {
              out[row] = code
            } else {
              let code = UInt64(numbers.count)
              numbers[bits] = code
              out[row] = code
            }
          } else {
            out[row] = bits
          }
        }
      case .categories(let rowCodes, let labels):
        let map = labels.map { label -> UInt64 in
          if let code = texts[label] { return code }
          let code = UInt64(texts.count)
          texts[label] = code
          return code
        }
        for row in 0..<rowCodes.count where !column.missing[row] {
          let code = Int(rowCodes[row])
          if code >= 0 && code < map.count { out[row] = map[code] }
        }
      case .strings(let values):
        for row in 0..<values.count where !column.missing[row] {
          if let code = texts[values[row]] {
            out[row] = code
          } else {
            let code = UInt64(texts.count)
            texts[values[row]] = code
            out[row] = code
          }
        }
      }
      result.append(out)
    }
    codes = result
  }
}
