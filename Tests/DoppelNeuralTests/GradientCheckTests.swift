import DoppelCore
import Foundation
import Testing

@testable import DoppelNeural

/// Compares reverse-mode gradients with central finite differences.
///
/// The loss is Σ output ⊙ R for a fixed random R, so every output element matters. Float32 with
/// step h = 1e−2 gives a truncation error of O(h²) and a rounding error near 1e−5; the tolerance
/// is 2e−2 relative plus 2e−3 absolute.
enum GradientCheck {
  static let step: Float = 1e-2

  static func loss(_ output: Variable, _ weights: Tensor) -> Variable {
    sumAll(mulConstant(output, weights))
  }

  /// The largest error over all input elements, scaled by the tolerance (≤ 1 passes).
  static func firstOrder(_ inputs: [Tensor], seed: UInt64 = 7, _ f: ([Variable]) -> Variable)
    -> Float
  {
    var random = SeededGenerator(seed: seed)
    let probe = f(inputs.map { Variable($0) })
    let weights = Tensor.normal(rows: probe.rows, cols: probe.cols, random: &random)
    let leaves = inputs.map { Variable($0, requiresGrad: true) }
    let analytic = Autodiff.gradients(of: loss(f(leaves), weights), wrt: leaves)
    let numeric = finiteDifferences(inputs) { loss(f($0.map { Variable($0) }), weights).scalar }
    return worst(analytic.map(\.value), numeric)
  }

  /// Checks the gradient of h(x) = Σ (∂f/∂x ⊙ R) built with a differentiable gradient.
  static func secondOrder(_ inputs: [Tensor], seed: UInt64 = 11, _ f: ([Variable]) -> Variable)
    -> Float
  {
    var random = SeededGenerator(seed: seed)
    let probe = f(inputs.map { Variable($0) })
    let outer = Tensor.normal(rows: probe.rows, cols: probe.cols, random: &random)
    let inner = inputs.map { Tensor.normal(rows: $0.rows, cols: $0.cols, random: &random) }
    func h(_ leaves: [Variable], createGraph: Bool) -> Variable {
      let grads = Autodiff.gradients(
        of: loss(f(leaves), outer), wrt: leaves, createGraph: createGraph)
      var total = sumAll(mulConstant(grads[0], inner[0]))
      for k in 1..<grads.count { total = total + sumAll(mulConstant(grads[k], inner[k])) }
      return total
    }
    let leaves = inputs.map { Variable($0, requiresGrad: true) }
    let analytic = Autodiff.gradients(of: h(leaves, createGraph: true), wrt: leaves)
    let numeric = finiteDifferences(inputs) { values in
      h(values.map { Variable($0, requiresGrad: true) }, createGraph: false).scalar
    }
    return worst(analytic.map(\.value), numeric)
  }

  static func finiteDifferences(_ inputs: [Tensor], _ f: ([Tensor]) -> Float) -> [Tensor] {
    var result: [Tensor] = []
    for k in inputs.indices {
      var grad = Tensor(rows: inputs[k].rows, cols: inputs[k].cols)
      for i in 0..<inputs[k].count {
        var plus = inputs
        plus[k].data[i] += step
        var minus = inputs
        minus[k].data[i] -= step
        grad.data[i] = (f(plus) - f(minus)) / (2 * step)
      }
      result.append(grad)
    }
    return result
  }

  static func worst(_ a: [Tensor], _ b: [Tensor]) -> Float {
    var worst: Float = 0
    for (x, y) in zip(a, b) {
      for (p, q) in zip(x.data, y.data) {
        worst = max(worst, abs(p - q) / (2e-3 + 2e-2 * max(abs(p), abs(q))))
      }
    }
    return worst
  }

  /// An input and a weight matrix whose product stays at least 0.1 away from zero, so finite
  /// differences never cross the kink of a (leaky) ReLU: the first seed from `seed` on that
  /// gives such a pair.
  static func awayFromKinks(rows: Int, inputs: Int, hidden: Int, seed: UInt64) -> (Tensor, Tensor) {
    var s = seed
    while true {
      let x = input(rows, inputs, seed: s)
      let w = input(inputs, hidden, seed: s + 1000)
      let pre = Kernels.gemm(x, transposeA: false, w, transposeB: false)
      if pre.data.allSatisfy({ abs($0) > 0.1 }) { return (x, w) }
      s += 1
    }
  }

  /// Random values whose magnitudes stay at least `gap` away from zero (kinks of ReLU).
  static func input(_ rows: Int, _ cols: Int, seed: UInt64, gap: Float = 0, positive: Bool = false)
    -> Tensor
  {
    var random = SeededGenerator(seed: seed)
    var t = Tensor.normal(rows: rows, cols: cols, random: &random)
    for i in 0..<t.count {
      var x = t.data[i]
      if positive { x = abs(x) + 0.5 }
      if abs(x) < gap { x = x < 0 ? x - gap : x + gap }
      t.data[i] = x
    }
    return t
  }
}

@Suite struct GradientCheckTests {
  let a = GradientCheck.input(4, 3, seed: 1)
  let b = GradientCheck.input(4, 3, seed: 2)
  let w = GradientCheck.input(3, 5, seed: 3)
  let row = GradientCheck.input(1, 3, seed: 4)

  @Test func matrixProductsInAllTransposeCombinations() {
    let at = GradientCheck.input(3, 4, seed: 5)
    let wt = GradientCheck.input(5, 3, seed: 6)
    #expect(GradientCheck.firstOrder([a, w]) { matmul($0[0], $0[1]) } <= 1)
    #expect(GradientCheck.firstOrder([at, w]) { matmul($0[0], $0[1], transposeA: true) } <= 1)
    #expect(GradientCheck.firstOrder([a, wt]) { matmul($0[0], $0[1], transposeB: true) } <= 1)
    #expect(
      GradientCheck.firstOrder([at, wt]) {
        matmul($0[0], $0[1], transposeA: true, transposeB: true)
      } <= 1)
  }

  @Test func elementwiseArithmetic() {
    #expect(GradientCheck.firstOrder([a, b]) { $0[0] + $0[1] } <= 1)
    #expect(GradientCheck.firstOrder([a, b]) { $0[0] - $0[1] } <= 1)
    #expect(GradientCheck.firstOrder([a, b]) { $0[0] * $0[1] } <= 1)
    #expect(GradientCheck.firstOrder([a]) { scale(addScalar($0[0], 0.3), -1.7) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { square($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([a, row]) { addRow($0[0], $0[1]) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { addConstant($0[0], b) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { mulConstant($0[0], b) } <= 1)
  }

  @Test func activations() {
    let kinked = GradientCheck.input(4, 3, seed: 8, gap: 0.1)
    let positive = GradientCheck.input(4, 3, seed: 9, positive: true)
    #expect(GradientCheck.firstOrder([kinked]) { relu($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([kinked]) { leakyRelu($0[0], slope: 0.2) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { tanh($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { sigmoid($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { exp($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([positive]) { log($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([positive]) { sqrt($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([positive]) { reciprocal($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { softmax($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { logSoftmax($0[0]) } <= 1)
  }

  @Test func stochasticLayersWithFixedNoise() {
    // Fixed seeds make the noise the same in every evaluation, so the map is deterministic.
    #expect(
      GradientCheck.firstOrder([a]) {
        var random = SeededGenerator(seed: 5)
        return gumbelSoftmax($0[0], tau: 0.5, random: &random)
      } <= 1)
    #expect(
      GradientCheck.firstOrder([a]) {
        var random = SeededGenerator(seed: 6)
        return dropout($0[0], p: 0.5, random: &random)
      } <= 1)
  }

  /// The integer form of the dropout draw drops exactly the entries whose uniform falls below p,
  /// and keeps the rest scaled by 1/(1 − p).
  @Test(arguments: [Float(0.5), 0.25, 0.1, 0.9, 0, 1e-7])
  func dropoutMaskFollowsTheUniformRule(p: Float) {
    var fast = SeededGenerator(seed: 7)
    var slow = SeededGenerator(seed: 7)
    let mask = Tensor.dropoutMask(rows: 50, cols: 200, p: p, random: &fast)
    var dropped = 0
    for value in mask.data {
      let expected: Float = slow.nextUnit() < Double(p) ? 0 : 1 / (1 - p)
      #expect(value == expected)
      if value == 0 { dropped += 1 }
    }
    // 10,000 draws: the dropped share is within 5 standard deviations of p.
    let sd = (Double(p) * (1 - Double(p)) / 10_000).squareRoot()
    #expect(abs(Double(dropped) / 10_000 - Double(p)) <= 5 * sd + 1e-9)
  }

  @Test func shapesAndReductions() {
    #expect(GradientCheck.firstOrder([a]) { sumRows($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { sumCols($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { sumAll($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { meanAll($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([row]) { broadcastRows($0[0], 4) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { broadcastCols(sumCols($0[0]), 2) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { sliceCols($0[0], 1, 2) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { padCols($0[0], 2, 6) } <= 1)
    #expect(GradientCheck.firstOrder([a, b]) { concatCols([$0[0], $0[1], $0[0]]) } <= 1)
    #expect(GradientCheck.firstOrder([a]) { reshape($0[0], rows: 2, cols: 6) } <= 1)
  }

  @Test func lossesAndLayers() {
    #expect(GradientCheck.firstOrder([a]) { crossEntropy($0[0], targets: [0, 2, 1, 2]) } <= 1)
    #expect(GradientCheck.firstOrder([a, b]) { meanSquaredError($0[0], $0[1]) } <= 1)
    let norm = BatchNorm(3)
    norm.gamma.value = GradientCheck.input(1, 3, seed: 12)
    norm.beta.value = GradientCheck.input(1, 3, seed: 13)
    #expect(GradientCheck.firstOrder([a]) { norm($0[0], training: true) } <= 1)
    norm.runningMean = GradientCheck.input(1, 3, seed: 14)
    #expect(GradientCheck.firstOrder([a]) { norm($0[0], training: false) } <= 1)
  }

  @Test func secondOrderThroughADiscriminatorLikeNetwork() {
    // The WGAN-GP penalty differentiates ∂D/∂x with respect to the weights; check that path.
    let (x, w1) = GradientCheck.awayFromKinks(rows: 4, inputs: 3, hidden: 5, seed: 20)
    let w2 = GradientCheck.input(5, 1, seed: 22)
    #expect(
      GradientCheck.secondOrder([x, w1, w2]) { v in
        matmul(leakyRelu(matmul(v[0], v[1]), slope: 0.2), v[2])
      } <= 1)
    #expect(GradientCheck.secondOrder([a]) { tanh($0[0]) } <= 1)
    #expect(GradientCheck.secondOrder([a]) { sigmoid($0[0]) } <= 1)
    #expect(GradientCheck.secondOrder([a]) { softmax($0[0]) } <= 1)
    #expect(GradientCheck.secondOrder([a]) { logSoftmax($0[0]) } <= 1)
    #expect(GradientCheck.secondOrder([a]) { exp(scale($0[0], 0.5)) } <= 1)
    let positive = GradientCheck.input(4, 3, seed: 9, positive: true)
    #expect(GradientCheck.secondOrder([positive]) { sqrt($0[0]) } <= 1)
    #expect(GradientCheck.secondOrder([positive]) { log($0[0]) } <= 1)
    #expect(GradientCheck.secondOrder([positive]) { reciprocal($0[0]) } <= 1)
    #expect(GradientCheck.secondOrder([a, b]) { square($0[0] * $0[1]) } <= 1)
    #expect(GradientCheck.secondOrder([a]) { BatchNorm(3)($0[0], training: true) } <= 1)
    #expect(
      GradientCheck.secondOrder([a, row]) { v in
        sumCols(square(concatCols([sliceCols(v[0], 0, 2), addRow(v[0], v[1])])))
      } <= 1)
  }

  @Test func gradientPenaltyMatchesFiniteDifferences() {
    // ‖∂D/∂x‖ penalty as in WGAN-GP, differentiated with respect to the first layer's weights.
    let (x, w1) = GradientCheck.awayFromKinks(rows: 6, inputs: 3, hidden: 4, seed: 30)
    let w2 = GradientCheck.input(4, 1, seed: 32)
    func penalty(_ w: [Variable]) -> Variable {
      let input = Variable(x, requiresGrad: true)
      let d = matmul(leakyRelu(matmul(input, w[0]), slope: 0.2), w[1])
      let g = Autodiff.gradients(of: sumAll(d), wrt: [input], createGraph: true)[0]
      let norm = sqrt(addScalar(sumCols(square(g)), 1e-12))
      return meanAll(square(addScalar(norm, -1)))
    }
    let leaves = [Variable(w1, requiresGrad: true), Variable(w2, requiresGrad: true)]
    let analytic = Autodiff.gradients(of: penalty(leaves), wrt: leaves).map(\.value)
    let numeric = GradientCheck.finiteDifferences([w1, w2]) {
      penalty($0.map { Variable($0, requiresGrad: true) }).scalar
    }
    #expect(GradientCheck.worst(analytic, numeric) <= 1)
  }

  @Test func adamMinimizesAQuadratic() {
    let p = Variable(Tensor(rows: 1, cols: 3, data: [3, -2, 1]), requiresGrad: true)
    var adam = Adam(parameters: [p], learningRate: 0.1)
    let target = Tensor(rows: 1, cols: 3, data: [0.5, 0.25, -1])
    for _ in 0..<300 {
      let loss = meanSquaredError(p, Variable(target))
      let g = Autodiff.gradients(of: loss, wrt: [p])
      adam.update([p], gradients: g.map(\.value))
    }
    for (x, y) in zip(p.value.data, target.data) { #expect(abs(x - y) < 1e-2) }
  }

  @Test("Adam and AdamW steps equal the update rule written out element by element")
  func adamStepMatchesTheRule() {
    // 37 weights: whole vectors and a tail, for both kinds of weight decay, over three steps.
    for decoupled in [false, true] {
      let start = GradientCheck.input(1, 37, seed: 41)
      let p = Variable(start, requiresGrad: true)
      let (rate, beta1, beta2, decay): (Float, Float, Float, Float) = (0.01, 0.5, 0.9, 0.1)
      var adam = Adam(
        parameters: [p], learningRate: rate, beta1: beta1, beta2: beta2, weightDecay: decay,
        decoupled: decoupled)
      var w = start.data
      var m = [Float](repeating: 0, count: 37)
      var v = [Float](repeating: 0, count: 37)
      for step in 1...3 {
        let g = GradientCheck.input(1, 37, seed: UInt64(50 + step))
        adam.update([p], gradients: [g])
        let c1 = 1 - Foundation.pow(beta1, Float(step))
        let c2 = 1 - Foundation.pow(beta2, Float(step))
        for i in 0..<37 {
          let grad = g.data[i] + (decoupled ? 0 : decay) * w[i]
          m[i] = beta1 * m[i] + (1 - beta1) * grad
          v[i] = beta2 * v[i] + (1 - beta2) * grad * grad
          let update = (m[i] * (1 / c1)) / ((v[i] * (1 / c2)).squareRoot() + 1e-8)
          w[i] = w[i] * (decoupled ? 1 - rate * decay : 1) - rate * update
        }
        #expect(p.value.data == w)
      }
    }
  }

  @Test func weightsRoundTripThroughBase64() throws {
    let t = GradientCheck.input(3, 4, seed: 40)
    #expect(try StoredTensor(t).tensor() == t)
    var damaged = StoredTensor(t)
    damaged.rows = 5
    #expect(throws: DoppelError.self) { try damaged.tensor() }
  }
}
