import Dispatch
import Foundation

/// Exact nearest-neighbour search under Gower's distance over encoded rows (``GowerMatrix``).
///
/// Brute force, vectorised over reference rows: the references are regrouped into blocks of eight
/// rows stored column by column, so one query row is compared with eight references at once using
/// `SIMD8<Float>`. Two things keep it fast without changing any result:
/// - partial distance search (Bei and Gray, "An improvement of the minimum distortion encoding
///   algorithm for vector quantization", IEEE Transactions on Communications 33(10), 1985): the
///   columns are summed most-often-different first, and a block is abandoned as soon as every
///   lane's partial sum reaches the largest distance that could still change a result (terms are
///   never negative, so the full sum could not be smaller);
/// - the references are sorted by their values in that column order, so the rows of a block tend
///   to share their first values and blocks are abandoned after a column or two.
/// Queries are cut into chunks shared out among worker threads; references are walked in tiles
/// that fit in a core's cache. Each query's distances are summed in the same order whatever the
/// chunking or thread count, and the per-reference minima of the workers are merged with `min`, so
/// results do not depend on the number of threads.
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
  static let tileBytes = 16 * 1024

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

    // Columns that differ most often come first, so partial sums pass the skipping bound early.
    let order = NearestNeighborSearch.columnOrder(references)
    // References sorted by their values in that column order, so the rows of a block tend to
    // share their first values and a whole block can be skipped after a column or two. The sort
    // keeps the tracked prefixes in place; `position[r]` is where reference r went.
    let sorted = NearestNeighborSearch.sortedReferences(
      references, columns: order,
      segments: [
        Swift.min(prefixCount, referenceMinimumCount),
        Swift.max(prefixCount, referenceMinimumCount),
      ])
    var position = [Int](repeating: 0, count: referenceCount)
    for (index, reference) in sorted.enumerated() { position[reference] = index }
    // References regrouped: block b, column j is blocked[b * width + j], one lane per row.
    var blocked = [SIMD8<Float>](repeating: .zero, count: blockCount * width)
    references.values.withUnsafeBufferPointer { source in
      for (index, row) in sorted.enumerated() {
        let (block, lane) = index.quotientAndRemainder(dividingBy: 8)
        for j in 0..<width { blocked[block * width + j][lane] = source[row * width + order[j]] }
      }
    }
    var orderedQueries = [Float](repeating: 0, count: queryCount * width)
    for row in 0..<queryCount {
      for j in 0..<width {
        orderedQueries[row * width + j] = queries.values[row * width + order[j]]
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
      orderedQueries.withUnsafeBufferPointer { queryBuffer in
        nearest.withUnsafeMutableBufferPointer { nearestBuffer in
          second.withUnsafeMutableBufferPointer { secondBuffer in
            inPrefix.withUnsafeMutableBufferPointer { prefixBuffer in
              nonisolated(unsafe) let output = (nearestBuffer, secondBuffer, prefixBuffer)
              nonisolated(unsafe) var minima = workerMinima
              let kernel = Kernel(
                blocks: blockedBuffer, queries: queryBuffer, width: width,
                referenceCount: referenceCount, prefixCount: prefixCount,
                excluded: excluded?.map { $0 >= 0 && $0 < referenceCount ? position[$0] : -1 })
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
        let value = Double(minima[position[index] / 8][position[index] % 8])
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

extension NearestNeighborSearch {
  /// Reference indices sorted by their encoded values in `columns` order (ties by index), within
  /// each segment cut at the given boundaries, so every segment keeps its rows.
  static func sortedReferences(_ matrix: GowerMatrix, columns: [Int], segments: [Int]) -> [Int] {
    let width = matrix.width
    let values = matrix.values
    var result: [Int] = []
    result.reserveCapacity(matrix.rows)
    var start = 0
    for end in segments.map({ Swift.min(Swift.max($0, 0), matrix.rows) }) + [matrix.rows]
    where end > start {
      result += (start..<end).sorted { a, b in
        for j in columns where values[a * width + j] != values[b * width + j] {
          return values[a * width + j] < values[b * width + j]
        }
        return a < b
      }
      start = end
    }
    return result
  }

  /// The columns ordered by their mean Gower term over pairs of reference rows (row i against
  /// row i + n/2, at most 2,048 pairs), largest first, ties by position. Only the speed of the
  /// search depends on it.
  static func columnOrder(_ matrix: GowerMatrix) -> [Int] {
    let width = matrix.width
    let pairs = Swift.min(matrix.rows / 2, 2_048)
    var means = [Double](repeating: 0, count: width)
    for i in 0..<pairs {
      let a = i * width
      let b = (i + matrix.rows / 2) * width
      for j in 0..<width {
        means[j] += Double(Swift.min(abs(matrix.values[a + j] - matrix.values[b + j]), 1))
      }
    }
    return (0..<width).sorted { means[$0] != means[$1] ? means[$0] > means[$1] : $0 < $1 }
  }
}

/// The inner loop of ``NearestNeighborSearch``: one chunk of queries against every reference.
private struct Kernel: @unchecked Sendable {
  /// The running closest distances of one query.
  struct State {
    var best = Float.infinity
    var second = Float.infinity
    var inPrefix = Float.infinity
  }

  let blocks: UnsafeBufferPointer<SIMD8<Float>>
  let queries: UnsafeBufferPointer<Float>
  let width: Int
  let referenceCount: Int
  let prefixCount: Int
  let excluded: [Int]?

  // Constants as instance properties: static ones would be lazy globals checked in the loop.
  let one = SIMD8<Float>(repeating: 1)
  let infinity = SIMD8<Float>(repeating: .infinity)
  let signMask = SIMD8<UInt32>(repeating: 0x7fff_ffff)
  let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)

  /// min(|d|, 1) lane by lane: the Gower term of one column. The sign bit is cleared directly,
  /// which compiles to one `andps` (a compare-and-select would not).
  @inline(__always)
  private func term(_ d: SIMD8<Float>) -> SIMD8<Float> {
    let magnitude = unsafeBitCast(
      unsafeBitCast(d, to: SIMD8<UInt32>.self) & signMask, to: SIMD8<Float>.self)
    // Written as "a < 1 ? a : 1" so it compiles to a single `minps` without a register copy.
    return magnitude.replacing(with: one, where: .!(magnitude .< one))
  }

  /// The smallest lane.
  @inline(__always)
  private static func smallest(_ v: SIMD8<Float>) -> Float {
    let four = v.lowHalf.replacing(with: v.highHalf, where: v.highHalf .< v.lowHalf)
    let two = four.lowHalf.replacing(with: four.highHalf, where: four.highHalf .< four.lowHalf)
    return two[1] < two[0] ? two[1] : two[0]
  }

  func run(
    queries range: Range<Int>,
    output: (
      UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>,
      UnsafeMutableBufferPointer<Float>
    ),
    minima: inout [SIMD8<Float>]
  ) {
    let blockCount = (referenceCount + 7) / 8
    let tileBlocks = Swift.max(1, NearestNeighborSearch.tileBytes / Swift.max(1, width * 32))
    let base = queries.baseAddress.unsafelyUnwrapped
    let references = blocks.baseAddress.unsafelyUnwrapped
    let prefixEnd = (prefixCount + 7) >> 3
    var states = [State](repeating: State(), count: range.count)
    // Each query value repeated in eight lanes, ready to subtract from a block of references.
    var broadcast = [SIMD8<Float>](repeating: .zero, count: range.count * width)
    for slot in 0..<range.count {
      for j in 0..<width {
        broadcast[slot * width + j] = SIMD8(repeating: base[(range.lowerBound + slot) * width + j])
      }
    }
    minima.withUnsafeMutableBufferPointer { minimaBuffer in
      broadcast.withUnsafeBufferPointer { broadcastBuffer in
        var tileStart = 0
        while tileStart < blockCount {
          let tileEnd = Swift.min(tileStart + tileBlocks, blockCount)
          for slot in 0..<range.count {
            let query = range.lowerBound + slot
            let q = broadcastBuffer.baseAddress.unsafelyUnwrapped + slot * width
            var current = states[slot]
            for block in tileStart..<tileEnd {
              // A block can be skipped once every lane's partial sum reaches the largest distance
              // that could still change a result: terms are never negative, so the full sum would
              // not be smaller either, and skipping changes no result.
              var bound = SIMD8(repeating: limit(current, inPrefix: block < prefixEnd))
              if block < minimaBuffer.count {
                bound = bound.replacing(
                  with: minimaBuffer[block], where: minimaBuffer[block] .> bound)
              }
              let r = references + block * width
              var even = SIMD8<Float>.zero
              var odd = SIMD8<Float>.zero
              var j = 0
              var skipped = false
              while j + 1 < width {
                even += term(q[j] - r[j])
                odd += term(q[j + 1] - r[j + 1])
                j += 2
                if j < width && !any(even + odd .< bound) {
                  skipped = true
                  break
                }
              }
              if skipped { continue }
              if j < width { even += term(q[j] - r[j]) }
              absorb(even + odd, block: block, query: query, into: &current, minimaBuffer)
            }
            states[slot] = current
          }
          tileStart = tileEnd
        }
      }
    }
    for (slot, query) in range.enumerated() {
      output.0[query] = states[slot].best
      output.1[query] = states[slot].second
      output.2[query] = states[slot].inPrefix
    }
  }

  /// The largest distance to a reference that could still change a query's results.
  @inline(__always)
  private func limit(_ state: State, inPrefix: Bool) -> Float {
    inPrefix && state.inPrefix > state.second ? state.inPrefix : state.second
  }

  /// Folds the distances of one query to one block of references into its state and the
  /// per-reference minima.
  @inline(__always)
  private func absorb(
    _ distances: SIMD8<Float>, block: Int, query: Int, into state: inout State,
    _ minima: UnsafeMutableBufferPointer<SIMD8<Float>>
  ) {
    var sum = distances
    if block == (referenceCount - 1) >> 3 {
      sum.replace(
        with: infinity, where: lanes .>= SIMD8(repeating: Int32(referenceCount - block * 8)))
    }
    if let excluded, excluded[query] >> 3 == block { sum[excluded[query] & 7] = .infinity }
    if block < minima.count {
      minima[block] = minima[block].replacing(with: sum, where: sum .< minima[block])
    }
    let low = Kernel.smallest(sum)
    if block < prefixCount >> 3 {
      if low < state.inPrefix { state.inPrefix = low }
    } else if block == prefixCount >> 3 && prefixCount & 7 != 0 {
      let masked = sum.replacing(
        with: infinity, where: lanes .>= SIMD8(repeating: Int32(prefixCount & 7)))
      let lowInPrefix = Kernel.smallest(masked)
      if lowInPrefix < state.inPrefix { state.inPrefix = lowInPrefix }
    }
    if low < state.second {
      for lane in 0..<8 {
        let value = sum[lane]
        if value < state.best {
          state.second = state.best
          state.best = value
        } else if value < state.second {
          state.second = value
        }
      }
    }
  }
}
