import CKernels
import DoppelCore
import Foundation

/// A fully connected layer y = x·W + b, initialized like PyTorch's `nn.Linear` (uniform in
/// ±1/√fan-in, He et al., "Delving Deep into Rectifiers", ICCV 2015, with a = √5).
final class Linear: @unchecked Sendable {
  let weight: Variable
  let bias: Variable

  init(_ inputs: Int, _ outputs: Int, random: inout SeededGenerator) {
    let bound = 1 / Float(max(inputs, 1)).squareRoot()
    weight = Variable(
      .uniform(rows: inputs, cols: outputs, low: -bound, high: bound, random: &random),
      requiresGrad: true)
    bias = Variable(
      .uniform(rows: 1, cols: outputs, low: -bound, high: bound, random: &random),
      requiresGrad: true)
  }

  func callAsFunction(_ x: Variable) -> Variable {
    addRow(matmul(x, weight), bias)
  }

  var parameters: [Variable] { [weight, bias] }
}

/// Batch normalization over the rows of a batch (Ioffe and Szegedy, "Batch Normalization", ICML
/// 2015), with running statistics for inference (momentum 0.1, ε = 1e−5, as PyTorch).
final class BatchNorm: @unchecked Sendable {
  let gamma: Variable
  let beta: Variable
  var runningMean: Tensor
  var runningVariance: Tensor
  let epsilon: Float = 1e-5
  let momentum: Float = 0.1

  init(_ features: Int) {
    gamma = Variable(Tensor(rows: 1, cols: features, repeating: 1), requiresGrad: true)
    beta = Variable(Tensor(rows: 1, cols: features), requiresGrad: true)
    runningMean = Tensor(rows: 1, cols: features)
    runningVariance = Tensor(rows: 1, cols: features, repeating: 1)
  }

  func callAsFunction(_ x: Variable, training: Bool) -> Variable {
    let n = x.rows
    if training && n > 1 {
      let mean = scale(sumRows(x), 1 / Float(n))
      let centered = x - broadcastRows(mean, n)
      let variance = scale(sumRows(square(centered)), 1 / Float(n))
      let inverse = reciprocal(sqrt(addScalar(variance, epsilon)))
      let normalized = centered * broadcastRows(inverse, n)
      let unbiased = Float(n) / Float(n - 1)
      for c in 0..<runningMean.cols {
        runningMean.data[c] =
          (1 - momentum) * runningMean.data[c] + momentum * mean.value.data[c]
        runningVariance.data[c] =
          (1 - momentum) * runningVariance.data[c] + momentum * variance.value.data[c] * unbiased
      }
      return addRow(normalized * broadcastRows(gamma, n), beta)
    }
    let inverse = Kernels.map(runningVariance) { 1 / ($0 + epsilon).squareRoot() }
    let shift = Kernels.map(runningMean) { -$0 }
    let normalized = mulConstant(
      addConstant(x, Kernels.broadcastRows(shift, rows: n)), Kernels.broadcastRows(inverse, rows: n)
    )
    return addRow(normalized * broadcastRows(gamma, n), beta)
  }

  var parameters: [Variable] { [gamma, beta] }
}

/// Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), with L2 weight
/// decay added to the gradient as PyTorch's `Adam`, or decoupled as AdamW (Loshchilov and Hutter,
/// "Decoupled Weight Decay Regularization", ICLR 2019).
struct Adam: Sendable {
  var learningRate: Float
  var beta1: Float
  var beta2: Float
  var epsilon: Float = 1e-8
  var weightDecay: Float
  var decoupled: Bool
  var step = 0
  var m: [Tensor]
  var v: [Tensor]

  init(
    parameters: [Variable], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
    weightDecay: Float = 0, decoupled: Bool = false
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.weightDecay = weightDecay
    self.decoupled = decoupled
    m = parameters.map { Tensor(rows: $0.rows, cols: $0.cols) }
    v = m
  }

  /// Updates `parameters` in place from their gradients (same order as at creation).
  mutating func update(_ parameters: [Variable], gradients: [Tensor]) {
    step += 1
    let c1 = 1 - Foundation.pow(beta1, Float(step))
    let c2 = 1 - Foundation.pow(beta2, Float(step))
    let beta1 = self.beta1
    let beta2 = self.beta2
    let epsilon = self.epsilon
    let rate = learningRate
    // L2 decay joins the gradient; decoupled decay shrinks the weight before the step.
    let l2: Float = decoupled ? 0 : weightDecay
    let shrink: Float = decoupled ? 1 - learningRate * weightDecay : 1
    let inverseC1 = 1 / c1
    let inverseC2 = 1 / c2
    for (k, parameter) in parameters.enumerated() {
      let g = gradients[k]
      let count = g.count
      parameter.value.data.withUnsafeMutableBufferPointer { w in
        m[k].data.withUnsafeMutableBufferPointer { mm in
          v[k].data.withUnsafeMutableBufferPointer { vv in
            g.data.withUnsafeBufferPointer { gg in
              guard let w = w.baseAddress, let mm = mm.baseAddress, let vv = vv.baseAddress,
                let gg = gg.baseAddress
              else { return }
              doppel_adam_update(
                w, mm, vv, gg, count, beta1, beta2, inverseC1, inverseC2, epsilon, rate, l2,
                shrink)
            }
          }
        }
      }
    }
  }
}
