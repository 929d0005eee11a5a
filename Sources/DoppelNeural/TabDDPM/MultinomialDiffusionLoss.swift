import Foundation

/// The categorical columns of a multinomial diffusion batch: per feature its class count, per
/// feature and row the true class of x_0 and the noisy class of x_t, and per row the step.
struct MultinomialBatch {
  /// K of each categorical feature, in the order of the network's output blocks.
  var sizes: [Int]
  /// [feature][row] the class of x_0.
  var start: [[Int32]]
  /// [feature][row] the class of x_t.
  var noisy: [[Int32]]
  /// [row] the posterior constants of the row's step t.
  var steps: [MultinomialStep]
}

/// Per row, the sum over categorical features of KL(q(x_{t−1} | x_t, x_0) ‖ p_θ(x_{t−1} | x_t)),
/// where p_θ is the posterior with x̂_0 = softmax(logits) of each feature's block (the "x0"
/// parametrization of multinomial diffusion, Hoogeboom et al. 2021, as TabDDPM's `compute_Lt`).
/// At t = 0 the true posterior is the one-hot x_0, so the term is the decoder's −log p_θ(x_0 | x_1).
///
/// The gradient with respect to the logits is exact: with u = log of the unnormalized model
/// posterior, ∂KL/∂u = p_θ − q, ∂u_c/∂log x̂_{0,c} = ᾱ_{t−1}·x̂_{0,c} / (ᾱ_{t−1}·x̂_{0,c} +
/// (1−ᾱ_{t−1})/K), then the log-softmax rule. It is recorded as a constant times the incoming
/// gradient, so it cannot be differentiated a second time.
/// - Parameters:
///   - logits: rows × ΣK network outputs.
///   - batch: The classes and steps.
/// - Returns: rows × 1.
func multinomialDiffusionKL(_ logits: Variable, batch: MultinomialBatch) -> Variable {
  let rows = logits.rows
  let width = logits.cols
  var value = Tensor(rows: rows, cols: 1)
  var gradient = Tensor(rows: rows, cols: width)
  let largest = batch.sizes.max() ?? 0
  var logStart = [Float](repeating: 0, count: largest)
  var trueStart = [Float](repeating: 0, count: largest)
  var modelPosterior = [Float](repeating: 0, count: largest)
  var truePosterior = [Float](repeating: 0, count: largest)
  var modelTerm = [Float](repeating: 0, count: largest)
  var trueTerm = [Float](repeating: 0, count: largest)
  logits.value.data.withUnsafeBufferPointer { z in
    gradient.data.withUnsafeMutableBufferPointer { grad in
      for row in 0..<rows {
        let step = batch.steps[row]
        var offset = 0
        var total: Float = 0
        for (feature, k) in batch.sizes.enumerated() {
          let base = row * width + offset
          offset += k
          // log-softmax of the feature's block.
          var m = -Float.infinity
          for c in 0..<k { m = max(m, z[base + c]) }
          var sum: Float = 0
          for c in 0..<k { sum += Foundation.exp(z[base + c] - m) }
          let lse = m + Foundation.log(sum)
          let start = Int(batch.start[feature][row])
          for c in 0..<k {
            logStart[c] = z[base + c] - lse
            trueStart[c] = c == start ? 0 : MultinomialPosterior.logZero
          }
          let noisy = Int(batch.noisy[feature][row])
          logStart.withUnsafeBufferPointer { ls in
            modelPosterior.withUnsafeMutableBufferPointer { out in
              modelTerm.withUnsafeMutableBufferPointer { term in
                MultinomialPosterior.logPosterior(
                  logStart: UnsafeBufferPointer(rebasing: ls[0..<k]), noisy: noisy, step: step,
                  output: UnsafeMutableBufferPointer(rebasing: out[0..<k]),
                  startTerm: UnsafeMutableBufferPointer(rebasing: term[0..<k]))
              }
            }
          }
          trueStart.withUnsafeBufferPointer { ls in
            truePosterior.withUnsafeMutableBufferPointer { out in
              trueTerm.withUnsafeMutableBufferPointer { term in
                MultinomialPosterior.logPosterior(
                  logStart: UnsafeBufferPointer(rebasing: ls[0..<k]), noisy: noisy, step: step,
                  output: UnsafeMutableBufferPointer(rebasing: out[0..<k]),
                  startTerm: UnsafeMutableBufferPointer(rebasing: term[0..<k]))
              }
            }
          }
          var gSum: Float = 0
          for c in 0..<k {
            let q = Foundation.exp(truePosterior[c])
            total += q * (truePosterior[c] - modelPosterior[c])
            let p = Foundation.exp(modelPosterior[c])
            let r = Foundation.exp(step.logAlphaBarBefore + logStart[c] - modelTerm[c])
            let g = (p - q) * r
            grad[base + c] = g
            gSum += g
          }
          for c in 0..<k { grad[base + c] -= Foundation.exp(logStart[c]) * gSum }
        }
        value.data[row] = total
      }
    }
  }
  return Variable(value, parents: [logits]) { g, _, _ in
    [mulConstant(broadcastCols(g, width), gradient)]
  }
}

/// x·σ(x), the sigmoid-weighted linear unit (Elfwing, Uchibe and Doya, "Sigmoid-weighted linear
/// units for neural network function approximation", Neural Networks 107, 2018), used in TabDDPM's
/// timestep embedding.
func silu(_ a: Variable) -> Variable {
  a * sigmoid(a)
}
