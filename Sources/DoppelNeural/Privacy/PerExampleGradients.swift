import DoppelCore
import Foundation

/// One application of a ``Linear`` layer to a batch whose rows are separate examples: its input
/// values and its output node, so the gradient at the output gives every example's gradient.
struct LinearTrace {
  /// The layer.
  let layer: Linear
  /// The layer's input, one row per example.
  let input: Tensor
  /// The layer's output x·W + b, a node of the graph.
  let output: Variable
}

/// A parameter that every example uses through its own row of a broadcast copy (such as TVAE's
/// output deviations), so the gradient at the copy's row i is example i's gradient.
struct RowBroadcastTrace {
  /// The 1×d parameter.
  let parameter: Variable
  /// The n×d copy, one row per example, a node of the graph.
  let copy: Variable
}

extension Linear {
  /// Applies the layer and records the application for per-example gradients.
  func traced(_ x: Variable, into traces: inout [LinearTrace]) -> Variable {
    let y = self(x)
    traces.append(LinearTrace(layer: self, input: x.value, output: y))
    return y
  }
}

/// Per-example gradients of networks made of linear layers, for DP-SGD (Abadi et al., "Deep
/// Learning with Differential Privacy", CCS 2016) without one backward pass per example.
///
/// For a linear layer y = x·W + b applied to one row per example, example i's gradient is the
/// outer product aᵢ ⊗ δᵢ of its input row aᵢ and the gradient δᵢ of the summed loss at its output
/// row (Goodfellow, "Efficient Per-Example Gradient Computations", 2015), so its squared norm is
/// ‖aᵢ‖²·‖δᵢ‖² without forming it ("ghost clipping", Lee and Kifer, "Scaling up Differentially
/// Private Deep Learning with Fast Per-Example Gradient Clipping", PoPETs 2021), and the sum of
/// clipped gradients is Aᵀ·diag(f)·Δ for the clipping factors f. This holds because the rows do
/// not interact (no batch normalization) and each layer sees one row per example.
enum PerExampleGradients {
  /// The gradients of a summed per-example loss at the traced nodes.
  struct Backward {
    /// δ at each traced linear output, n×out.
    let outputs: [Tensor]
    /// The per-row gradients of each broadcast parameter, n×d.
    let rows: [Tensor]
  }

  /// Runs one backward pass of `loss`, the sum of the examples' losses.
  static func backward(
    _ loss: Variable, linear: [LinearTrace], broadcast: [RowBroadcastTrace]
  ) -> Backward {
    let nodes = linear.map(\.output) + broadcast.map(\.copy)
    let grads = Autodiff.gradients(of: loss, wrt: nodes).map(\.value)
    return Backward(
      outputs: Array(grads[0..<linear.count]), rows: Array(grads[linear.count...]))
  }

  /// The squared gradient norm of each of the `rows` examples: Σ ‖aᵢ‖²‖δᵢ‖² + ‖δᵢ‖² over the
  /// linear layers plus the squared rows of the broadcast gradients.
  static func squaredNorms(rows: Int, linear: [LinearTrace], backward: Backward) -> [Float] {
    var norms = [Float](repeating: 0, count: rows)
    for (trace, delta) in zip(linear, backward.outputs) {
      let a = rowSquares(trace.input)
      let d = rowSquares(delta)
      for i in 0..<rows { norms[i] += (a[i] + 1) * d[i] }
    }
    for g in backward.rows {
      let s = rowSquares(g)
      for i in 0..<rows { norms[i] += s[i] }
    }
    return norms
  }

  /// The squared sum of each row.
  static func rowSquares(_ t: Tensor) -> [Float] {
    var out = [Float](repeating: 0, count: t.rows)
    t.data.withUnsafeBufferPointer { d in
      for i in 0..<t.rows {
        var s: Float = 0
        for j in (i * t.cols)..<((i + 1) * t.cols) { s += d[j] * d[j] }
        out[i] = s
      }
    }
    return out
  }

  /// The factor min(1, C/‖gᵢ‖) that scales each example's gradient to norm at most C.
  /// - Parameters:
  ///   - squaredNorms: ‖gᵢ‖² per example.
  ///   - clip: C > 0.
  /// - Returns: One factor in [0, 1] per example.
  static func clipFactors(squaredNorms: [Float], clip: Float) -> [Float] {
    squaredNorms.map { min(1, clip / max($0.squareRoot(), 1e-12)) }
  }

  /// Σᵢ fᵢ·gᵢ for every parameter in `parameters` (zero for those not traced).
  static func weightedSums(
    parameters: [Variable], linear: [LinearTrace], broadcast: [RowBroadcastTrace],
    backward: Backward, factors: [Float]
  ) -> [Tensor] {
    var sums: [ObjectIdentifier: Tensor] = [:]
    let column = Tensor(rows: factors.count, cols: 1, data: factors)
    func accumulate(_ parameter: Variable, _ value: Tensor) {
      let id = ObjectIdentifier(parameter)
      if let existing = sums[id] {
        sums[id] = Kernels.zip(existing, value, +)
      } else {
        sums[id] = value
      }
    }
    for (trace, delta) in zip(linear, backward.outputs) {
      let scaled = Kernels.zip(delta, Kernels.broadcastCols(column, cols: delta.cols), *)
      accumulate(
        trace.layer.weight, Kernels.gemm(trace.input, transposeA: true, scaled, transposeB: false))
      accumulate(trace.layer.bias, Kernels.sumRows(scaled))
    }
    for (trace, g) in zip(broadcast, backward.rows) {
      accumulate(
        trace.parameter,
        Kernels.sumRows(Kernels.zip(g, Kernels.broadcastCols(column, cols: g.cols), *)))
    }
    return parameters.map { sums[ObjectIdentifier($0)] ?? Tensor(rows: $0.rows, cols: $0.cols) }
  }

  /// Example `row`'s full gradient for every parameter (zero for those not traced), formed
  /// explicitly; for checks, as DP-SGD needs only norms and weighted sums.
  static func gradient(
    ofRow row: Int, rows: Int, parameters: [Variable], linear: [LinearTrace],
    broadcast: [RowBroadcastTrace], backward: Backward
  ) -> [Tensor] {
    var factors = [Float](repeating: 0, count: rows)
    factors[row] = 1
    return weightedSums(
      parameters: parameters, linear: linear, broadcast: broadcast, backward: backward,
      factors: factors)
  }

  /// Adds Gaussian noise N(0, (σC)²) to each summed clipped gradient and divides by the
  /// expected batch size, as DP-SGD's noisy average.
  static func noisyAverage(
    _ sums: [Tensor], noise: Float, clip: Float, expectedRows: Int,
    random: inout SeededGenerator
  ) -> [Tensor] {
    let scale = 1 / Float(max(expectedRows, 1))
    return sums.map { sum in
      var out = sum
      for j in 0..<out.count {
        out.data[j] = (out.data[j] + noise * clip * Float(random.nextNormal())) * scale
      }
      return out
    }
  }

  /// The clipped, noised average gradient of a summed per-example loss: one backward pass,
  /// ghost norms, clipping factors, weighted sums, noise.
  /// - Returns: Gradients in the order of `parameters`.
  static func privateGradients(
    of loss: Variable, rows: Int, parameters: [Variable], linear: [LinearTrace],
    broadcast: [RowBroadcastTrace], clip: Float, noise: Float, expectedRows: Int,
    random: inout SeededGenerator
  ) -> [Tensor] {
    let sums: [Tensor]
    if rows > 0 {
      let back = backward(loss, linear: linear, broadcast: broadcast)
      let factors = clipFactors(
        squaredNorms: squaredNorms(rows: rows, linear: linear, backward: back), clip: clip)
      sums = weightedSums(
        parameters: parameters, linear: linear, broadcast: broadcast, backward: back,
        factors: factors)
    } else {
      sums = parameters.map { Tensor(rows: $0.rows, cols: $0.cols) }
    }
    return noisyAverage(
      sums, noise: noise, clip: clip, expectedRows: expectedRows, random: &random)
  }
}
