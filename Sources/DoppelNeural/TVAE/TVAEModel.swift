import DoppelCore
import DoppelModels
import Foundation

/// A fitted TVAE: the column encoding, the decoder's weights and the learned scalar deviations.
public struct TVAEModel: FittedModel, Equatable {
  /// The registry name.
  public static let kind = TVAESynthesizer.kind
  /// Rows that share one random stream when sampling.
  public static let blockSize = 1024

  /// The hyper-parameters it was fitted with.
  public let synthesizer: TVAESynthesizer
  /// The training table's metadata.
  public let metadata: TableMetadata
  /// The number of training rows.
  public let trainingRowCount: Int
  /// How columns map to network vectors.
  public let encoder: TabularEncoder
  /// The decoder's weights, layer by layer (weight, bias).
  public let decoder: [StoredTensor]
  /// The learned standard deviation of each output scalar.
  public let sigmas: StoredTensor
  /// The (ε, δ) guarantee when trained with DP-SGD.
  public let privacy: PrivacyGuarantee?
  /// The epoch kept by early stopping and its validation score, when validation was on.
  public let earlyStopping: EarlyStoppingRecord?

  /// Creates a model from its parts.
  /// - Parameters:
  ///   - synthesizer: The hyper-parameters.
  ///   - metadata: The training metadata.
  ///   - trainingRowCount: The number of training rows.
  ///   - encoder: The column encoding.
  ///   - decoder: The decoder's weights.
  ///   - sigmas: The output deviations.
  ///   - privacy: The DP-SGD guarantee, if any.
  ///   - earlyStopping: What early stopping chose, if it was on.
  public init(
    synthesizer: TVAESynthesizer, metadata: TableMetadata, trainingRowCount: Int,
    encoder: TabularEncoder, decoder: [StoredTensor], sigmas: StoredTensor,
    privacy: PrivacyGuarantee? = nil, earlyStopping: EarlyStoppingRecord? = nil
  ) {
    self.earlyStopping = earlyStopping
    self.privacy = privacy
    self.synthesizer = synthesizer
    self.metadata = metadata
    self.trainingRowCount = trainingRowCount
    self.encoder = encoder
    self.decoder = decoder
    self.sigmas = sigmas
  }

  private enum CodingKeys: String, CodingKey {
    case synthesizer, metadata, trainingRowCount, encoder, decoder, sigmas, privacy
    case earlyStopping
  }

  /// Decodes a model and checks that its parts fit together.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `corruptModel`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      synthesizer: try c.decode(TVAESynthesizer.self, forKey: .synthesizer),
      metadata: try c.decode(TableMetadata.self, forKey: .metadata),
      trainingRowCount: try c.decode(Int.self, forKey: .trainingRowCount),
      encoder: try c.decode(TabularEncoder.self, forKey: .encoder),
      decoder: try c.decode([StoredTensor].self, forKey: .decoder),
      sigmas: try c.decode(StoredTensor.self, forKey: .sigmas),
      privacy: try c.decodeIfPresent(PrivacyGuarantee.self, forKey: .privacy),
      earlyStopping: try c.decodeIfPresent(EarlyStoppingRecord.self, forKey: .earlyStopping))
    try encoder.validate(against: metadata)
    _ = try network()
  }

  static func decoderNetwork(
    synthesizer: TVAESynthesizer, width: Int, random: inout SeededGenerator
  ) -> ReLUStack {
    let hidden = Array(repeating: synthesizer.hiddenWidth, count: synthesizer.hiddenLayers)
    return ReLUStack(
      widths: [synthesizer.embeddingDimension] + hidden.reversed() + [width], random: &random)
  }

  private func network() throws -> (ReLUStack, Tensor) {
    var random = SeededGenerator(seed: 0)
    let net = TVAEModel.decoderNetwork(
      synthesizer: synthesizer, width: encoder.width, random: &random)
    try decoder.load(into: net.parameters)
    let s = try sigmas.tensor()
    guard s.rows == 1, s.cols == encoder.width else {
      throw DoppelError(.corruptModel, "the model's output deviations have the wrong shape")
    }
    return (net, s)
  }

  /// Generates the rows at positions `range` of the sample for `seed`.
  ///
  /// Rows come in blocks of ``blockSize``; block b draws its latent vectors and output noise from
  /// the stream (`seed`, "tvae sample", b), so any range reproduces the same rows. Scalars get the
  /// decoder's Gaussian noise; each one-hot block is drawn from the decoder's softmax (the
  /// paper's code takes the arg-max, which over-represents the most likely category of a
  /// briefly trained model).
  /// - Parameters:
  ///   - range: Row positions.
  ///   - seed: The sampling seed.
  /// - Returns: The sampled table.
  /// - Throws: ``DoppelError`` if the model is damaged.
  public func sample(range: Range<Int>, seed: UInt64) throws -> Table {
    let (net, sigma) = try network()
    let spans = encoder.spans
    let output = NeuralSampling.blocks(
      range: range, blockSize: TVAEModel.blockSize, width: encoder.width
    ) {
      block, count in
      var random = SeededGenerator(seed: seed, label: "tvae sample", index: UInt64(block))
      let z = Tensor.normal(rows: count, cols: synthesizer.embeddingDimension, random: &random)
      var out = net(Variable(z)).value
      for span in spans {
        switch span {
        case .scalar(let offset):
          for row in 0..<count {
            let noisy =
              Foundation.tanh(out[row, offset]) + sigma.data[offset] * Float(random.nextNormal())
            out[row, offset] = min(max(noisy, -1), 1)
          }
        case .oneHot(let offset, let width):
          // Gumbel-max: the largest of logit + Gumbel noise is a draw from the softmax.
          for row in 0..<count {
            for k in offset..<(offset + width) {
              out[row, k] += Float(-Foundation.log(-Foundation.log(random.nextOpenUnit())))
            }
          }
        }
      }
      return out
    }
    return try encoder.decode(output, metadata: metadata, range: range, seed: seed)
  }
}

/// Sampling in fixed blocks of rows, each computed whole, so any range gives the same rows.
enum NeuralSampling {
  /// Computes the blocks overlapping `range` with `make(block, rows)` and keeps the rows in range.
  ///
  /// Blocks run concurrently on the cores, each with one BLAS thread (``Kernels/threadCount``):
  /// a block's rows depend only on its index, never on which thread computed it or on what else
  /// runs, including when sampling happens inside a fit for early stopping.
  static func blocks(
    range: Range<Int>, blockSize: Int, width: Int, _ make: (Int, Int) -> Tensor
  ) -> Tensor {
    var out = Tensor(rows: range.count, cols: width)
    guard !range.isEmpty else { return out }
    let first = range.lowerBound / blockSize
    let count = (range.upperBound - 1) / blockSize - first + 1
    out.data.withUnsafeMutableBufferPointer { po in
      nonisolated(unsafe) let target = po
      withoutActuallyEscaping(make) { escapable in
        nonisolated(unsafe) let make = escapable
        let work = { (index: Int) in
          let block = first + index
          let start = block * blockSize
          let values = Kernels.$threadCount.withValue(1) { make(block, blockSize) }
          let from = max(start, range.lowerBound)
          let to = min(start + blockSize, range.upperBound)
          values.data.withUnsafeBufferPointer { source in
            for row in from..<to {
              let s = (row - start) * width
              let t = (row - range.lowerBound) * width
              for c in 0..<width { target[t + c] = source[s + c] }
            }
          }
        }
        if count == 1 {
          work(0)
        } else {
          nonisolated(unsafe) let run = work
          DispatchQueue.concurrentPerform(iterations: count) { run($0) }
        }
      }
    }
    return out
  }
}
