import DoppelCore
import Foundation

extension ReLUStack {
  /// Applies the layers as ``callAsFunction(_:reluLast:)``, recording each linear layer.
  func traced(_ x: Variable, reluLast: Bool = false, into traces: inout [LinearTrace])
    -> Variable
  {
    var h = x
    for (k, layer) in layers.enumerated() {
      h = layer.traced(h, into: &traces)
      if k < layers.count - 1 || reluLast { h = relu(h) }
    }
    return h
  }
}

extension TVAETrainer {
  /// The sum over rows of each row's TVAE loss (the loss of ``loss(_:targets:)`` on that row
  /// alone), with every linear layer traced and the output deviations broadcast one row per
  /// example, so per-example gradients come from one backward pass.
  mutating func tracedRowLosses(_ batch: Tensor, targets: [[Int]]) -> (
    Variable, [LinearTrace], [RowBroadcastTrace]
  ) {
    let n = batch.rows
    var traces: [LinearTrace] = []
    let x = Variable(batch)
    let h = synthesizer.hiddenLayers > 0 ? body.traced(x, reluLast: true, into: &traces) : x
    let mu = mean.traced(h, into: &traces)
    let logVar = logVariance.traced(h, into: &traces)
    let eps = Tensor.normal(rows: n, cols: mu.cols, random: &random)
    let z = mu + mulConstant(exp(scale(logVar, 0.5)), eps)
    let reconstruction = decoder.traced(z, into: &traces)
    let sigmas = broadcastRows(sigma, n)
    let mask = Kernels.broadcastRows(scalarMask, rows: n)
    let residual = mulConstant(x - tanh(reconstruction), mask)
    let inverseVariance = scale(reciprocal(square(sigmas)), 0.5)
    var loss = sumAll(square(residual) * inverseVariance)
    loss = loss + sumAll(mulConstant(log(sigmas), mask))
    var spanIndex = 0
    for span in spans {
      guard case .oneHot(let offset, let count) = span else { continue }
      let logits = sliceCols(reconstruction, offset, count)
      loss = loss + scale(crossEntropy(logits, targets: targets[spanIndex]), Float(n))
      spanIndex += 1
    }
    let kl = scale(sumAll(addScalar(logVar - square(mu) - exp(logVar), 1)), -0.5)
    let total = scale(loss, Float(synthesizer.lossFactor)) + kl
    return (total, traces, [RowBroadcastTrace(parameter: sigma, copy: sigmas)])
  }

  /// One DP-SGD step (Abadi et al., "Deep Learning with Differential Privacy", CCS 2016): each
  /// row's gradient is clipped to norm `clip`, the clipped gradients are summed, Gaussian noise
  /// of deviation `noise`·`clip` is added, and the sum is divided by the expected batch size.
  /// Per-row gradients come from one backward pass (``PerExampleGradients``). Returns the mean
  /// loss of the rows.
  mutating func privateStep(
    _ batch: Tensor, targets: [[Int]], clip: Float, noise: Float, expectedRows: Int
  ) -> Float {
    let params = parameters
    let (loss, linear, broadcast) = tracedRowLosses(batch, targets: targets)
    let gradients = PerExampleGradients.privateGradients(
      of: loss, rows: batch.rows, parameters: params, linear: linear, broadcast: broadcast,
      clip: clip, noise: noise, expectedRows: expectedRows, random: &random)
    adam.update(params, gradients: gradients)
    sigma.value = Kernels.map(sigma.value) { min(max($0, 0.01), 1) }
    return batch.rows > 0 ? loss.scalar / Float(batch.rows) : 0
  }
}
