import DoppelCore

/// Deterministic row samples: the same seed and label always pick the same rows.
enum RowSampler {
  /// Up to `limit` distinct row positions out of `count`, ascending, drawn uniformly without
  /// replacement (a partial Fisher–Yates shuffle) from the stream `seed` + `label`; all rows when
  /// `count` ≤ `limit`.
  /// - Parameters:
  ///   - count: The number of rows.
  ///   - limit: The most rows to keep.
  ///   - seed: The user's seed.
  ///   - label: A fixed text naming the stream.
  /// - Returns: Ascending row positions.
  static func sample(count: Int, limit: Int, seed: UInt64, label: String) -> [Int] {
    sample(Array(0..<count), limit: limit, seed: seed, label: label)
  }

  /// Up to `limit` of the given rows, in their given order, drawn as ``sample(count:limit:seed:label:)``.
  /// - Parameters:
  ///   - rows: Candidate row positions, ascending.
  ///   - limit: The most rows to keep.
  ///   - seed: The user's seed.
  ///   - label: A fixed text naming the stream.
  /// - Returns: The kept rows, ascending.
  static func sample(_ rows: [Int], limit: Int, seed: UInt64, label: String) -> [Int] {
    guard rows.count > limit else { return rows }
    var generator = SeededGenerator(seed: seed, label: label)
    var pool = rows
    for i in 0..<limit {
      let j = i + generator.nextInt(below: pool.count - i)
      pool.swapAt(i, j)
    }
    return pool[0..<limit].sorted()
  }
}
