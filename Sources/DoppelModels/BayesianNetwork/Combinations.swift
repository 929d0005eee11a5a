/// Subsets of a list, in a fixed order.
enum Combinations {
  /// Every subset of `items` with at most `maxSize` elements, the empty set first, then by size
  /// and lexicographically by position; each subset keeps the order of `items`.
  static func subsets(of items: [Int], maxSize: Int) -> [[Int]] {
    var result: [[Int]] = [[]]
    var current: [Int] = []
    func extend(from start: Int, size: Int) {
      if current.count == size {
        result.append(current)
        return
      }
      guard start < items.count else { return }
      for index in start..<items.count {
        current.append(items[index])
        extend(from: index + 1, size: size)
        current.removeLast()
      }
    }
    if maxSize >= 1 && !items.isEmpty {
      for size in 1...min(maxSize, items.count) { extend(from: 0, size: size) }
    }
    return result
  }
}
