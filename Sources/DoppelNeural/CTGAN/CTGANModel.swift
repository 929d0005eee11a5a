import DoppelCore
import DoppelModels
import Foundation

/// A fitted CTGAN: the column encoding, the condition frequencies and the generator's weights.
///
/// A model trained with DP-SGD stores noisy condition frequencies and its ``privacy`` guarantee.
public struct CTGANModel: FittedModel, Equatable {
  /// The registry name.
  public static let kind = CTGANSynthesizer.kind
  /// Rows that share one random stream when sampling.
  public static let blockSize = 1024

  /// The hyper-parameters it was fitted with.
  public let synthesizer: CTGANSynthesizer
  /// The training table's metadata.
  public let metadata: TableMetadata
  /// The number of training rows.
  public let trainingRowCount: Int
  /// How columns map to network vectors.
  public let encoder: TabularEncoder
  let condition: ConditionalVector
  /// The generator's weights (linear and batch-norm parameters, in order).
  public let generator: [StoredTensor]
  /// The generator's batch-norm running means and variances.
  public let statistics: [StoredTensor]
  /// The (ε, δ) guarantee when the critic was trained with DP-SGD.
  public let privacy: PrivacyGuarantee?
  /// The epoch kept by early stopping and its validation score, when validation was on.
  public let earlyStopping: EarlyStoppingRecord?

  init(
    synthesizer: CTGANSynthesizer, metadata: TableMetadata, trainingRowCount: Int,
    encoder: TabularEncoder, condition: ConditionalVector, generator: [StoredTensor],
    statistics: [StoredTensor], privacy: PrivacyGuarantee? = nil,
    earlyStopping: EarlyStoppingRecord? = nil
  ) {
    self.privacy = privacy
    self.earlyStopping = earlyStopping
    self.synthesizer = synthesizer
    self.metadata = metadata
    self.trainingRowCount = trainingRowCount
    self.encoder = encoder
    self.condition = condition
    self.generator = generator
    self.statistics = statistics
  }

  private enum CodingKeys: String, CodingKey {
    case synthesizer, metadata, trainingRowCount, encoder, condition, generator, statistics
    case privacy
    case earlyStopping
  }

  /// Decodes a model and checks that its parts fit together.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `corruptModel`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      synthesizer: try c.decode(CTGANSynthesizer.self, forKey: .synthesizer),
      metadata: try c.decode(TableMetadata.self, forKey: .metadata),
      trainingRowCount: try c.decode(Int.self, forKey: .trainingRowCount),
      encoder: try c.decode(TabularEncoder.self, forKey: .encoder),
      condition: try c.decode(ConditionalVector.self, forKey: .condition),
      generator: try c.decode([StoredTensor].self, forKey: .generator),
      statistics: try c.decode([StoredTensor].self, forKey: .statistics),
      privacy: try c.decodeIfPresent(PrivacyGuarantee.self, forKey: .privacy),
      earlyStopping: try c.decodeIfPresent(EarlyStoppingRecord.self, forKey: .earlyStopping))
    try encoder.validate(against: metadata)
    let slots = encoder.columns.filter { $0.role == .categorical }.map(\.slotCount)
    guard condition.parts.map(\.counts.count) == slots,
      condition.width == slots.reduce(0, +),
      condition.parts.allSatisfy({
        $0.counts.allSatisfy { $0 >= 0 } && $0.counts.contains { $0 > 0 }
      })
    else {
      throw DoppelError(.corruptModel, "the model's condition frequencies are damaged")
    }
    _ = try network()
  }

  /// Encodes the model.
  /// - Parameter encoder: The encoder.
  /// - Throws: An encoding error.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(synthesizer, forKey: .synthesizer)
    try c.encode(metadata, forKey: .metadata)
    try c.encode(trainingRowCount, forKey: .trainingRowCount)
    try c.encode(self.encoder, forKey: .encoder)
    try c.encode(condition, forKey: .condition)
    try c.encode(generator, forKey: .generator)
    try c.encode(statistics, forKey: .statistics)
    try c.encodeIfPresent(privacy, forKey: .privacy)
    try c.encodeIfPresent(earlyStopping, forKey: .earlyStopping)
  }

  private func network() throws -> CTGANGenerator {
    var random = SeededGenerator(seed: 0)
    let hidden = Array(repeating: synthesizer.hiddenWidth, count: synthesizer.hiddenLayers)
    let net = CTGANGenerator(
      input: synthesizer.embeddingDimension + condition.width, hidden: hidden,
      output: encoder.width, random: &random)
    try generator.load(into: net.parameters)
    try net.loadStatistics(statistics)
    return net
  }

  /// Generates the rows at positions `range` of the sample for `seed`.
  ///
  /// Rows come in blocks of ``blockSize``; block b draws its conditions (by the training
  /// frequencies), noise and Gumbel draws from the stream (`seed`, "ctgan sample", b), so any
  /// range reproduces the same rows. Batch norm uses its running statistics.
  /// - Parameters:
  ///   - range: Row positions.
  ///   - seed: The sampling seed.
  /// - Returns: The sampled table.
  /// - Throws: ``DoppelError`` if the model is damaged.
  public func sample(range: Range<Int>, seed: UInt64) throws -> Table {
    let net = try network()
    let spans = encoder.spans
    let output = NeuralSampling.blocks(
      range: range, blockSize: CTGANModel.blockSize, width: encoder.width
    ) { block, count in
      var random = SeededGenerator(seed: seed, label: "ctgan sample", index: UInt64(block))
      let (c, _, _) = condition.sample(rows: count, logFrequency: false, random: &random)
      let z = Tensor.normal(rows: count, cols: synthesizer.embeddingDimension, random: &random)
      let input = condition.width > 0 ? Kernels.concatCols([z, c]) : z
      var out = net(Variable(input), training: false).value
      for span in spans {
        switch span {
        case .scalar(let offset):
          for row in 0..<count { out[row, offset] = Foundation.tanh(out[row, offset]) }
        case .oneHot(let offset, let width):
          // The arg-max of a Gumbel-softmax is a draw from the softmax (Gumbel-max).
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
