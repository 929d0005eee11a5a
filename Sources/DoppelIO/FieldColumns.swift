import Dispatch

/// Parsed fields, one buffer of strings per column, all holding the same number of rows.
///
/// The parser writes fields straight into these buffers, and rows are moved between them and
/// into the arrays of a `TextTable` without retaining or releasing the strings. Rows `0..<count` of every column are initialized; the rest of the
/// capacity is not. Each instance is used by one thread at a time, which is why it is
/// `@unchecked Sendable`.
final class FieldColumns: @unchecked Sendable {
  /// The number of columns.
  let columnCount: Int
  /// The number of rows that fit before the buffers grow.
  private(set) var capacity: Int
  /// The number of initialized rows.
  private(set) var count = 0
  /// The first row of each column.
  private(set) var bases: UnsafeMutablePointer<UnsafeMutablePointer<String>>

  /// Creates empty columns.
  /// - Parameters:
  ///   - columnCount: The number of columns.
  ///   - capacity: The number of rows to make room for.
  init(columnCount: Int, capacity: Int) {
    self.columnCount = columnCount
    self.capacity = max(1, capacity)
    bases = .allocate(capacity: max(1, columnCount))
    for column in 0..<columnCount {
      (bases + column).initialize(to: .allocate(capacity: self.capacity))
    }
  }

  deinit {
    for column in 0..<columnCount {
      bases[column].deinitialize(count: count)
      bases[column].deallocate()
    }
    bases.deallocate()
  }

  /// Makes room for at least `rows` rows, keeping the initialized ones.
  /// - Parameter rows: The number of rows needed.
  func reserve(_ rows: Int) {
    guard rows > capacity else { return }
    let grown = max(rows, capacity * 2)
    for column in 0..<columnCount {
      let buffer = UnsafeMutablePointer<String>.allocate(capacity: grown)
      buffer.moveInitialize(from: bases[column], count: count)
      bases[column].deallocate()
      bases[column] = buffer
    }
    capacity = grown
  }

  /// Records that rows up to `rows` have been initialized by writing through ``bases``.
  /// - Parameter rows: The new row count, at most ``capacity``.
  func setCount(_ rows: Int) {
    precondition(rows <= capacity, "row count beyond capacity")
    count = rows
  }

  /// Destroys the rows from `row` on.
  /// - Parameter row: The first row to drop; the new ``count``.
  func truncate(to row: Int) {
    guard row < count else { return }
    for column in 0..<columnCount {
      (bases[column] + row).deinitialize(count: count - row)
    }
    count = row
  }

  /// Moves the first `rows` rows of `other` to the end of these columns and destroys the rest of
  /// `other`, leaving it empty.
  /// - Parameters:
  ///   - other: Columns of the same width.
  ///   - rows: How many of its rows to move.
  func append(movingFrom other: FieldColumns, rows: Int) {
    precondition(other.columnCount == columnCount && rows <= other.count, "columns do not match")
    reserve(count + rows)
    for column in 0..<columnCount {
      (bases[column] + count).moveInitialize(from: other.bases[column], count: rows)
      (other.bases[column] + rows).deinitialize(count: other.count - rows)
    }
    count += rows
    other.count = 0
  }

  /// Moves every row to the end of the arrays in `arrays`, one per column, leaving these columns
  /// empty. The strings are moved, not copied: no reference count changes.
  /// - Parameters:
  ///   - arrays: One array per column.
  ///   - threads: How many threads may share the work, each taking its own columns.
  func moveRows(appendingTo arrays: inout [[String]], threads: Int) {
    precondition(arrays.count == columnCount, "one array per column")
    let rows = count
    count = 0
    let workers = min(threads, columnCount)
    guard workers > 1 && rows * columnCount >= 1 << 16 else {
      for column in 0..<columnCount {
        arrays[column].append(contentsOf: Draining(base: bases[column], count: rows))
      }
      return
    }
    let bases = self.bases
    let columnCount = self.columnCount
    arrays.withUnsafeMutableBufferPointer { arrays in
      // Each thread appends to its own arrays only.
      nonisolated(unsafe) let arrays = arrays
      nonisolated(unsafe) let bases = bases
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for column in stride(from: worker, to: columnCount, by: workers) {
          arrays[column].append(contentsOf: Draining(base: bases[column], count: rows))
        }
      }
    }
  }

  /// The strings of one column buffer, moved out one by one as they are iterated.
  ///
  /// `Array.append(contentsOf:)` takes every element it is given, so each string is moved exactly
  /// once into the array.
  private struct Draining: Sequence, IteratorProtocol {
    let base: UnsafeMutablePointer<String>
    let count: Int
    var index = 0

    init(base: UnsafeMutablePointer<String>, count: Int) {
      self.base = base
      self.count = count
    }

    var underestimatedCount: Int { count - index }

    mutating func next() -> String? {
      guard index < count else { return nil }
      defer { index += 1 }
      return (base + index).move()
    }
  }
}
