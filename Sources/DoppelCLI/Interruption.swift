import Doppel
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns Ctrl-C (SIGINT) into cancellation of long work, so training stops after its current step
/// and keeps its last checkpoint.
enum Interruption {
  /// Runs `work`, cancelling it on SIGINT; a cancelled run ends with a clear error.
  static func cancellingOnInterrupt<T: Sendable>(
    checkpoint: String?, _ work: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    let task = Task { try await work() }
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { task.cancel() }
    source.resume()
    defer {
      source.cancel()
      signal(SIGINT, SIG_DFL)
    }
    do {
      return try await task.value
    } catch is CancellationError {
      let hint =
        checkpoint.map { "; the last finished epoch is saved in \($0), continue with --resume" }
        ?? "; use --checkpoint to keep progress"
      throw DoppelError(.fitFailed, "training was interrupted" + hint)
    }
  }
}
