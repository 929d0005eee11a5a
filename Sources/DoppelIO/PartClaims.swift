import Foundation

/// Which parts of a parallel parse have been taken by a thread; each part is taken once.
final class PartClaims: @unchecked Sendable {
  private let lock = NSLock()
  private var taken: [Bool]

  /// Creates claims for `count` parts, none taken.
  /// - Parameter count: The number of parts.
  init(count: Int) {
    taken = Array(repeating: false, count: count)
  }

  /// Takes part `index` if no thread has taken it yet.
  /// - Parameter index: The part.
  /// - Returns: `true` if the caller now owns the part and must parse it.
  func claim(_ index: Int) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    if taken[index] { return false }
    taken[index] = true
    return true
  }
}
