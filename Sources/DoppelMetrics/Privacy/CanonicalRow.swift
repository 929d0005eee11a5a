/// One row of a table seen through canonical codes (``CanonicalCodes``): two rows are equal when
/// every column's code is equal, whichever tables they come from.
///
/// The row is not copied: the key keeps the table's code arrays (shared, not duplicated) and a row
/// index, so hashing millions of rows allocates nothing per row.
struct CanonicalRow: Hashable {
  /// One code array per column, all of the same table and in the same column order as any row
  /// this one is compared with.
  let columns: [[UInt64]]
  /// The row's position in those arrays.
  let row: Int

  static func == (a: CanonicalRow, b: CanonicalRow) -> Bool {
    precondition(a.columns.count == b.columns.count, "rows compared over different columns")
    for index in a.columns.indices where a.columns[index][a.row] != b.columns[index][b.row] {
      return false
    }
    return true
  }

  func hash(into hasher: inout Hasher) {
    for column in columns { hasher.combine(column[row]) }
  }
}
