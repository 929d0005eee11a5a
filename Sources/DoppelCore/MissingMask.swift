/// A bit per row that says whether the row's value is missing.
///
/// Missing values are explicit in Doppel: a column stores a placeholder (0, code 0 or an empty
/// string) in a missing row and sets its bit here, so no sentinel such as NaN can be mistaken for
/// data.
public struct MissingMask: Sendable, Equatable, Hashable {
  private var words: [UInt64]
  /// The number of rows covered.
  public private(set) var count: Int
  /// The number of rows whose value is missing.
  public private(set) var missingCount: Int

  /// Creates a mask of `count` rows, all present.
  /// - Parameter count: The number of rows.
  public init(count: Int = 0) {
    self.count = count
    self.missingCount = 0
    self.words = Array(repeating: 0, count: (count + 63) / 64)
  }

  /// Creates a mask from one flag per row.
  /// - Parameter flags: `true` where the value is missing.
  public init(_ flags: [Bool]) {
    self.init(count: flags.count)
    for (row, flag) in flags.enumerated() where flag { self[row] = true }
  }

  /// Whether the value in `row` is missing.
  public subscript(row: Int) -> Bool {
    get {
      precondition(row >= 0 && row < count, "Index out of bounds")
      return words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }
    set {
      precondition(row >= 0 && row < count, "Index out of bounds")
      let bit: UInt64 = 1 << UInt64(row & 63)
      let old = words[row >> 6] & bit != 0
      if old == newValue { return }
      if newValue {
        words[row >> 6] |= bit
        missingCount += 1
      } else {
        words[row >> 6] &= ~bit
        missingCount -= 1
      }
    }
  }

  /// Whether any row is missing.
  public var hasMissing: Bool { missingCount > 0 }

  /// Adds one row at the end.
  /// - Parameter missing: Whether the new row is missing.
  public mutating func append(_ missing: Bool) {
    if count & 63 == 0 { words.append(0) }
    count += 1
    if missing { self[count - 1] = true }
  }

  /// Appends all rows of another mask.
  /// - Parameter other: The mask whose rows follow this one's.
  public mutating func append(contentsOf other: MissingMask) {
    if count & 63 == 0 && !other.hasMissing {
      count += other.count
      words.append(contentsOf: repeatElement(0, count: (count + 63) / 64 - words.count))
      return
    }
    for row in 0..<other.count { append(other[row]) }
  }

  /// The mask of the rows at `indices`, in that order.
  /// - Parameter indices: Row positions to keep.
  /// - Returns: A mask with one row per index.
  public func selecting(_ indices: some Collection<Int>) -> MissingMask {
    var result = MissingMask(count: indices.count)
    if !hasMissing { return result }
    for (position, row) in indices.enumerated() where self[row] { result[position] = true }
    return result
  }
}
