import CKernels
import DoppelCore
import Foundation

/// The CTGAN generator's training pass (batch statistics) and its gradient, computed in closed
/// form on flat buffers instead of through a recorded graph.
///
/// Each residual block is h ↦ [ReLU(BN(h·W + b)), h] (batch normalization: Ioffe and Szegedy,
/// "Batch Normalization", ICML 2015). All blocks' outputs and the noise share one wide row
/// buffer laid out as [aᴸ, …, a¹, z], so every concatenation is a column range of it and costs
/// nothing. The condition part of the input is one-hot, so its products are row look-ups and its
/// weight gradients row additions. Equal to ``CTGANGenerator/callAsFunction(_:training:)`` with
/// `training: true` and to differentiating it (checked in the tests).
struct CTGANGeneratorKernel {
  /// What the backward pass needs from the forward pass.
  struct Pass {
    /// The raw output (before the output activation), rows × output width.
    var output: Tensor
    /// Rows × (Σ hidden + noise): [aᴸ, …, a¹, z].
    var wide: [Float]
    /// Per block: the normalized values x̂ (rows × width).
    var normalized: [[Float]]
    /// Per block: 1/√(variance + ε) per column.
    var inverse: [[Float]]
    /// Per row: the condition's hot column, or −1.
    var hot: [Int]
  }

  let generator: CTGANGenerator
  /// The noise width.
  let noiseWidth: Int

  var hidden: [Int] { generator.blocks.map { $0.0.weight.cols } }

  /// Where block k's output starts in the wide buffer (k = 0 is the first block); the noise
  /// starts at Σ hidden.
  func offsets() -> [Int] {
    let widths = hidden
    var offsets = [Int](repeating: 0, count: widths.count)
    var at = 0
    for k in stride(from: widths.count - 1, through: 0, by: -1) {
      offsets[k] = at
      at += widths[k]
    }
    return offsets
  }

  /// The forward pass in training mode; updates the batch norms' running statistics.
  /// - Parameters:
  ///   - noise: Rows × noise width.
  ///   - hot: Per row the column of the one-hot condition (−1 for none).
  /// - Returns: The output and what the backward pass needs.
  func forward(noise: Tensor, hot: [Int]) -> Pass {
    let rows = noise.rows
    let widths = hidden
    let totalHidden = widths.reduce(0, +)
    let total = totalHidden + noiseWidth
    let offsets = self.offsets()
    var wide = [Float](repeating: 0, count: rows * total)
    wide.withUnsafeMutableBufferPointer { pw in
      noise.data.withUnsafeBufferPointer { pz in
        for r in 0..<rows {
          for j in 0..<noiseWidth { pw[r &* total &+ totalHidden &+ j] = pz[r &* noiseWidth &+ j] }
        }
      }
    }
    var normalized: [[Float]] = []
    var inverses: [[Float]] = []
    for (k, (linear, norm)) in generator.blocks.enumerated() {
      let width = widths[k]
      let start = k == 0 ? totalHidden : offsets[k - 1]
      var pre = affine(
        linear, wide: wide, total: total, start: start, rows: rows, hot: hot, width: width)
      // Batch statistics, normalization, scale and shift, ReLU into the wide buffer.
      var mean = [Float].uninitialized(width)
      var variance = [Float].uninitialized(width)
      var inverse = [Float].uninitialized(width)
      let at = offsets[k]
      norm.gamma.value.data.withUnsafeBufferPointer { pg in
        norm.beta.value.data.withUnsafeBufferPointer { pb in
          wide.withUnsafeMutableBufferPointer { pw in
            doppel_batch_norm_relu(
              &pre, rows, width, pg.baseAddress, pb.baseAddress, norm.epsilon,
              pw.baseAddress.map { $0 + at }, total, &mean, &variance, &inverse)
          }
        }
      }
      let unbiased = Float(rows) / Float(max(rows - 1, 1))
      for j in 0..<width {
        norm.runningMean.data[j] =
          (1 - norm.momentum) * norm.runningMean.data[j] + norm.momentum * mean[j]
        norm.runningVariance.data[j] =
          (1 - norm.momentum) * norm.runningVariance.data[j] + norm.momentum * variance[j]
          * unbiased
      }
      normalized.append(pre)
      inverses.append(inverse)
    }
    let outputWidth = generator.output.weight.cols
    let out = affine(
      generator.output, wide: wide, total: total, start: 0, rows: rows, hot: hot,
      width: outputWidth)
    return Pass(
      output: Tensor(rows: rows, cols: outputWidth, data: out), wide: wide,
      normalized: normalized, inverse: inverses, hot: hot)
  }

  /// wide[:, start...]·W[dense rows] + b + W[dense rows + hot] per row.
  private func affine(
    _ linear: Linear, wide: [Float], total: Int, start: Int, rows: Int, hot: [Int], width: Int
  ) -> [Float] {
    let dense = total - start
    var out = [Float].uninitialized(rows * width)
    let weight = linear.weight.value.data
    let bias = linear.bias.value.data
    out.withUnsafeMutableBufferPointer { po in
      weight.withUnsafeBufferPointer { pw in
        for r in 0..<rows {
          for j in 0..<width { po[r &* width &+ j] = bias[j] }
          let h = hot[r]
          if h >= 0 {
            let base = (dense + h) * width
            for j in 0..<width { po[r &* width &+ j] += pw[base &+ j] }
          }
        }
        wide.withUnsafeBufferPointer { px in
          Kernels.sgemm(
            transposeA: false, transposeB: false, m: rows, n: width, k: dense,
            px.baseAddress.map { $0 + start }, lda: total, pw.baseAddress, ldb: width, beta: 1,
            po.baseAddress, ldc: width)
        }
      }
    }
    return out
  }

  /// The gradients of the generator's parameters (in ``CTGANGenerator/parameters`` order) from
  /// the gradient of the raw output.
  /// - Parameters:
  ///   - pass: The forward pass.
  ///   - gradient: ∂loss/∂output, rows × output width.
  /// - Returns: One gradient per parameter.
  func backward(_ pass: Pass, gradient: Tensor) -> [Tensor] {
    let rows = gradient.rows
    let widths = hidden
    let totalHidden = widths.reduce(0, +)
    let total = totalHidden + noiseWidth
    let offsets = self.offsets()
    var blockGradients: [[Tensor]] = Array(repeating: [], count: widths.count)
    // ∂loss/∂[aᴸ, …, a¹], rows × Σ hidden.
    var upstream = [Float](repeating: 0, count: rows * totalHidden)
    let outputGradients = linearBackward(
      generator.output, wide: pass.wide, total: total, start: 0, rows: rows, hot: pass.hot,
      gradient: gradient.data, upstream: &upstream, upstreamWidth: totalHidden,
      upstreamColumns: totalHidden)
    for k in stride(from: widths.count - 1, through: 0, by: -1) {
      let (linear, norm) = generator.blocks[k]
      let width = widths[k]
      let at = offsets[k]
      let xhat = pass.normalized[k]
      let inverse = pass.inverse[k]
      let gamma = norm.gamma.value.data
      var gy = [Float].uninitialized(rows * width)
      var dGamma = [Float](repeating: 0, count: width)
      var dBeta = [Float](repeating: 0, count: width)
      let n = Float(rows)
      gy.withUnsafeMutableBufferPointer { py in
        xhat.withUnsafeBufferPointer { px in
          pass.wide.withUnsafeBufferPointer { pw in
            upstream.withUnsafeBufferPointer { pu in
              doppel_relu_gate_sums(
                pw.baseAddress.map { $0 + at }, total, pu.baseAddress.map { $0 + at },
                totalHidden, px.baseAddress, rows, width, py.baseAddress, &dBeta, &dGamma)
            }
          }
          // ∂/∂pre = inv/n · (n·g − Σg − x̂·Σ(g·x̂)) with g = γ·∂/∂y.
          inverse.withUnsafeBufferPointer { pi in
            gamma.withUnsafeBufferPointer { pg in
              dGamma.withUnsafeBufferPointer { pdg in
                dBeta.withUnsafeBufferPointer { pdb in
                  for r in 0..<rows {
                    for j in 0..<width {
                      let centered =
                        n * pg[j] * py[r &* width &+ j] - pg[j] * pdb[j] - px[r &* width &+ j]
                        * pg[j]
                        * pdg[j]
                      py[r &* width &+ j] = pi[j] / n * centered
                    }
                  }
                }
              }
            }
          }
        }
      }
      let start = k == 0 ? totalHidden : offsets[k - 1]
      let linearGradients = linearBackward(
        linear, wide: pass.wide, total: total, start: start, rows: rows, hot: pass.hot,
        gradient: gy, upstream: &upstream, upstreamWidth: totalHidden,
        upstreamColumns: k == 0 ? 0 : totalHidden - start)
      blockGradients[k] =
        linearGradients + [
          Tensor(rows: 1, cols: width, data: dGamma), Tensor(rows: 1, cols: width, data: dBeta),
        ]
    }
    return blockGradients.flatMap { $0 } + outputGradients
  }

  /// Weight and bias gradients of an affine map on wide[:, start...] plus the condition, and
  /// adds gradient·Wᵀ for its first `upstreamColumns` input columns into `upstream` at `start`.
  private func linearBackward(
    _ linear: Linear, wide: [Float], total: Int, start: Int, rows: Int, hot: [Int],
    gradient: [Float], upstream: inout [Float], upstreamWidth: Int, upstreamColumns: Int
  ) -> [Tensor] {
    let dense = total - start
    let width = linear.weight.cols
    var dWeight = Tensor(rows: linear.weight.rows, cols: width)
    var dBias = Tensor(rows: 1, cols: width)
    gradient.withUnsafeBufferPointer { pg in
      dWeight.data.withUnsafeMutableBufferPointer { pd in
        wide.withUnsafeBufferPointer { px in
          Kernels.sgemm(
            transposeA: true, transposeB: false, m: dense, n: width, k: rows,
            px.baseAddress.map { $0 + start }, lda: total, pg.baseAddress, ldb: width,
            pd.baseAddress, ldc: width)
        }
        for r in 0..<rows {
          let h = hot[r]
          if h >= 0 {
            let base = (dense + h) * width
            for j in 0..<width { pd[base &+ j] += pg[r &* width &+ j] }
          }
        }
      }
      dBias.data.withUnsafeMutableBufferPointer { pb in
        for r in 0..<rows { for j in 0..<width { pb[j] += pg[r &* width &+ j] } }
      }
      if upstreamColumns > 0 {
        linear.weight.value.data.withUnsafeBufferPointer { pw in
          upstream.withUnsafeMutableBufferPointer { pu in
            Kernels.sgemm(
              transposeA: false, transposeB: true, m: rows, n: upstreamColumns, k: width,
              pg.baseAddress, lda: width, pw.baseAddress, ldb: width, beta: 1,
              pu.baseAddress.map { $0 + start }, ldc: upstreamWidth)
          }
        }
      }
    }
    return [dWeight, dBias]
  }
}
