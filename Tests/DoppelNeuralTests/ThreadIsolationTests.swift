import Doppel
import Foundation
import Testing

@testable import DoppelNeural

@Suite("BLAS threads belong to one fit")
struct ThreadIsolationTests {
  @Test("a fit's thread count applies inside it only; elsewhere products use one thread")
  func threadCountIsScoped() async throws {
    #expect(Kernels.threadCount == 1)
    let inside = try await Training.withThreads(3) { Kernels.threadCount }
    #expect(inside == 3)
    let all = try await Training.withThreads(0) { Kernels.threadCount }
    #expect(all == ProcessInfo.processInfo.activeProcessorCount)
    #expect(Kernels.threadCount == 1)
  }

  @Test("samples do not change while another fit with other threads runs in the process")
  func samplingIgnoresOtherFits() async throws {
    let (table, metadata) = try clusteredTable(rows: 400, seed: 5)
    let model = try await TVAESynthesizer(
      epochs: 2, batchSize: 100, hiddenWidth: 32, threads: 2
    ).fit(table, metadata: metadata, seed: 1, progress: nil)
    let baseline = try model.sample(rows: 1_000, seed: 4)
    // A fit with another thread count runs alongside; every sample must still equal the baseline.
    let other = Task {
      try await TVAESynthesizer(epochs: 3, batchSize: 50, hiddenWidth: 64, threads: 2).fit(
        table, metadata: metadata, seed: 2, progress: nil)
    }
    for _ in 0..<5 {
      #expect(try model.sample(rows: 1_000, seed: 4) == baseline)
    }
    _ = try await other.value
  }

  @Test("blocks sampled concurrently equal blocks sampled one at a time, inside a fit or not")
  func concurrentBlocksMatchSerialOnes() async throws {
    let (table, metadata) = try clusteredTable(rows: 400, seed: 6)
    let model = try await TVAESynthesizer(
      epochs: 2, batchSize: 100, hiddenWidth: 32, threads: 1
    ).fit(table, metadata: metadata, seed: 1, progress: nil)
    let size = TVAEModel.blockSize
    // Five blocks, the first and last partly: computed concurrently.
    let range = (size / 2)..<(4 * size + 7)
    let whole = try model.sample(range: range, seed: 9)
    // The same rows one block at a time (one block per call runs on the caller's thread).
    var start = range.lowerBound
    var blocks = 0
    while start < range.upperBound {
      let end = min((start / size + 1) * size, range.upperBound)
      let part = try model.sample(range: start..<end, seed: 9)
      let offset = start - range.lowerBound
      #expect(part == whole.slice(offset..<(offset + part.rowCount)))
      start = end
      blocks += 1
    }
    #expect(blocks == 5)
    // Inside a fit with two BLAS threads (as early stopping samples), the rows are the same.
    let inside = try await Training.withThreads(2) { try model.sample(range: range, seed: 9) }
    #expect(inside == whole)
  }
}

@Suite("diverged training")
struct DivergenceTests {
  @Test("a fit whose loss stops being finite fails with the epoch named and writes no model")
  func divergedFitFails() async throws {
    let (table, metadata) = try clusteredTable(rows: 200, seed: 3)
    do {
      _ = try await TVAESynthesizer(
        epochs: 5, batchSize: 50, hiddenWidth: 16, learningRate: 1e30, threads: 1
      ).fit(table, metadata: metadata, seed: 1, progress: nil)
      Issue.record("a diverging fit returned a model")
    } catch let error as DoppelError {
      #expect(error.code == .fitFailed)
      #expect(error.message.contains("diverged in epoch"))
    }
  }
}
