import DoppelCore
import DoppelModels
import Foundation

/// A fitted TabDDPM: the column encoding and the denoiser's weights.
public struct TabDDPMModel: FittedModel, Equatable {
  /// The registry name.
  public static let kind = TabDDPMSynthesizer.kind
  /// Rows that are denoised together and share one random stream when sampling.
  public static let blockSize = 1024

  /// The hyper-parameters it was fitted with.
  public let synthesizer: TabDDPMSynthesizer
  /// The training table's metadata.
  public let metadata: TableMetadata
  /// The number of training rows.
  public let trainingRowCount: Int
  /// How columns map to Gaussian and multinomial features.
  public let encoder: TabDDPMEncoder
  /// The denoiser's weights, layer by layer (weight, bias).
  public let weights: [StoredTensor]
  /// The epoch kept by early stopping and its validation score, when validation was on.
  public let earlyStopping: EarlyStoppingRecord?

  /// Creates a model from its parts.
  /// - Parameters:
  ///   - synthesizer: The hyper-parameters.
  ///   - metadata: The training metadata.
  ///   - trainingRowCount: The number of training rows.
  ///   - encoder: The column encoding.
  ///   - weights: The denoiser's weights.
  ///   - earlyStopping: What early stopping chose, if it was on.
  public init(
    synthesizer: TabDDPMSynthesizer, metadata: TableMetadata, trainingRowCount: Int,
    encoder: TabDDPMEncoder, weights: [StoredTensor], earlyStopping: EarlyStoppingRecord? = nil
  ) {
    self.earlyStopping = earlyStopping
    self.synthesizer = synthesizer
    self.metadata = metadata
    self.trainingRowCount = trainingRowCount
    self.encoder = encoder
    self.weights = weights
  }

  private enum CodingKeys: String, CodingKey {
    case synthesizer, metadata, trainingRowCount, encoder, weights, earlyStopping
  }

  /// Decodes a model and checks that its parts fit together.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `corruptModel`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      synthesizer: try c.decode(TabDDPMSynthesizer.self, forKey: .synthesizer),
      metadata: try c.decode(TableMetadata.self, forKey: .metadata),
      trainingRowCount: try c.decode(Int.self, forKey: .trainingRowCount),
      encoder: try c.decode(TabDDPMEncoder.self, forKey: .encoder),
      weights: try c.decode([StoredTensor].self, forKey: .weights),
      earlyStopping: try c.decodeIfPresent(EarlyStoppingRecord.self, forKey: .earlyStopping))
    guard trainingRowCount >= 0 else {
      throw DoppelError(.corruptModel, "the model's training row count is negative")
    }
    try encoder.validate(against: metadata)
    _ = try network()
  }

  private func network() throws -> TabDDPMDenoiser {
    var random = SeededGenerator(seed: 0)
    let sizes = encoder.features.map(\.size)
    let net = TabDDPMDenoiser(
      width: encoder.numericColumns.count + sizes.reduce(0, +),
      hiddenWidths: Array(repeating: synthesizer.hiddenWidth, count: synthesizer.hiddenLayers),
      timeDimension: synthesizer.timeDimension, random: &random)
    try weights.load(into: net.parameters)
    return net
  }

  /// Generates the rows at positions `range` of the sample for `seed`.
  ///
  /// Ancestral sampling over all T steps, as the TabDDPM code: numbers start from N(0, I) and take
  /// x_{t−1} = 1/√α_t·(x_t − β_t/√(1−ᾱ_t)·ε̂) + √β_t·z (no noise at t = 0); each categorical
  /// feature starts from a uniform class and draws x_{t−1} from the model posterior
  /// q(x_{t−1} | x_t, x̂_0). Rows come in blocks of ``blockSize`` denoised together; block b draws
  /// all its noise from the stream (`seed`, "tabddpm sample", b), so any range — and any way of
  /// splitting a sample into ranges — reproduces the same rows.
  /// - Parameters:
  ///   - range: Row positions.
  ///   - seed: The sampling seed.
  /// - Returns: The sampled table.
  /// - Throws: ``DoppelError`` if the model is damaged.
  /// - Complexity: O(T·rows·network size), computed in whole blocks.
  public func sample(range: Range<Int>, seed: UInt64) throws -> Table {
    let net = try network()
    let schedule = DiffusionSchedule(synthesizer.schedule, steps: synthesizer.timesteps)
    let sizes = encoder.features.map(\.size)
    let numericCount = encoder.numericColumns.count
    let width = numericCount + sizes.count
    // The time embeddings of every step, computed once.
    let embeddings = (0..<schedule.steps).map { net.timeEmbedding([$0]).value }
    let output = NeuralSampling.blocks(
      range: range, blockSize: TabDDPMModel.blockSize, width: width
    ) { block, count in
      var random = SeededGenerator(seed: seed, label: "tabddpm sample", index: UInt64(block))
      return TabDDPMModel.denoise(
        rows: count, net: net, schedule: schedule, numericCount: numericCount, sizes: sizes,
        embeddings: embeddings, random: &random)
    }
    var numbers: [[Float]] = []
    for f in 0..<numericCount { numbers.append((0..<range.count).map { output[$0, f] }) }
    var classes: [[Int32]] = []
    for f in sizes.indices {
      classes.append((0..<range.count).map { Int32(output[$0, numericCount + f]) })
    }
    return try encoder.decode(
      numbers: numbers, classes: classes, metadata: metadata, range: range, seed: seed)
  }

  /// Runs the reverse process for one block; returns rows × (numbers, classes as floats).
  static func denoise(
    rows: Int, net: TabDDPMDenoiser, schedule: DiffusionSchedule, numericCount: Int, sizes: [Int],
    embeddings: [Tensor], random: inout SeededGenerator
  ) -> Tensor {
    let inputWidth = numericCount + sizes.reduce(0, +)
    var numbers = Tensor.normal(rows: rows, cols: numericCount, random: &random)
    var classes = sizes.map { k in (0..<rows).map { _ in random.nextInt(below: k) } }
    let largest = sizes.max() ?? 0
    var probabilities = [Float](repeating: 0, count: largest)
    var unusedRandom = SeededGenerator(seed: 0)
    for t in stride(from: schedule.steps - 1, through: 0, by: -1) {
      var input = Tensor(rows: rows, cols: inputWidth)
      for i in 0..<rows {
        for f in 0..<numericCount { input[i, f] = numbers[i, f] }
      }
      var offset = numericCount
      for (f, k) in sizes.enumerated() {
        for i in 0..<rows { input[i, offset + classes[f][i]] = 1 }
        offset += k
      }
      let out = net(
        Variable(input), time: Variable(embeddings[t]), dropout: 0, random: &unusedRandom
      ).value
      let (a, b, sigma) = schedule.gaussianReverse(t)
      for i in 0..<rows {
        for f in 0..<numericCount {
          var x = a * numbers[i, f] - b * out[i, f]
          if sigma > 0 { x += sigma * Float(random.nextNormal()) }
          numbers[i, f] = x
        }
      }
      // The model posterior in probability space: softmax(logits) = x̂_0, then
      // (ᾱ_{t−1}·x̂_0 + (1−ᾱ_{t−1})/K) ⊙ (α_t·e_j + (1−α_t)/K), normalized.
      let before = Float(schedule.alphaBarBefore(t))
      let alpha = Float(schedule.alphas[t])
      offset = numericCount
      for (f, k) in sizes.enumerated() {
        let uniformBefore = (1 - before) / Float(k)
        let uniformNow = (1 - alpha) / Float(k)
        out.data.withUnsafeBufferPointer { o in
          for i in 0..<rows {
            let base = i * inputWidth + offset
            var m = -Float.infinity
            for c in 0..<k { m = max(m, o[base + c]) }
            var sum: Float = 0
            for c in 0..<k {
              let e = Foundation.exp(o[base + c] - m)
              probabilities[c] = e
              sum += e
            }
            let j = classes[f][i]
            var total: Float = 0
            for c in 0..<k {
              let p =
                (before * probabilities[c] / sum + uniformBefore)
                * (c == j ? alpha + uniformNow : uniformNow)
              probabilities[c] = p
              total += p
            }
            let u = Float(random.nextUnit()) * total
            var chosen = k - 1
            var running: Float = 0
            for c in 0..<k {
              running += probabilities[c]
              if u < running {
                chosen = c
                break
              }
            }
            classes[f][i] = chosen
          }
        }
        offset += k
      }
    }
    var result = Tensor(rows: rows, cols: numericCount + sizes.count)
    for i in 0..<rows {
      for f in 0..<numericCount { result[i, f] = numbers[i, f] }
      for f in sizes.indices { result[i, numericCount + f] = Float(classes[f][i]) }
    }
    return result
  }
}
