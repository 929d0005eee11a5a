import Dispatch
import Foundation

/// Exact nearest-neighbour search under Gower's distance over encoded rows (``GowerMatrix``).
///
/// Brute force, vectorised over reference rows: the references are regrouped into blocks of eight
/// rows stored column by column, so one query row is compared with eight references at once using
/// `SIMD8<Float>`. Queries are cut into chunks shared out among worker threads; references are
/// walked in tiles that fit in a core's cache. Each query's distances are summed column by column
/// in the same order whatever the chunking or thread count, and the per-reference minima of the
/// workers are merged with `min`, so results do not depend on the number of threads.
struct NearestNeighborSearch {
  /// What one search found, as Gower distances (sums divided by the width).
  struct Result: Sendable, Equatable {
    /// For each query, the distance to its closest reference (`infinity` if there is none).
    var nearest: [Double]
    /// For each query, the distance to its second-closest reference (`infinity` if there is none).
    var second: [Double]
    /// For each query, the distance to its closest reference among the first `prefixCount`.
    var nearestInPrefix: [Double]
    /// For each of the first `referenceMinimumCount` references, the distance to its closest
    /// query.
    var referenceNearest: [Double]
  }

  /// Queries per chunk of work.
  static let chunkRows = 64
  /// Bytes of references walked per tile, to stay within a core's cache.
  static let tileBytes = 64 * 1024

  /// The rows whose neighbours are sought.
  let queries: GowerMatrix
  /// The rows searched.
  let references: GowerMatrix
  /// The number of leading references for which ``Result/nearestInPrefix`` is tracked.
  var prefixCount = 0
  /// The number of leading references for which ``Result/referenceNearest`` is tracked.
  var referenceMinimumCount = 0
  /// For each query, the index of a reference to skip (itself, for leave-one-out), or `nil`.
  var excluded: [Int]?
  /// Worker threads; at least 1.
  var threads = 1

  /// Runs the search.
  /// - Returns: The distances found.
  /// - Complexity: O(q · r · w) for q queries, r references and w columns.
  func run() -> Result {
    precondition(queries.width == references.width, "query and reference widths differ")
    precondition(threads >= 1, "threads must be positive")
    let width = queries.width
    let queryCount = queries.rows
    let referenceCount = references.rows
    let blockCount = (referenceCount + 7) / 8
    let trackedBlocks = (Swift.min(referenceMinimumCount, referenceCount) + 7) / 8

    // References regrouped: block b, column j is blocked[b * width + j], one lane per row.
    var blocked = [SIMD8<Float>](repeating: .zero, count: blockCount * width)
    references.values.withUnsafeBufferPointer { source in
      for row in 0..<referenceCount {
        let (block, lane) = row.quotientAndRemainder(dividingBy: 8)
        for j in 0..<width { blocked[block * width + j][lane] = source[row * width + j] }
      }
    }

    var nearest = [Float](repeating: .infinity, count: queryCount)
    var second = [Float](repeating: .infinity, count: queryCount)
    var inPrefix = [Float](repeating: .infinity, count: queryCount)
    let chunkCount =
      (queryCount + NearestNeighborSearch.chunkRows - 1) / NearestNeighborSearch.chunkRows
    let workers = Swift.max(1, Swift.min(threads, chunkCount))
    var workerMinima = [[SIMD8<Float>]](
      repeating: [SIMD8<Float>](repeating: SIMD8(repeating: .infinity), count: trackedBlocks),
      count: workers)

    let lock = NSLock()
    nonisolated(unsafe) var nextChunk = 0
    blocked.withUnsafeBufferPointer { blockedBuffer in
      queries.values.withUnsafeBufferPointer { queryBuffer in
        nearest.withUnsafeMutableBufferPointer { nearestBuffer in
          second.withUnsafeMutableBufferPointer { secondBuffer in
            inPrefix.withUnsafeMutableBufferPointer { prefixBuffer in
              nonisolated(unsafe) let output = (nearestBuffer, secondBuffer, prefixBuffer)
              nonisolated(unsafe) var minima = workerMinima
              let kernel = Kernel(
                blocks: blockedBuffer, queries: queryBuffer, width: width,
                referenceCount: referenceCount, prefixCount: prefixCount, excluded: excluded)
              DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var local = [SIMD8<Float>](
                  repeating: SIMD8(repeating: .infinity), count: trackedBlocks)
                while true {
                  lock.lock()
                  let chunk = nextChunk
                  nextChunk += 1
                  lock.unlock()
                  guard chunk < chunkCount else { break }
                  let start = chunk * NearestNeighborSearch.chunkRows
                  let end = Swift.min(start + NearestNeighborSearch.chunkRows, queryCount)
                  kernel.run(queries: start..<end, output: output, minima: &local)
                }
                lock.lock()
                minima[worker] = local
                lock.unlock()
              }
              workerMinima = minima
            }
          }
        }
      }
    }

    var referenceNearest = [Double](
      repeating: .infinity, count: Swift.min(referenceMinimumCount, referenceCount))
    for minima in workerMinima {
      for index in 0..<referenceNearest.count {
        let value = Double(minima[index / 8][index % 8])
        if value < referenceNearest[index] { referenceNearest[index] = value }
      }
    }
    let scale = width > 0 ? 1 / Double(width) : 0
    func distances(_ sums: [Float]) -> [Double] {
      sums.map { $0.isFinite ? Double($0) * scale : .infinity }
    }
    return Result(
      nearest: distances(nearest), second: distances(second),
      nearestInPrefix: distances(inPrefix),
      referenceNearest: referenceNearest.map { $0.isFinite ? $0 * scale : .infinity })
  }
}

/// The inner loop of ``NearestNeighborSearch``: one chunk of queries against every reference.
private struct Kernel: @unchecked Sendable {
  let blocks: UnsafeBufferPointer<SIMD8<Float>>
  let queries: UnsafeBufferPointer<Float>
  let width: Int
  let referenceCount: Int
  let prefixCount: Int
  let excluded: [Int]?

  func run(
    queries range: Range<Int>,
    output: (
      UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>,
      UnsafeMutableBufferPointer<Float>
    ),
    minima: inout [SIMD8<Float>]
  ) {
    let blockCount = (referenceCount + 7) / 8
    let lastBlock = blockCount - 1
    let lastValid = referenceCount - lastBlock * 8
    let laneIndex = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
    let tailMask = laneIndex .>= SIMD8(repeating: Int32(lastValid))
    let prefixBlock = prefixCount / 8
    let prefixMask = laneIndex .>= SIMD8(repeating: Int32(prefixCount % 8))
    let trackedBlocks = minima.count
    let tileBlocks = Swift.max(1, NearestNeighborSearch.tileBytes / Swift.max(1, width * 32))
    let one = SIMD8<Float>(repeating: 1)
    let infinity = SIMD8<Float>(repeating: .infinity)

    var best = [Float](repeating: .infinity, count: range.count)
    var next = [Float](repeating: .infinity, count: range.count)
    var bestPrefix = [Float](repeating: .infinity, count: range.count)
    minima.withUnsafeMutableBufferPointer { minimaBuffer in
      var tileStart = 0
      while tileStart < blockCount {
        let tileEnd = Swift.min(tileStart + tileBlocks, blockCount)
        for (slot, query) in range.enumerated() {
          let q = queries.baseAddress.unsafelyUnwrapped + query * width
          var best1 = best[slot]
          var best2 = next[slot]
          var bestInPrefix = bestPrefix[slot]
          let skip = excluded?[query] ?? -1
          for block in tileStart..<tileEnd {
            let r = blocks.baseAddress.unsafelyUnwrapped + block * width
            var sum = SIMD8<Float>.zero
            for j in 0..<width {
              let d = SIMD8<Float>(repeating: q[j]) - r[j]
              sum += pointwiseMin(pointwiseMax(d, -d), one)
            }
            if block == lastBlock { sum.replace(with: infinity, where: tailMask) }
            if skip >= 0 && skip >> 3 == block { sum[skip & 7] = .infinity }
            if block < trackedBlocks {
              minimaBuffer[block] = pointwiseMin(minimaBuffer[block], sum)
            }
            let low = sum.min()
            if block < prefixBlock {
              bestInPrefix = Swift.min(bestInPrefix, low)
            } else if block == prefixBlock && prefixCount % 8 != 0 {
              var masked = sum
              masked.replace(with: infinity, where: prefixMask)
              bestInPrefix = Swift.min(bestInPrefix, masked.min())
            }
            if low < best2 {
              for lane in 0..<8 {
                let value = sum[lane]
                if value < best1 {
                  best2 = best1
                  best1 = value
                } else if value < best2 {
                  best2 = value
                }
              }
            }
          }
          best[slot] = best1
          next[slot] = best2
          bestPrefix[slot] = bestInPrefix
        }
        tileStart = tileEnd
      }
    }
    for (slot, query) in range.enumerated() {
      output.0[query] = best[slot]
      output.1[query] = next[slot]
      output.2[query] = bestPrefix[slot]
    }
  }
}
