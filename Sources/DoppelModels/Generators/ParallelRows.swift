import Dispatch
import Foundation

/// Splits independent per-row work over the machine's cores.
///
/// Each index runs exactly once and writes only its own results, so the output does not depend on
/// the number of threads.
enum ParallelRows {
  /// The number of worker threads for `count` items of work.
  static func workers(for count: Int, minimumPerWorker: Int = 256) -> Int {
    max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / max(minimumPerWorker, 1)))
  }

  /// Runs `body` on contiguous chunks of `0..<count`, in parallel.
  static func forEachChunk(
    count: Int, minimumPerWorker: Int = 256, _ body: @Sendable (Range<Int>) -> Void
  ) {
    guard count > 0 else { return }
    let workers = workers(for: count, minimumPerWorker: minimumPerWorker)
    if workers == 1 {
      body(0..<count)
      return
    }
    // More chunks than workers balances uneven chunks.
    let chunks = min(count, workers * 8)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      body((chunk * count / chunks)..<((chunk + 1) * count / chunks))
    }
  }
}
