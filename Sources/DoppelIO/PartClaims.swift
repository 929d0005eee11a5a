import Foundation

/// Hands out the parts of a parallel parse, in order, each to one thread.
///
/// The reader's thread and the workers all take parts from here, so a thread that is slow (or
/// not scheduled at all on a busy machine) simply takes fewer parts.
final class PartClaims: @unchecked Sendable {
  private let lock = NSLock()
  private var next: Int
  private let count: Int

  /// Creates claims for parts `first..<count`.
  /// - Parameters:
  ///   - first: The first part to hand out.
  ///   - count: One past the last part.
  init(first: Int, count: Int) {
    next = first
    self.count = count
  }

  /// Takes the next part no thread has taken yet.
  /// - Returns: The part's index, or `nil` when every part is taken.
  func claim() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard next < count else { return nil }
    next += 1
    return next - 1
  }

  /// Marks every remaining part as taken, so no thread starts one.
  func cancel() {
    lock.lock()
    defer { lock.unlock() }
    next = count
  }
}
