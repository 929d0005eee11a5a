import DoppelCore
import Foundation

/// TabDDPM's denoising network (`MLPDiffusion` of the TabDDPM code): the input is projected to
/// `timeDimension` units and added to the timestep embedding (sinusoidal features of t, then
/// linear, SiLU, linear); then an MLP of linear layers with ReLU and dropout, and a linear head back
/// to the input width. The head's Gaussian part predicts the noise ε, its multinomial part the
/// logits of x̂_0 per feature.
final class TabDDPMDenoiser: @unchecked Sendable {
  let timeDimension: Int
  let projection: Linear
  let timeFirst: Linear
  let timeSecond: Linear
  let hidden: [Linear]
  let head: Linear

  init(width: Int, hiddenWidths: [Int], timeDimension: Int, random: inout SeededGenerator) {
    self.timeDimension = timeDimension
    projection = Linear(width, timeDimension, random: &random)
    timeFirst = Linear(timeDimension, timeDimension, random: &random)
    timeSecond = Linear(timeDimension, timeDimension, random: &random)
    var layers: [Linear] = []
    var inputs = timeDimension
    for h in hiddenWidths {
      layers.append(Linear(inputs, h, random: &random))
      inputs = h
    }
    hidden = layers
    head = Linear(inputs, width, random: &random)
  }

  var parameters: [Variable] {
    projection.parameters + timeFirst.parameters + timeSecond.parameters
      + hidden.flatMap(\.parameters) + head.parameters
  }

  /// The sinusoidal embedding of each step (Vaswani et al., "Attention Is All You Need", NeurIPS
  /// 2017, as guided diffusion's `timestep_embedding`): cos(t·f_i) then sin(t·f_i) with
  /// f_i = 10000^(−i/half), i < half = dimension/2; a zero column pads an odd dimension.
  static func sinusoidal(_ steps: [Int], dimension: Int) -> Tensor {
    let half = dimension / 2
    var out = Tensor(rows: steps.count, cols: dimension)
    let frequencies = (0..<half).map {
      Foundation.exp(-Foundation.log(10000.0) * Double($0) / Double(half))
    }
    for (row, t) in steps.enumerated() {
      for i in 0..<half {
        let argument = Double(t) * frequencies[i]
        out[row, i] = Float(Foundation.cos(argument))
        out[row, half + i] = Float(Foundation.sin(argument))
      }
    }
    return out
  }

  /// The learned embedding of the steps: rows × timeDimension.
  func timeEmbedding(_ steps: [Int]) -> Variable {
    let features = Variable(TabDDPMDenoiser.sinusoidal(steps, dimension: timeDimension))
    return timeSecond(silu(timeFirst(features)))
  }

  /// The network output for inputs x (rows × width) at the steps whose embedding is `time`
  /// (rows × timeDimension, or 1 × timeDimension shared by every row).
  func callAsFunction(
    _ x: Variable, time: Variable, dropout p: Float, random: inout SeededGenerator
  ) -> Variable {
    let projected = projection(x)
    var h = time.rows == x.rows ? projected + time : addRow(projected, time)
    for layer in hidden {
      h = dropout(relu(layer(h)), p: p, random: &random)
    }
    return head(h)
  }
}
