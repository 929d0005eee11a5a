import CKernels
import COpenBLAS
import DoppelCore
import Foundation

/// A row-major matrix of 32-bit floats: the value every neural operation works on.
///
/// Vectors are 1×n or n×1 matrices and scalars are 1×1, which is all tabular networks need.
struct Tensor: Sendable, Equatable {
  /// The number of rows.
  var rows: Int
  /// The number of columns.
  var cols: Int
  /// The `rows × cols` values, row after row.
  var data: [Float]

  init(rows: Int, cols: Int, data: [Float]) {
    self.rows = rows
    self.cols = cols
    self.data = data
  }

  init(rows: Int, cols: Int, repeating value: Float = 0) {
    self.init(rows: rows, cols: cols, data: [Float](repeating: value, count: rows * cols))
  }

  /// A tensor whose values are left unset, for outputs the caller overwrites completely before
  /// reading them (a product with β = 0, a loop over every element).
  static func uninitialized(rows: Int, cols: Int) -> Tensor {
    Tensor(rows: rows, cols: cols, data: .uninitialized(rows * cols))
  }

  init(scalar: Float) {
    self.init(rows: 1, cols: 1, data: [scalar])
  }

  var count: Int { rows * cols }
  var sameShape: (Int, Int) { (rows, cols) }
  func hasShape(of other: Tensor) -> Bool { rows == other.rows && cols == other.cols }

  subscript(row: Int, col: Int) -> Float {
    get { data[row * cols + col] }
    set { data[row * cols + col] = newValue }
  }

  /// A dropout mask: each entry 0 with probability `p` (a draw of `random.nextUnit()` below
  /// `p`), otherwise 1/(1 − p), one draw per entry in row-major order.
  static func dropoutMask(rows: Int, cols: Int, p: Float, random: inout SeededGenerator)
    -> Tensor
  {
    let keep = 1 / (1 - p)
    // nextUnit() is k·2⁻⁵³ for k = next() >> 11, so nextUnit() < p exactly when k < ⌈p·2⁵³⌉.
    let threshold = UInt64((Double(min(max(p, 0), 1)) * 0x1p53).rounded(.up))
    var mask = Tensor.uninitialized(rows: rows, cols: cols)
    mask.data.withUnsafeMutableBufferPointer { pm in
      for i in 0..<pm.count { pm[i] = random.next() >> 11 < threshold ? 0 : keep }
    }
    return mask
  }

  /// Standard normal values from `random` (Marsaglia and Bray's polar method, SIAM Review 1964,
  /// in single precision on 24-bit uniforms, both values of each accepted pair used). The pairs
  /// are drawn and screened first, in the order a one-by-one loop draws them, and their factors
  /// √(−2·log s / s) computed in one vectorized pass.
  static func normal(rows: Int, cols: Int, random: inout SeededGenerator, scale: Float = 1)
    -> Tensor
  {
    let count = rows * cols
    let pairs = (count + 1) / 2
    var us = [Float].uninitialized(pairs)
    var vs = [Float].uninitialized(pairs)
    var factors = [Float].uninitialized(pairs)
    us.withUnsafeMutableBufferPointer { pu in
      vs.withUnsafeMutableBufferPointer { pv in
        factors.withUnsafeMutableBufferPointer { ps in
          var accepted = 0
          while accepted < pairs {
            let u = Float(random.next() >> 40) * 0x1p-23 - 1
            let v = Float(random.next() >> 40) * 0x1p-23 - 1
            let s = u * u + v * v
            guard s > 0 && s < 1 else { continue }
            pu[accepted] = u
            pv[accepted] = v
            ps[accepted] = s
            accepted += 1
          }
          doppel_polar_factors(ps.baseAddress, pairs, scale)
        }
      }
    }
    var t = Tensor.uninitialized(rows: rows, cols: cols)
    t.data.withUnsafeMutableBufferPointer { p in
      for k in 0..<pairs {
        p[2 &* k] = us[k] * factors[k]
        if 2 &* k &+ 1 < count { p[2 &* k &+ 1] = vs[k] * factors[k] }
      }
    }
    return t
  }

  /// Standard Gumbel noise −log(−log U) on the columns of `blocks`, 0 elsewhere: the uniforms
  /// of ``uniform(bits:)`` are drawn row by row, then transformed in one vectorized pass.
  static func gumbel(rows: Int, cols: Int, blocks: [Range<Int>], random: inout SeededGenerator)
    -> Tensor
  {
    let columns = blocks.flatMap { $0 }
    var values = [Float](repeating: 0, count: rows * columns.count)
    for i in values.indices { values[i] = uniform(bits: random.next()) }
    values.withUnsafeMutableBufferPointer { p in
      doppel_gumbel_from_uniform(p.baseAddress, p.count)
    }
    var t = Tensor(rows: rows, cols: cols)
    t.data.withUnsafeMutableBufferPointer { p in
      var k = 0
      for r in 0..<rows {
        for c in columns {
          p[r * cols + c] = values[k]
          k += 1
        }
      }
    }
    return t
  }

  /// The uniform behind one Gumbel value: U = (k + ½)·2⁻²³ with k the top 23 of 64 random bits,
  /// so U lies in [2⁻²⁴, 1 − 2⁻²⁴] and is exact in single precision. (With 24 bits, k + ½ at the
  /// top value rounds to 2²⁴, U becomes 1 and −log(−log U) +∞, which turns a softmax into NaN
  /// about once in 2²⁴ draws.)
  @inline(__always)
  static func uniform(bits: UInt64) -> Float {
    (Float(bits >> 41) + 0.5) * 0x1p-23
  }

  /// One standard Gumbel value −log(−log U) from 64 random bits, as
  /// ``gumbel(rows:cols:blocks:random:)`` computes it: always finite, between about −2.81 and 16.6.
  static func gumbel(bits: UInt64) -> Float {
    var value = uniform(bits: bits)
    doppel_gumbel_from_uniform(&value, 1)
    return value
  }

  /// Uniform values in [low, high).
  static func uniform(
    rows: Int, cols: Int, low: Float, high: Float, random: inout SeededGenerator
  ) -> Tensor {
    var t = Tensor(rows: rows, cols: cols)
    for i in 0..<t.count { t.data[i] = low + (high - low) * Float(random.nextUnit()) }
    return t
  }
}

/// The numeric kernels behind the operations: BLAS matrix products and vectorizable loops split
/// over the cores in fixed chunks, so results do not depend on scheduling.
enum Kernels {
  /// Element counts above which element-wise loops run on several threads.
  static let parallelThreshold = 1 << 17
  /// Elements per chunk of a parallel loop; chunks are fixed so results never depend on timing.
  static let chunk = 1 << 15

  /// The threads OpenBLAS uses for products made by the current task. A fit sets it for its own
  /// duration (``Training/withThreads(_:_:)``); everywhere else it is 1, and sampling sets 1 for
  /// each block even inside a fit (``NeuralSampling``).
  ///
  /// OpenBLAS's results differ in the last bits between thread counts, and its thread count is
  /// one setting for the whole process. Keeping the count per task, and applying it under a lock
  /// for each product (``BLASGate``), makes a fit depend only on its seed and its own `threads`
  /// option, and a sample only on the model and seed, whatever else runs in the process or how
  /// many cores the machine has.
  @TaskLocal static var threadCount = 1

  private static let gate = BLASGate()

  /// Runs a BLAS call with this task's ``threadCount`` (see ``BLASGate``).
  @inline(__always)
  static func withBLAS(_ body: () -> Void) {
    gate.run(threads: threadCount, body)
  }

  /// C = op(A)·op(B), where op transposes when asked.
  static func gemm(_ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool) -> Tensor {
    let m = transposeA ? a.cols : a.rows
    let k = transposeA ? a.rows : a.cols
    let n = transposeB ? b.rows : b.cols
    guard m > 0, n > 0, k > 0 else { return Tensor(rows: m, cols: n) }
    var c = Tensor.uninitialized(rows: m, cols: n)
    a.data.withUnsafeBufferPointer { pa in
      b.data.withUnsafeBufferPointer { pb in
        c.data.withUnsafeMutableBufferPointer { pc in
          withBLAS {
            cblas_sgemm(
              CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
              transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
              pa.baseAddress, Int32(max(a.cols, 1)), pb.baseAddress, Int32(max(b.cols, 1)), 0,
              pc.baseAddress, Int32(max(n, 1)))
          }
        }
      }
    }
    return c
  }

  /// C = alpha·op(A)·op(B) + beta·C on raw row-major buffers with leading dimensions.
  @inline(__always)
  static func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    _ a: UnsafePointer<Float>?, lda: Int, _ b: UnsafePointer<Float>?, ldb: Int, beta: Float = 0,
    _ c: UnsafeMutablePointer<Float>?, ldc: Int
  ) {
    guard m > 0, n > 0, k > 0 else {
      if beta == 0, let c {
        for r in 0..<m { (c + r * ldc).update(repeating: 0, count: n) }
      }
      return
    }
    withBLAS {
      cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
        transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha, a,
        Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, c, Int32(max(ldc, 1)))
    }
  }

  /// Runs `body(range)` over `0..<count` in fixed chunks, on several threads for large counts.
  @inline(__always)
  static func forChunks(_ count: Int, _ body: (Range<Int>) -> Void) {
    if count < parallelThreshold {
      body(0..<count)
      return
    }
    let chunks = (count + chunk - 1) / chunk
    withoutActuallyEscaping(body) { escapable in
      nonisolated(unsafe) let run = escapable
      DispatchQueue.concurrentPerform(iterations: chunks) { index in
        run(index * chunk..<min(count, (index + 1) * chunk))
      }
    }
  }

  /// Applies `f` to every element.
  @inline(__always)
  static func map(_ a: Tensor, _ f: (Float) -> Float) -> Tensor {
    let count = a.count
    let data = a.data.withUnsafeBufferPointer { pa in
      [Float](unsafeUninitializedCapacity: count) { po, initialized in
        nonisolated(unsafe) let src = pa
        nonisolated(unsafe) let dst = po
        forChunks(count) { range in
          for i in range { dst.initializeElement(at: i, to: f(src[i])) }
        }
        initialized = count
      }
    }
    return Tensor(rows: a.rows, cols: a.cols, data: data)
  }

  /// Combines two tensors of equal shape element by element.
  @inline(__always)
  static func zip(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    let count = a.count
    let data = a.data.withUnsafeBufferPointer { pa in
      b.data.withUnsafeBufferPointer { pb in
        [Float](unsafeUninitializedCapacity: count) { po, initialized in
          nonisolated(unsafe) let x = pa
          nonisolated(unsafe) let y = pb
          nonisolated(unsafe) let dst = po
          forChunks(count) { range in
            for i in range { dst.initializeElement(at: i, to: f(x[i], y[i])) }
          }
          initialized = count
        }
      }
    }
    return Tensor(rows: a.rows, cols: a.cols, data: data)
  }

  /// Sums the rows: an r×c tensor becomes 1×c.
  static func sumRows(_ a: Tensor) -> Tensor {
    var out = Tensor(rows: 1, cols: a.cols)
    a.data.withUnsafeBufferPointer { pa in
      out.data.withUnsafeMutableBufferPointer { po in
        for r in 0..<a.rows {
          let base = r * a.cols
          for c in 0..<a.cols { po[c] += pa[base + c] }
        }
      }
    }
    return out
  }

  /// Sums each row: an r×c tensor becomes r×1.
  static func sumCols(_ a: Tensor) -> Tensor {
    var out = Tensor(rows: a.rows, cols: 1)
    a.data.withUnsafeBufferPointer { pa in
      out.data.withUnsafeMutableBufferPointer { po in
        for r in 0..<a.rows {
          let base = r * a.cols
          var s: Float = 0
          for c in 0..<a.cols { s += pa[base + c] }
          po[r] = s
        }
      }
    }
    return out
  }

  /// Repeats a 1×c tensor `rows` times.
  static func broadcastRows(_ v: Tensor, rows: Int) -> Tensor {
    var out = Tensor(rows: rows, cols: v.cols)
    v.data.withUnsafeBufferPointer { pv in
      out.data.withUnsafeMutableBufferPointer { po in
        for r in 0..<rows {
          let base = r * v.cols
          for c in 0..<v.cols { po[base + c] = pv[c] }
        }
      }
    }
    return out
  }

  /// Repeats an r×1 tensor `cols` times across.
  static func broadcastCols(_ v: Tensor, cols: Int) -> Tensor {
    var out = Tensor(rows: v.rows, cols: cols)
    v.data.withUnsafeBufferPointer { pv in
      out.data.withUnsafeMutableBufferPointer { po in
        for r in 0..<v.rows {
          let x = pv[r]
          let base = r * cols
          for c in 0..<cols { po[base + c] = x }
        }
      }
    }
    return out
  }

  /// Adds a 1×c row to every row.
  static func addRow(_ a: Tensor, _ v: Tensor) -> Tensor {
    var out = a
    v.data.withUnsafeBufferPointer { pv in
      out.data.withUnsafeMutableBufferPointer { po in
        for r in 0..<a.rows {
          let base = r * a.cols
          for c in 0..<a.cols { po[base + c] += pv[c] }
        }
      }
    }
    return out
  }

  /// Columns `start..<start+count`.
  static func sliceCols(_ a: Tensor, start: Int, count: Int) -> Tensor {
    var out = Tensor(rows: a.rows, cols: count)
    a.data.withUnsafeBufferPointer { pa in
      out.data.withUnsafeMutableBufferPointer { po in
        for r in 0..<a.rows {
          for c in 0..<count { po[r * count + c] = pa[r * a.cols + start + c] }
        }
      }
    }
    return out
  }

  /// Places `a` at columns `start..<start+a.cols` of a zero tensor with `total` columns.
  static func padCols(_ a: Tensor, start: Int, total: Int) -> Tensor {
    var out = Tensor(rows: a.rows, cols: total)
    a.data.withUnsafeBufferPointer { pa in
      out.data.withUnsafeMutableBufferPointer { po in
        for r in 0..<a.rows {
          for c in 0..<a.cols { po[r * total + start + c] = pa[r * a.cols + c] }
        }
      }
    }
    return out
  }

  /// Joins tensors with equal row counts side by side.
  static func concatCols(_ parts: [Tensor]) -> Tensor {
    let rows = parts.first?.rows ?? 0
    let total = parts.reduce(0) { $0 + $1.cols }
    var out = Tensor(rows: rows, cols: total)
    var start = 0
    out.data.withUnsafeMutableBufferPointer { po in
      for part in parts {
        part.data.withUnsafeBufferPointer { pa in
          for r in 0..<rows {
            for c in 0..<part.cols { po[r * total + start + c] = pa[r * part.cols + c] }
          }
        }
        start += part.cols
      }
    }
    return out
  }

  /// Row-wise softmax, stabilized by subtracting each row's maximum.
  static func softmaxRows(_ a: Tensor) -> Tensor {
    var out = Tensor(rows: a.rows, cols: a.cols)
    guard a.cols > 0 else { return out }
    a.data.withUnsafeBufferPointer { pa in
      out.data.withUnsafeMutableBufferPointer { po in
        for r in 0..<a.rows {
          let base = r * a.cols
          var m = -Float.infinity
          for c in 0..<a.cols { m = max(m, pa[base + c]) }
          var s: Float = 0
          for c in 0..<a.cols {
            let e = Foundation.exp(pa[base + c] - m)
            po[base + c] = e
            s += e
          }
          let inv = 1 / s
          for c in 0..<a.cols { po[base + c] *= inv }
        }
      }
    }
    return out
  }

  /// Row-wise log-softmax.
  static func logSoftmaxRows(_ a: Tensor) -> Tensor {
    var out = Tensor(rows: a.rows, cols: a.cols)
    guard a.cols > 0 else { return out }
    a.data.withUnsafeBufferPointer { pa in
      out.data.withUnsafeMutableBufferPointer { po in
        for r in 0..<a.rows {
          let base = r * a.cols
          var m = -Float.infinity
          for c in 0..<a.cols { m = max(m, pa[base + c]) }
          var s: Float = 0
          for c in 0..<a.cols { s += Foundation.exp(pa[base + c] - m) }
          let lse = m + Foundation.log(s)
          for c in 0..<a.cols { po[base + c] = pa[base + c] - lse }
        }
      }
    }
    return out
  }

  /// Per row, every block's sum on each of its columns; 0 elsewhere.
  static func blockSums(_ a: Tensor, blocks: [Range<Int>]) -> Tensor {
    var out = Tensor(rows: a.rows, cols: a.cols)
    let cols = a.cols
    a.data.withUnsafeBufferPointer { pa in
      out.data.withUnsafeMutableBufferPointer { po in
        for r in 0..<a.rows {
          let base = r * cols
          for block in blocks {
            var s: Float = 0
            for c in block { s += pa[base + c] }
            for c in block { po[base + c] = s }
          }
        }
      }
    }
    return out
  }

  /// tanh on `tanhColumns`, softmax((a + noise)/τ) within each block, identity elsewhere.
  static func tabularActivation(
    _ a: Tensor, tanhColumns: [Int], blocks: [Range<Int>], tau: Float, noise: Tensor,
    zeroOutside: Bool = false
  ) -> Tensor {
    var out = zeroOutside ? Tensor(rows: a.rows, cols: a.cols) : a
    let cols = a.cols
    let inverseTau = 1 / tau
    a.data.withUnsafeBufferPointer { pa in
      noise.data.withUnsafeBufferPointer { pn in
        out.data.withUnsafeMutableBufferPointer { po in
          for r in 0..<a.rows {
            let base = r * cols
            for c in tanhColumns { po[base + c] = Foundation.tanh(pa[base + c]) }
            for block in blocks where !block.isEmpty {
              var m = -Float.infinity
              for c in block {
                let z = (pa[base + c] + pn[base + c]) * inverseTau
                po[base + c] = z
                m = max(m, z)
              }
              var s: Float = 0
              for c in block {
                let e = Foundation.exp(po[base + c] - m)
                po[base + c] = e
                s += e
              }
              let inverse = 1 / s
              for c in block { po[base + c] *= inverse }
            }
          }
        }
      }
    }
    return out
  }

  /// The gradient of ``tabularActivation(_:tanhColumns:blocks:tau:noise:zeroOutside:)`` (not
  /// zeroing outside) from its output `y` and the upstream gradient `g`: g·(1 − y²) on the tanh
  /// columns, y ⊙ (g − Σ_block g ⊙ y)/τ within each block, and g elsewhere; the same operations
  /// in the same order as the composed graph, in one pass.
  static func tabularActivationBackward(
    _ g: Tensor, y: Tensor, tanhColumns: [Int], blocks: [Range<Int>], tau: Float
  ) -> Tensor {
    var out = g
    let cols = g.cols
    let inverseTau = 1 / tau
    g.data.withUnsafeBufferPointer { pg in
      y.data.withUnsafeBufferPointer { py in
        out.data.withUnsafeMutableBufferPointer { po in
          for r in 0..<g.rows {
            let base = r &* cols
            for c in tanhColumns {
              let v = py[base &+ c]
              po[base &+ c] = pg[base &+ c] * (-(v * v) + 1)
            }
            for block in blocks {
              var s: Float = 0
              for c in block { s += pg[base &+ c] * py[base &+ c] }
              for c in block { po[base &+ c] = py[base &+ c] * (pg[base &+ c] - s) * inverseTau }
            }
          }
        }
      }
    }
    return out
  }

  /// Σ weights ⊙ onehot ⊙ (−log softmax within each block), as the loss value.
  static func blockCrossEntropy(
    _ a: Tensor, blocks: [Range<Int>], onehot: Tensor, weights: Tensor
  ) -> Float {
    let cols = a.cols
    var total: Float = 0
    a.data.withUnsafeBufferPointer { pa in
      onehot.data.withUnsafeBufferPointer { ph in
        weights.data.withUnsafeBufferPointer { pw in
          for r in 0..<a.rows {
            let base = r * cols
            for block in blocks where !block.isEmpty {
              var target = -1
              for c in block where ph[base + c] != 0 { target = c }
              guard target >= 0 else { continue }
              var m = -Float.infinity
              for c in block { m = max(m, pa[base + c]) }
              var s: Float = 0
              for c in block { s += Foundation.exp(pa[base + c] - m) }
              let lse = m + Foundation.log(s)
              total += pw[base + target] * (lse - pa[base + target])
            }
          }
        }
      }
    }
    return total
  }
}

/// Guards OpenBLAS's process-wide thread count: products with one thread run concurrently with
/// each other (each on its caller's thread), while a product that needs another count runs alone,
/// after setting it, so no product ever runs with a count it did not ask for.
final class BLASGate: @unchecked Sendable {
  private let lock: UnsafeMutablePointer<pthread_rwlock_t>
  /// The count OpenBLAS was last set to; written only under the write lock.
  private var current = 0

  init() {
    lock = .allocate(capacity: 1)
    lock.initialize(to: pthread_rwlock_t())
    pthread_rwlock_init(lock, nil)
  }

  deinit {
    pthread_rwlock_destroy(lock)
    lock.deinitialize(count: 1)
    lock.deallocate()
  }

  func run(threads: Int, _ body: () -> Void) {
    let wanted = max(1, threads)
    if wanted == 1 {
      pthread_rwlock_rdlock(lock)
      if current == 1 {
        defer { pthread_rwlock_unlock(lock) }
        body()
        return
      }
      pthread_rwlock_unlock(lock)
    }
    pthread_rwlock_wrlock(lock)
    defer { pthread_rwlock_unlock(lock) }
    if current != wanted {
      openblas_set_num_threads(Int32(wanted))
      current = wanted
    }
    body()
  }
}

extension [Float] {
  /// `count` floats left unset, for buffers the caller overwrites completely before reading them.
  static func uninitialized(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
  }
}
