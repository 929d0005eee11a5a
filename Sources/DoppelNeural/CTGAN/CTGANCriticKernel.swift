import CKernels
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
/// a few large matrix products. In the first layer, the widest, the interpolated packs' product
/// is the same mix of the real and fake ones', and the real rows, mostly zeros (one-hot codes),
/// visit only their nonzero entries. The result equals differentiating the penalty's recorded graph
/// (checked against it and against finite differences in the tests).
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
    critic.layers.dropLast().map { layer in
      Tensor.dropoutMask(rows: packs, cols: layer.weight.cols, p: p, random: &random)
    }
  }

  /// `rows` copies of the layer's bias, row after row.
  static func biasRows(_ layer: Linear, rows: Int) -> [Float] {
    let width = layer.weight.cols
    var out = [Float].uninitialized(rows * width)
    layer.bias.value.data.withUnsafeBufferPointer { pb in
      out.withUnsafeMutableBufferPointer { po in
        for r in 0..<rows {
          for j in 0..<width { po[r &* width &+ j] = pb[j] }
        }
      }
    }
    return out
  }

  /// input·W + b for `rows` rows of `input` (row-major, the layer's fan-in wide).
  static func affine(_ input: [Float], rows: Int, _ layer: Linear) -> [Float] {
    let width = layer.weight.cols
    let fanIn = layer.weight.rows
    var out = biasRows(layer, rows: rows)
    input.withUnsafeBufferPointer { pa in
      layer.weight.value.data.withUnsafeBufferPointer { pw in
        out.withUnsafeMutableBufferPointer { po in
          Kernels.sgemm(
            transposeA: false, transposeB: false, m: rows, n: width, k: fanIn,
            pa.baseAddress, lda: fanIn, pw.baseAddress, ldb: width, beta: 1,
            po.baseAddress, ldc: width)
        }
      }
    }
    return out
  }

  /// Replaces the pre-activations `h` by m ⊙ LeakyReLU(h) for the dropout mask m and returns the
  /// factors e = m ⊙ LeakyReLU′(h), so that the activation is e ⊙ h.
  static func gate(_ h: inout [Float], mask: Tensor, slope: Float) -> [Float] {
    var e = [Float].uninitialized(h.count)
    mask.data.withUnsafeBufferPointer { pm in
      h.withUnsafeMutableBufferPointer { ph in
        e.withUnsafeMutableBufferPointer { pe in
          for i in 0..<ph.count {
            let factor = (ph[i] > 0 ? 1 : slope) * pm[i]
            pe[i] = factor
            ph[i] *= factor
          }
        }
      }
    }
    return e
  }

  /// Real packs whose share of nonzero inputs is at most this go through the first layer entry
  /// by entry; denser ones take a matrix product.
  static let sparseShare = 0.25

  /// The loss and gradients.
  /// - Parameters:
  ///   - critic: The critic (its current weights are read, not changed).
  ///   - pairs: Fake rows, then real rows (2·packs·pac rows, in unpacked layout: each pack is
  ///     `pac` consecutive rows).
  ///   - alphas: One weight α per pack: the interpolated pack is α·real + (1 − α)·fake.
  ///   - masks: One dropout mask per hidden layer with 3·packs rows: fake, real, interpolated.
  /// - Returns: The loss, the penalty and one gradient per parameter.
  func evaluate(critic: CTGANDiscriminator, pairs: Tensor, alphas: [Float], masks: [Tensor])
    -> Result
  {
    let pac = critic.pac
    let n = pairs.rows / pac / 2
    let total = 3 * n
    let hidden = critic.layers.count - 1
    let inputWidth = pairs.cols * pac
    let slope = self.slope
    let first = critic.layers[0]
    let firstWidth = first.weight.cols
    let real = SparseRows(pairs.data, from: n, count: n, width: inputWidth)
    // First layer: its pre-activation is affine in the input, so the interpolated packs' is
    // α·h(real) + (1 − α)·h(fake) and needs no product of its own; the mostly zero real rows
    // (one-hot codes) visit only their nonzero entries.
    var h = Self.biasRows(first, rows: total)
    pairs.data.withUnsafeBufferPointer { px in
      first.weight.value.data.withUnsafeBufferPointer { pw in
        h.withUnsafeMutableBufferPointer { ph in
          let rows = real.isSparse(share: Self.sparseShare) ? n : 2 * n
          Kernels.sgemm(
            transposeA: false, transposeB: false, m: rows, n: firstWidth, k: inputWidth,
            px.baseAddress, lda: inputWidth, pw.baseAddress, ldb: firstWidth, beta: 1,
            ph.baseAddress, ldc: firstWidth)
          if rows == n {
            real.multiply(pw, width: firstWidth, into: ph.baseAddress.map { $0 + n * firstWidth })
          }
          for r in 0..<n {
            let alpha = alphas[r]
            let f = r &* firstWidth
            let q = (n &+ r) &* firstWidth
            let i = (2 &* n &+ r) &* firstWidth
            for j in 0..<firstWidth {
              ph[i &+ j] = alpha * ph[q &+ j] + (1 - alpha) * ph[f &+ j]
            }
          }
        }
      }
    }
    // Forward: activations aˡ (3n × widthˡ; the input's are the fake and real rows only) and
    // factors eˡ.
    var activations: [[Float]] = [pairs.data]
    var factors: [[Float]] = []
    var widths = [inputWidth]
    for l in 0..<hidden {
      let layer = critic.layers[l]
      let width = layer.weight.cols
      if l > 0 { h = Self.affine(activations[l], rows: total, layer) }
      let e = Self.gate(&h, mask: masks[l], slope: slope)
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
    if hidden == 0 {
      // A linear critic: D is the first layer's output.
      for r in 0..<(2 * n) {
        if r < n { meanFake += h[r] } else { meanReal += h[r] }
      }
    } else {
      activations[hidden].withUnsafeBufferPointer { pa in
        for r in 0..<(2 * n) {
          var s: Float = bias
          for j in 0..<lastWidth { s += pa[r &* lastWidth &+ j] * w[j] }
          if r < n { meanFake += s } else { meanReal += s }
        }
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
    // One product per layer gives aˡ⁻¹ᵀgˡ over fake and real rows plus Rˡ⁻¹ᵀgˡ over
    // interpolated ones: the interpolated rows of each aˡ are replaced by Rˡ (the input's, which
    // has no interpolated rows, take products of their own).
    var residual = gradX
    var gradients: [Tensor] = []
    for l in 0..<hidden {
      let width = widths[l + 1]
      let fanIn = widths[l]
      if l > 0 {
        activations[l].withUnsafeMutableBufferPointer { pa in
          residual.withUnsafeBufferPointer { pr in
            for i in 0..<(n * fanIn) { pa[2 &* n &* fanIn &+ i] = pr[i] }
          }
        }
      }
      var gw = Tensor.uninitialized(rows: fanIn, cols: width)
      activations[l].withUnsafeBufferPointer { pa in
        deltas[l].withUnsafeBufferPointer { pd in
          gw.data.withUnsafeMutableBufferPointer { pg in
            if l > 0 {
              Kernels.sgemm(
                transposeA: true, transposeB: false, m: fanIn, n: width, k: total,
                pa.baseAddress, lda: fanIn, pd.baseAddress, ldb: width,
                pg.baseAddress, ldc: width)
              return
            }
            // The input layer: fake (and dense real) rows, the sparse real rows entry by
            // entry, and R⁰ for the interpolated rows.
            let sparse = real.isSparse(share: Self.sparseShare)
            Kernels.sgemm(
              transposeA: true, transposeB: false, m: fanIn, n: width, k: sparse ? n : 2 * n,
              pa.baseAddress, lda: fanIn, pd.baseAddress, ldb: width,
              pg.baseAddress, ldc: width)
            residual.withUnsafeBufferPointer { pr in
              Kernels.sgemm(
                transposeA: true, transposeB: false, m: fanIn, n: width, k: n,
                pr.baseAddress, lda: fanIn, pd.baseAddress.map { $0 + 2 * n * width },
                ldb: width, beta: 1, pg.baseAddress, ldc: width)
            }
            if sparse {
              real.multiplyTransposed(
                pd.baseAddress.map { $0 + n * width }, width: width, into: pg.baseAddress)
            }
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

/// Rows of a row-major matrix kept as their nonzero entries (compressed sparse rows).
struct SparseRows {
  /// Where each row's entries start in `columns` and `values`, with the end as last element.
  var starts: [Int] = [0]
  var columns: [Int] = []
  var values: [Float] = []
  let count: Int
  let width: Int

  /// Rows `from..<from + count` of `data`, `width` columns each.
  init(_ data: [Float], from: Int, count: Int, width: Int) {
    self.count = count
    self.width = width
    starts.reserveCapacity(count + 1)
    columns.reserveCapacity(count * width / 4)
    values.reserveCapacity(count * width / 4)
    data.withUnsafeBufferPointer { p in
      for r in from..<(from + count) {
        for c in 0..<width where p[r &* width &+ c] != 0 {
          columns.append(c)
          values.append(p[r &* width &+ c])
        }
        starts.append(columns.count)
      }
    }
  }

  /// Whether at most `share` of the entries are nonzero.
  func isSparse(share: Double) -> Bool {
    Double(values.count) <= share * Double(count * width)
  }

  /// out (count × `width` columns) += rows · B, with B row-major (`self.width` × `width`).
  func multiply(_ b: UnsafeBufferPointer<Float>, width: Int, into out: UnsafeMutablePointer<Float>?)
  {
    doppel_sparse_multiply(starts, columns, values, count, b.baseAddress, width, out)
  }

  /// out (`self.width` × `width`) += rowsᵀ · D, with D row-major (count × `width`).
  func multiplyTransposed(
    _ d: UnsafePointer<Float>?, width: Int, into out: UnsafeMutablePointer<Float>?
  ) {
    doppel_sparse_multiply_transposed(starts, columns, values, count, d, width, out)
  }
}

extension CTGANDiscriminator {
  /// mean D over the packs of `fake` rows joined with one-hot conditions, the weights read as
  /// constants (the generator's step): its gradient reaches `fake` only. Equal to
  /// `meanAll(withConstantWeights(concatCols([fake, c]), random:))` with `c` one-hot at `hot`,
  /// dropout drawn the same way, but the condition columns are row look-ups in the first layer
  /// and get no gradient, and the passes run on flat buffers (checked in the tests).
  /// - Parameters:
  ///   - fake: Generated rows after the output activation (rows × data width).
  ///   - hot: Per row the condition's hot column, or −1 for none.
  ///   - conditionWidth: The width of the condition vector.
  ///   - random: Draws the dropout masks.
  /// - Returns: mean D as a 1×1 result whose gradient flows to `fake`.
  func meanScore(
    fake: Variable, hot: [Int], conditionWidth: Int, random: inout SeededGenerator
  ) -> Variable {
    let dataWidth = fake.cols
    let rowWidth = dataWidth + conditionWidth
    let n = fake.rows / pac
    let hidden = layers.count - 1
    let slope: Float = 0.2
    let masks = layers.dropLast().map { layer in
      Tensor.dropoutMask(rows: n, cols: layer.weight.cols, p: 0.5, random: &random)
    }
    let first = layers[0]
    let firstWidth = first.weight.cols
    let inputWidth = pac * dataWidth
    // The first layer's rows for the data columns, contiguous: (pac·data width) × width.
    var compact = [Float].uninitialized(inputWidth * firstWidth)
    var h = CTGANCriticKernel.biasRows(first, rows: n)
    first.weight.value.data.withUnsafeBufferPointer { pw in
      compact.withUnsafeMutableBufferPointer { pc in
        for k in 0..<pac {
          for i in 0..<dataWidth {
            let source = (k &* rowWidth &+ i) &* firstWidth
            let target = (k &* dataWidth &+ i) &* firstWidth
            for j in 0..<firstWidth { pc[target &+ j] = pw[source &+ j] }
          }
        }
      }
      h.withUnsafeMutableBufferPointer { ph in
        for r in 0..<n {
          for k in 0..<pac where hot[r &* pac &+ k] >= 0 {
            let source = (k &* rowWidth &+ dataWidth &+ hot[r &* pac &+ k]) &* firstWidth
            for j in 0..<firstWidth { ph[r &* firstWidth &+ j] += pw[source &+ j] }
          }
        }
      }
    }
    fake.value.data.withUnsafeBufferPointer { px in
      compact.withUnsafeBufferPointer { pc in
        h.withUnsafeMutableBufferPointer { ph in
          Kernels.sgemm(
            transposeA: false, transposeB: false, m: n, n: firstWidth, k: inputWidth,
            px.baseAddress, lda: inputWidth, pc.baseAddress, ldb: firstWidth, beta: 1,
            ph.baseAddress, ldc: firstWidth)
        }
      }
    }
    // Forward through the other layers, keeping the factors eˡ = mˡ ⊙ LeakyReLU′(hˡ).
    var factors: [[Float]] = []
    for l in 0..<layers.count {
      if l > 0 { h = CTGANCriticKernel.affine(h, rows: n, layers[l]) }
      if l < hidden { factors.append(CTGANCriticKernel.gate(&h, mask: masks[l], slope: slope)) }
    }
    var mean: Float = 0
    for r in 0..<n { mean += h[r] }
    mean /= Float(n)
    // ∂mean/∂fake: 1/n per pack, back through the layers to the data columns.
    var upstream = [Float](repeating: 1 / Float(n), count: n)
    for l in stride(from: hidden, through: 0, by: -1) {
      let width = layers[l].weight.cols
      if l < hidden {
        factors[l].withUnsafeBufferPointer { pe in
          upstream.withUnsafeMutableBufferPointer { pu in
            for i in 0..<pu.count { pu[i] *= pe[i] }
          }
        }
      }
      let fanIn = l == 0 ? inputWidth : layers[l].weight.rows
      var next = [Float].uninitialized(n * fanIn)
      upstream.withUnsafeBufferPointer { pu in
        (l == 0 ? compact : layers[l].weight.value.data).withUnsafeBufferPointer { pw in
          next.withUnsafeMutableBufferPointer { pn in
            Kernels.sgemm(
              transposeA: false, transposeB: true, m: n, n: fanIn, k: width,
              pu.baseAddress, lda: width, pw.baseAddress, ldb: width,
              pn.baseAddress, ldc: fanIn)
          }
        }
      }
      upstream = next
    }
    let gradient = Tensor(rows: fake.rows, cols: dataWidth, data: upstream)
    return Variable(Tensor(rows: 1, cols: 1, data: [mean]), parents: [fake]) { g, _, _ in
      [Variable(Kernels.map(gradient) { $0 * g.scalar })]
    }
  }

}
