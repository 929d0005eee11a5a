import DoppelCore
import Foundation

/// The critic loss of WGAN-GP with its gradient with respect to the critic's parameters,
/// computed in closed form for the CTGAN critic instead of by differentiating a gradient.
///
/// The critic is D(x) = w·aᴸ + b with aˡ = mˡ ⊙ LeakyReLU(aˡ⁻¹Wˡ + bˡ) and fixed dropout masks
/// mˡ. Writing eˡ = mˡ ⊙ LeakyReLU′(hˡ), which is piecewise constant, ∂D/∂x = gᴸ… with
/// gˡ = (gˡ⁺¹Wˡ⁺¹ᵀ) ⊙ eˡ, and the penalty λ·mean((‖∂D/∂x‖ − 1)²) (Gulrajani et al., "Improved
/// Training of Wasserstein GANs", NeurIPS 2017) differentiates to Σˡ Rˡ⁻¹ᵀ gˡ for Wˡ with
/// R⁰ = ∂penalty/∂(∂D/∂x) and Rˡ = (Rˡ⁻¹Wˡ) ⊙ eˡ; the biases get no penalty gradient. The fake,
/// real and interpolated packs go through the network as one stacked batch, so every layer costs
/// a few large matrix products. The result equals differentiating
/// ``CTGANTrainer/gradientPenalty(real:fake:)``'s graph (checked against it and against finite
/// differences in the tests).
struct CTGANCriticKernel {
  /// The critic's loss and the gradients of its parameters, in `parameters` order.
  struct Result {
    /// mean D(fake) − mean D(real) + penalty.
    var loss: Float
    /// The gradient penalty alone.
    var penalty: Float
    /// One gradient per parameter (weights and bias of every layer).
    var gradients: [Tensor]
  }

  /// The penalty weight λ.
  var lambda: Float = 10
  /// The negative slope of the LeakyReLU.
  var slope: Float = 0.2

  /// Dropout masks (0 or 1/(1−p)) for `packs` stacked packs, one per hidden layer.
  static func masks(
    for critic: CTGANDiscriminator, packs: Int, p: Float = 0.5, random: inout SeededGenerator
  ) -> [Tensor] {
    let keep = 1 / (1 - p)
    return critic.layers.dropLast().map { layer in
      var mask = Tensor(rows: packs, cols: layer.weight.cols)
      for i in 0..<mask.count { mask.data[i] = random.nextUnit() < Double(p) ? 0 : keep }
      return mask
    }
  }

  /// The loss and gradients.
  /// - Parameters:
  ///   - critic: The critic (its current weights are read, not changed).
  ///   - stacked: Fake, real and interpolated rows one after another (3·packs·pac rows, in
  ///     unpacked layout: each pack is `pac` consecutive rows).
  ///   - masks: One dropout mask per hidden layer with 3·packs rows in the same order.
  /// - Returns: The loss, the penalty and one gradient per parameter.
  func evaluate(critic: CTGANDiscriminator, stacked: Tensor, masks: [Tensor]) -> Result {
    let pac = critic.pac
    let total = stacked.rows / pac
    let n = total / 3
    let hidden = critic.layers.count - 1
    let inputWidth = stacked.cols * pac
    let slope = self.slope
    // Forward: activations aˡ (3n × widthˡ) and factors eˡ.
    var activations: [[Float]] = [stacked.data]
    var factors: [[Float]] = []
    var widths = [inputWidth]
    for l in 0..<hidden {
      let layer = critic.layers[l]
      let width = layer.weight.cols
      var h = [Float].uninitialized(total * width)
      layer.bias.value.data.withUnsafeBufferPointer { pb in
        h.withUnsafeMutableBufferPointer { ph in
          for r in 0..<total {
            for j in 0..<width { ph[r &* width &+ j] = pb[j] }
          }
        }
      }
      let fanIn = widths[l]
      activations[l].withUnsafeBufferPointer { pa in
        layer.weight.value.data.withUnsafeBufferPointer { pw in
          h.withUnsafeMutableBufferPointer { ph in
            Kernels.sgemm(
              transposeA: false, transposeB: false, m: total, n: width, k: fanIn,
              pa.baseAddress, lda: fanIn, pw.baseAddress, ldb: width, beta: 1,
              ph.baseAddress, ldc: width)
          }
        }
      }
      var e = [Float].uninitialized(total * width)
      masks[l].data.withUnsafeBufferPointer { pm in
        h.withUnsafeMutableBufferPointer { ph in
          e.withUnsafeMutableBufferPointer { pe in
            for i in 0..<(total * width) {
              let factor = (ph[i] > 0 ? 1 : slope) * pm[i]
              pe[i] = factor
              ph[i] *= factor
            }
          }
        }
      }
      activations.append(h)
      factors.append(e)
      widths.append(width)
    }
    let output = critic.layers[hidden]
    let lastWidth = widths[hidden]
    let w = output.weight.value.data
    let bias = output.bias.value.data.first ?? 0
    // D on the fake and real packs.
    var meanFake: Float = 0
    var meanReal: Float = 0
    activations[hidden].withUnsafeBufferPointer { pa in
      for r in 0..<(2 * n) {
        var s: Float = bias
        for j in 0..<lastWidth { s += pa[r &* lastWidth &+ j] * w[j] }
        if r < n { meanFake += s } else { meanReal += s }
      }
    }
    meanFake = meanFake / Float(n)
    meanReal = meanReal / Float(n)
    // Backward: gˡ = ∂(outer weights · D)/∂hˡ, with weights +1/n (fake), −1/n (real) and 1
    // (interpolated, for ∂D/∂x).
    var upstream = [Float](repeating: 0, count: total * lastWidth)
    for r in 0..<total {
      let weight: Float = r < n ? 1 / Float(n) : (r < 2 * n ? -1 / Float(n) : 1)
      for j in 0..<lastWidth { upstream[r * lastWidth + j] = weight * w[j] }
    }
    var deltas = [[Float]](repeating: [], count: hidden)
    var gradX: [Float] = []
    for l in stride(from: hidden, through: 0, by: -1) {
      if l == 0 {
        // ∂D/∂x on the interpolated packs only (already cut to them below the first layer).
        gradX = hidden == 0 ? Array(upstream[(2 * n * inputWidth)...]) : upstream
        break
      }
      factors[l - 1].withUnsafeBufferPointer { pe in
        upstream.withUnsafeMutableBufferPointer { pu in
          for i in 0..<pu.count { pu[i] *= pe[i] }
        }
      }
      deltas[l - 1] = upstream
      let width = widths[l]
      let fanIn = widths[l - 1]
      let rows = l == 1 ? n : total
      let first = l == 1 ? 2 * n : 0
      var next = [Float].uninitialized(rows * fanIn)
      upstream.withUnsafeBufferPointer { pu in
        critic.layers[l - 1].weight.value.data.withUnsafeBufferPointer { pw in
          next.withUnsafeMutableBufferPointer { pn in
            Kernels.sgemm(
              transposeA: false, transposeB: true, m: rows, n: fanIn, k: width,
              pu.baseAddress.map { $0 + first * width }, lda: width, pw.baseAddress, ldb: width,
              pn.baseAddress, ldc: fanIn)
          }
        }
      }
      upstream = next
    }
    // The penalty and R⁰ = ∂penalty/∂(∂D/∂x), row (pack) by row.
    var penalty: Float = 0
    let lambda = self.lambda
    gradX.withUnsafeMutableBufferPointer { pg in
      for r in 0..<n {
        var s: Float = 0
        for j in 0..<inputWidth { s += pg[r &* inputWidth &+ j] * pg[r &* inputWidth &+ j] }
        let norm = (s + 1e-12).squareRoot()
        penalty += (norm - 1) * (norm - 1)
        let coefficient = 2 * lambda / Float(n) * (norm - 1) / norm
        for j in 0..<inputWidth { pg[r &* inputWidth &+ j] *= coefficient }
      }
    }
    penalty *= lambda / Float(n)
    // The interpolated rows of each aˡ are replaced by Rˡ, so one product per layer gives
    // aˡ⁻¹ᵀgˡ over fake and real rows plus Rˡ⁻¹ᵀgˡ over interpolated ones.
    var residual = gradX
    var gradients: [Tensor] = []
    for l in 0..<hidden {
      let width = widths[l + 1]
      let fanIn = widths[l]
      activations[l].withUnsafeMutableBufferPointer { pa in
        residual.withUnsafeBufferPointer { pr in
          for i in 0..<(n * fanIn) { pa[2 &* n &* fanIn &+ i] = pr[i] }
        }
      }
      var gw = Tensor.uninitialized(rows: fanIn, cols: width)
      activations[l].withUnsafeBufferPointer { pa in
        deltas[l].withUnsafeBufferPointer { pd in
          gw.data.withUnsafeMutableBufferPointer { pg in
            Kernels.sgemm(
              transposeA: true, transposeB: false, m: fanIn, n: width, k: total,
              pa.baseAddress, lda: fanIn, pd.baseAddress, ldb: width,
              pg.baseAddress, ldc: width)
          }
        }
      }
      var gb = Tensor(rows: 1, cols: width)
      deltas[l].withUnsafeBufferPointer { pd in
        gb.data.withUnsafeMutableBufferPointer { pb in
          for r in 0..<(2 * n) {
            for j in 0..<width { pb[j] += pd[r &* width &+ j] }
          }
        }
      }
      gradients.append(gw)
      gradients.append(gb)
      // Rˡ = (Rˡ⁻¹Wˡ) ⊙ eˡ on the interpolated rows.
      var next = [Float].uninitialized(n * width)
      residual.withUnsafeBufferPointer { pr in
        critic.layers[l].weight.value.data.withUnsafeBufferPointer { pw in
          next.withUnsafeMutableBufferPointer { pn in
            Kernels.sgemm(
              transposeA: false, transposeB: false, m: n, n: width, k: fanIn,
              pr.baseAddress, lda: fanIn, pw.baseAddress, ldb: width,
              pn.baseAddress, ldc: width)
          }
        }
      }
      factors[l].withUnsafeBufferPointer { pe in
        next.withUnsafeMutableBufferPointer { pn in
          for i in 0..<(n * width) { pn[i] *= pe[2 &* n &* width &+ i] }
        }
      }
      residual = next
    }
    // Output layer: aᴸᵀ(±1/n) over fake and real rows plus the column sums of Rᴸ.
    var gw = Tensor(rows: lastWidth, cols: 1)
    activations[hidden].withUnsafeBufferPointer { pa in
      for r in 0..<(2 * n) {
        let weight: Float = r < n ? 1 / Float(n) : -1 / Float(n)
        for j in 0..<lastWidth { gw.data[j] += weight * pa[r &* lastWidth &+ j] }
      }
    }
    for r in 0..<n {
      for j in 0..<lastWidth { gw.data[j] += residual[r * lastWidth + j] }
    }
    gradients.append(gw)
    // Σ(+1/n) over n fake packs plus Σ(−1/n) over n real ones, as the generic graph sums it.
    var gb: Float = 0
    for _ in 0..<n { gb += 1 / Float(n) }
    var gbReal: Float = 0
    for _ in 0..<n { gbReal += -1 / Float(n) }
    gradients.append(Tensor(rows: 1, cols: 1, data: [gb + gbReal]))
    return Result(loss: meanFake - meanReal + penalty, penalty: penalty, gradients: gradients)
  }
}

extension CTGANDiscriminator {
  /// The critic with its weights read as constants, for the generator's step: gradients flow to
  /// the input only, and dropout is drawn as in ``callAsFunction(_:random:)``.
  func withConstantWeights(_ x: Variable, random: inout SeededGenerator) -> Variable {
    var h = reshape(x, rows: x.rows / pac, cols: x.cols * pac)
    for (k, layer) in layers.enumerated() {
      h = addRow(matmul(h, Variable(layer.weight.value)), Variable(layer.bias.value))
      if k < layers.count - 1 {
        h = dropout(leakyRelu(h, slope: 0.2), p: 0.5, random: &random)
      }
    }
    return h
  }
}
