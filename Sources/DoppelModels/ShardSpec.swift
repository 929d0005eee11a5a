import DoppelCore

/// One of `count` equal, deterministic slices of a sample, written `i/n` on the command line.
///
/// Shard `i` of `n` for `N` rows covers rows `[i·N/n, (i+1)·N/n)`, so `n` processes (a Kubernetes
/// Indexed Job, a Slurm array) together write exactly the rows of one run.
public struct ShardSpec: Sendable, Equatable {
  /// The 0-based shard index.
  public let index: Int
  /// The number of shards.
  public let count: Int

  /// Creates a shard, checking `0 ≤ index < count`.
  /// - Parameters:
  ///   - index: The 0-based shard index.
  ///   - count: The number of shards, at least 1.
  /// - Throws: ``DoppelError`` `invalidArgument` when out of range.
  public init(index: Int, count: Int) throws {
    guard count >= 1, index >= 0, index < count else {
      throw DoppelError(
        .invalidArgument, "a shard is i/n with 0 ≤ i < n, such as 0/4; got \(index)/\(count)")
    }
    self.index = index
    self.count = count
  }

  /// Parses `i/n`.
  /// - Parameter text: Text such as `3/8`.
  /// - Throws: ``DoppelError`` `invalidArgument` when malformed or out of range.
  public init(parsing text: String) throws {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
      throw DoppelError(.invalidArgument, "a shard is written i/n, such as 0/4")
    }
    try self.init(index: index, count: count)
  }

  /// The rows of this shard out of `total`.
  /// - Parameter total: The rows of the whole run.
  /// - Returns: This shard's half-open row range.
  public func range(of total: Int) -> Range<Int> {
    let start = Int(Int128(index) * Int128(total) / Int128(count))
    let end = Int(Int128(index + 1) * Int128(total) / Int128(count))
    return start..<end
  }
}
