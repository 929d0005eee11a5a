import DoppelCore
import DoppelModels
import Foundation

/// CTGAN: a conditional GAN for tables (Xu, Skoularidou, Cuesta-Infante and Veeramachaneni,
/// "Modeling Tabular Data using Conditional GAN", NeurIPS 2019), with the defaults of the paper's
/// `ctgan` package.
///
/// - Numbers are mode-specific normalized (``ModeSpecificNormalization``), categories one-hot.
/// - A conditional vector with training-by-sampling balances categories; the generator is
///   penalized by the cross-entropy between its output and the condition.
/// - The generator has two residual blocks of 256 units (batch norm, ReLU) on a 128-dimensional
///   noise plus the condition; its outputs are tanh (scalars) and Gumbel-softmax with τ = 0.2
///   (one-hot blocks).
/// - The critic packs 10 rows (PacGAN) and has two layers of 256 units with LeakyReLU(0.2) and
///   dropout 0.5; it is trained with the Wasserstein loss and gradient penalty λ = 10 (Gulrajani
///   et al., "Improved Training of Wasserstein GANs", NeurIPS 2017).
/// - Adam with learning rate 2·10⁻⁴, β = (0.5, 0.9), weight decay 10⁻⁶ for both networks.
///
/// Only one batch is ever expanded to one-hot form, so wide categorical columns cost memory in
/// proportion to the batch, not the table.
///
/// With `dpNoiseMultiplier` or `dpEpsilon` > 0 the critic is trained with DP-SGD and the model
/// records its (ε, δ) guarantee; see ``CTGANSynthesizer/isPrivate`` for what changes and what is
/// treated as public.
public struct CTGANSynthesizer: CheckpointingSynthesizer, Equatable {
  /// The registry name.
  public static let kind = "ctgan"

  /// Training passes over the data; default 300.
  public var epochs: Int
  /// Rows per optimization step; default 500 (rounded down to a multiple of `pac`).
  public var batchSize: Int
  /// The noise dimension; default 128.
  public var embeddingDimension: Int
  /// The width of the generator's and critic's hidden layers; default 256.
  public var hiddenWidth: Int
  /// The number of hidden layers of each network; default 2.
  public var hiddenLayers: Int
  /// The learning rate of both networks; default 2·10⁻⁴.
  public var learningRate: Double
  /// The L2 weight decay of both networks; default 10⁻⁶.
  public var weightDecay: Double
  /// Critic steps per generator step; default 1.
  public var discriminatorSteps: Int
  /// Rows packed into one critic input; default 10.
  public var pac: Int
  /// Whether categories of the condition are drawn by log-frequency; default `true`.
  public var logFrequency: Bool
  /// Threads for matrix products; 0 (default) uses every core.
  public var threads: Int
  /// The fraction of rows held out to choose the best epoch and stop early; 0 (default) is off.
  /// See ``EarlyStoppingOptions``.
  public var validation: Double
  /// Validation checks without improvement before training stops; default 10, 0 never stops.
  public var patience: Int
  /// Epochs between validation checks; default 5.
  public var validateEvery: Int
  /// The most labels of a categorical column with their own one-hot slot; rarer labels share an
  /// "other" slot. Default 1000.
  public var maxCategories: Int
  /// DP-SGD noise multiplier σ of the critic; 0 (default) trains without differential privacy
  /// unless `dpEpsilon` is set.
  public var dpNoiseMultiplier: Double
  /// DP-SGD per-example gradient clipping norm C; default 1.
  public var dpMaxGradNorm: Double
  /// δ of the reported (ε, δ); 0 (default) means 1/(10·rows).
  public var dpDelta: Double
  /// A target ε: when > 0 and `dpNoiseMultiplier` is 0, training uses the smallest noise
  /// multiplier whose guarantee over the planned steps reaches it at `dpDelta`; 0 (default)
  /// sets no target. Given with a noise multiplier, that multiplier must reach it.
  public var dpEpsilon: Double

  /// Creates the synthesizer with the paper's defaults.
  /// - Parameters:
  ///   - epochs: Training passes.
  ///   - batchSize: Rows per step.
  ///   - embeddingDimension: Noise dimension.
  ///   - hiddenWidth: Hidden layer width.
  ///   - hiddenLayers: Hidden layers per network.
  ///   - learningRate: Adam's learning rate.
  ///   - weightDecay: L2 weight decay.
  ///   - discriminatorSteps: Critic steps per generator step.
  ///   - pac: Rows per critic input.
  ///   - logFrequency: Log-frequency condition sampling.
  ///   - threads: Threads, 0 for all cores.
  ///   - validation: Held-out fraction for early stopping, 0 for none.
  ///   - patience: Checks without improvement before stopping, 0 for never.
  ///   - validateEvery: Epochs between checks.
  ///   - maxCategories: One-hot slots per categorical column before pooling.
  ///   - dpNoiseMultiplier: DP-SGD noise multiplier, 0 for none.
  ///   - dpMaxGradNorm: DP-SGD clipping norm.
  ///   - dpDelta: δ of the guarantee, 0 for 1/(10·rows).
  ///   - dpEpsilon: A target ε, 0 for none.
  public init(
    epochs: Int = 300, batchSize: Int = 500, embeddingDimension: Int = 128,
    hiddenWidth: Int = 256, hiddenLayers: Int = 2, learningRate: Double = 2e-4,
    weightDecay: Double = 1e-6, discriminatorSteps: Int = 1, pac: Int = 10,
    logFrequency: Bool = true, threads: Int = 0, validation: Double = 0,
    patience: Int = EarlyStoppingOptions.defaultPatience,
    validateEvery: Int = EarlyStoppingOptions.defaultValidateEvery,
    maxCategories: Int = TabularEncoder.defaultMaximumCategories, dpNoiseMultiplier: Double = 0,
    dpMaxGradNorm: Double = 1, dpDelta: Double = 0, dpEpsilon: Double = 0
  ) {
    self.validation = validation
    self.patience = patience
    self.validateEvery = validateEvery
    self.maxCategories = maxCategories
    self.dpNoiseMultiplier = dpNoiseMultiplier
    self.dpMaxGradNorm = dpMaxGradNorm
    self.dpDelta = dpDelta
    self.dpEpsilon = dpEpsilon
    self.epochs = epochs
    self.batchSize = batchSize
    self.embeddingDimension = embeddingDimension
    self.hiddenWidth = hiddenWidth
    self.hiddenLayers = hiddenLayers
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.discriminatorSteps = discriminatorSteps
    self.pac = pac
    self.logFrequency = logFrequency
    self.threads = threads
  }

  private enum CodingKeys: String, CodingKey {
    case epochs, batchSize, embeddingDimension, hiddenWidth, hiddenLayers, learningRate
    case weightDecay, discriminatorSteps, pac, logFrequency, threads
    case validation, patience, validateEvery, maxCategories
    case dpNoiseMultiplier, dpMaxGradNorm, dpDelta, dpEpsilon
  }

  /// Decodes hyper-parameters, using defaults for absent keys.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `invalidArgument` for out-of-range values.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = CTGANSynthesizer()
    self.init(
      epochs: try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs,
      batchSize: try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize,
      embeddingDimension: try c.decodeIfPresent(Int.self, forKey: .embeddingDimension)
        ?? d.embeddingDimension,
      hiddenWidth: try c.decodeIfPresent(Int.self, forKey: .hiddenWidth) ?? d.hiddenWidth,
      hiddenLayers: try c.decodeIfPresent(Int.self, forKey: .hiddenLayers) ?? d.hiddenLayers,
      learningRate: try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? d.learningRate,
      weightDecay: try c.decodeIfPresent(Double.self, forKey: .weightDecay) ?? d.weightDecay,
      discriminatorSteps: try c.decodeIfPresent(Int.self, forKey: .discriminatorSteps)
        ?? d.discriminatorSteps,
      pac: try c.decodeIfPresent(Int.self, forKey: .pac) ?? d.pac,
      logFrequency: try c.decodeIfPresent(Bool.self, forKey: .logFrequency) ?? d.logFrequency,
      threads: try c.decodeIfPresent(Int.self, forKey: .threads) ?? d.threads,
      validation: try c.decodeIfPresent(Double.self, forKey: .validation) ?? d.validation,
      patience: try c.decodeIfPresent(Int.self, forKey: .patience) ?? d.patience,
      validateEvery: try c.decodeIfPresent(Int.self, forKey: .validateEvery) ?? d.validateEvery,
      maxCategories: try c.decodeIfPresent(Int.self, forKey: .maxCategories) ?? d.maxCategories,
      dpNoiseMultiplier: try c.decodeIfPresent(Double.self, forKey: .dpNoiseMultiplier)
        ?? d.dpNoiseMultiplier,
      dpMaxGradNorm: try c.decodeIfPresent(Double.self, forKey: .dpMaxGradNorm) ?? d.dpMaxGradNorm,
      dpDelta: try c.decodeIfPresent(Double.self, forKey: .dpDelta) ?? d.dpDelta,
      dpEpsilon: try c.decodeIfPresent(Double.self, forKey: .dpEpsilon) ?? d.dpEpsilon)
    try validate()
  }

  func validate() throws {
    guard epochs >= 0, batchSize >= 1, embeddingDimension >= 1, hiddenWidth >= 1,
      hiddenLayers >= 0, learningRate > 0, weightDecay >= 0, discriminatorSteps >= 1, pac >= 1,
      threads >= 0, maxCategories >= 1, dpNoiseMultiplier >= 0, dpMaxGradNorm > 0, dpDelta >= 0,
      dpDelta < 1, dpEpsilon >= 0, dpNoiseMultiplier.isFinite, dpEpsilon.isFinite
    else {
      throw DoppelError(
        .invalidArgument,
        "ctgan options out of range: epochs ≥ 0, batchSize ≥ 1, widths ≥ 1, discriminatorSteps ≥ 1, pac ≥ 1, rates > 0, threads ≥ 0, maxCategories ≥ 1, dpNoiseMultiplier ≥ 0, dpMaxGradNorm > 0, 0 ≤ dpDelta < 1, dpEpsilon ≥ 0"
      )
    }
    try earlyStopping.check(kind: Self.kind, isPrivate: isPrivate)
  }

  /// The early-stopping options.
  public var earlyStopping: EarlyStoppingOptions {
    EarlyStoppingOptions(validation: validation, patience: patience, validateEvery: validateEvery)
  }

  /// Trains the generator and critic.
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds.
  ///   - seed: Seeds initialization, mode assignment, conditions, noise and dropout.
  ///   - progress: Receives one update per epoch with the current losses.
  /// - Returns: The fitted model.
  /// - Throws: ``DoppelError`` `noRows`, `schemaMismatch` or `invalidArgument`.
  public func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?
  ) async throws -> CTGANModel {
    try await fit(table, metadata: metadata, seed: seed, progress: progress, checkpoint: nil)
  }

  /// Trains the generator and critic, saving a checkpoint after every epoch.
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds.
  ///   - seed: The seed.
  ///   - progress: Receives one update per epoch with the current losses.
  ///   - checkpoint: Where to save and whether to resume.
  /// - Returns: The fitted model.
  /// - Throws: ``DoppelError`` for bad input or another run's checkpoint; `CancellationError`
  ///   when cancelled (the last checkpoint stays).
  public func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?,
    checkpoint: TrainingCheckpoint?
  ) async throws -> CTGANModel {
    try await Training.withThreads(threads) {
      try await train(
        table, metadata: metadata, seed: seed, progress: progress, checkpoint: checkpoint)
    }
  }

  /// The body of ``fit(_:metadata:seed:progress:checkpoint:)``, run with the fit's threads.
  private func train(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?,
    checkpoint: TrainingCheckpoint?
  ) async throws -> CTGANModel {
    var (loop, table) = try EpochLoop.start(
      self, table: table, metadata: metadata, seed: seed, progress: progress,
      checkpoint: checkpoint)
    let encoder = TabularEncoder.fit(table, maximumCategories: maxCategories)
    let data = encoder.encode(table, seed: seed)
    if isPrivate {
      return try fitPrivately(
        encoder: encoder, data: data, loop: &loop, metadata: metadata, seed: seed)
    }
    var trainer = CTGANTrainer(synthesizer: self, encoder: encoder, data: data, seed: seed)
    let first = try loop.resume(&trainer)
    let statisticsCount = trainer.generator.statistics.count
    let condition = trainer.condition
    let steps = max(data.rowCount / trainer.batch, 1)
    return try loop.run(&trainer, from: first) { trainer, epoch in
      trainer.random = SeededGenerator(seed: seed, label: "ctgan train", index: UInt64(epoch))
      var lossG: Float = 0
      var lossD: Float = 0
      for _ in 0..<steps {
        try Task.checkCancellation()
        for _ in 0..<discriminatorSteps { lossD = trainer.criticStep() }
        lossG = trainer.generatorStep()
      }
      return EpochSummary(
        finite: lossG.isFinite && lossD.isFinite,
        losses: "G \(Training.format(lossG)), D \(Training.format(lossD))")
    } model: { weights, record in
      CTGANModel(
        synthesizer: self, metadata: metadata, trainingRowCount: data.rowCount, encoder: encoder,
        condition: condition, generator: Array(weights.dropLast(statisticsCount)),
        statistics: Array(weights.suffix(statisticsCount)), earlyStopping: record)
    }
  }
}

/// The networks, optimizers and random streams of a CTGAN being trained.
struct CTGANTrainer: EpochTrainer {
  let synthesizer: CTGANSynthesizer
  let encoder: TabularEncoder
  let data: EncodedRows
  var condition: ConditionalVector
  let generator: CTGANGenerator
  let critic: CTGANDiscriminator
  let spans: [TabularEncoder.Span]
  /// Rows with each slot, per conditional part.
  let rowsBySlot: [[[Int]]]
  let batch: Int
  var adamG: Adam
  var adamD: Adam
  var random: SeededGenerator

  init(synthesizer: CTGANSynthesizer, encoder: TabularEncoder, data: EncodedRows, seed: UInt64) {
    self.synthesizer = synthesizer
    self.encoder = encoder
    self.data = data
    condition = ConditionalVector(encoder: encoder, data: data)
    spans = encoder.spans
    let pac = min(synthesizer.criticPac, max(min(synthesizer.batchSize, data.rowCount), 1))
    batch = max(min(synthesizer.batchSize, max(data.rowCount, pac)) / pac, 1) * pac
    var random = SeededGenerator(seed: seed, label: "ctgan init")
    let hidden = Array(repeating: synthesizer.hiddenWidth, count: synthesizer.hiddenLayers)
    generator = CTGANGenerator(
      input: synthesizer.embeddingDimension + condition.width, hidden: hidden,
      output: encoder.width, random: &random)
    critic = CTGANDiscriminator(
      input: encoder.width + condition.width, hidden: hidden, pac: pac, random: &random)
    rowsBySlot = condition.parts.map { part in
      var lists = [[Int]](repeating: [], count: part.counts.count)
      for (row, slot) in data.slots[part.column].enumerated() { lists[Int(slot)].append(row) }
      return lists
    }
    let rate = Float(synthesizer.learningRate)
    let decay = Float(synthesizer.weightDecay)
    adamG = Adam(
      parameters: generator.parameters, learningRate: rate, beta1: 0.5, beta2: 0.9,
      weightDecay: decay)
    adamD = Adam(
      parameters: critic.parameters, learningRate: rate, beta1: 0.5, beta2: 0.9,
      weightDecay: decay)
    self.random = SeededGenerator(seed: seed, label: "ctgan train")
  }

  /// The weights a model file keeps: the generator's parameters, then its batch statistics.
  var modelWeights: [StoredTensor] {
    generator.parameters.stored + generator.statistics.stored
  }

  var optimizerSteps: [Int] { [adamG.step, adamD.step] }

  /// Generator and critic weights, batch statistics and both optimizers' moments.
  var checkpointTensors: [StoredTensor] {
    (generator.parameters.stored + generator.statistics.stored + critic.parameters.stored)
      + (adamG.state + adamD.state).map(StoredTensor.init)
  }

  mutating func restore(_ stored: [StoredTensor], steps: [Int]) throws {
    let g = generator.parameters
    let statistics = generator.statistics.count
    let d = critic.parameters
    guard stored.count == 3 * g.count + statistics + 3 * d.count, steps.count == 2 else {
      throw DoppelError(.corruptModel, "the checkpoint does not fit the model")
    }
    var at = 0
    try restoreTensors(Array(stored[at..<(at + g.count)]), into: g)
    at += g.count
    try generator.loadStatistics(Array(stored[at..<(at + statistics)]))
    at += statistics
    try restoreTensors(Array(stored[at..<(at + d.count)]), into: d)
    at += d.count
    let moments = try stored[at...].map { try $0.tensor() }
    try adamG.restore(moments[0..<(2 * g.count)], step: steps[0])
    try adamD.restore(moments[(2 * g.count)...], step: steps[1])
  }

  /// tanh for scalars, Gumbel-softmax (τ = 0.2) for one-hot blocks, in one fused operation.
  mutating func activate(_ raw: Variable) -> Variable {
    guard !spans.isEmpty else { return raw }
    var tanhColumns: [Int] = []
    var blocks: [Range<Int>] = []
    for span in spans {
      switch span {
      case .scalar(let offset): tanhColumns.append(offset)
      case .oneHot(let offset, let count): blocks.append(offset..<(offset + count))
      }
    }
    let noise = Tensor.gumbel(rows: raw.rows, cols: raw.cols, blocks: blocks, random: &random)
    return tabularActivation(
      raw, tanhColumns: tanhColumns, blocks: blocks, tau: 0.2, noise: noise)
  }

  /// The generator's input: noise and the conditions.
  mutating func noise(_ c: Tensor) -> Variable {
    let z = Tensor.normal(rows: batch, cols: synthesizer.embeddingDimension, random: &random)
    return Variable(condition.width > 0 ? Kernels.concatCols([z, c]) : z)
  }

  /// One critic step; returns the critic loss with its penalty.
  mutating func criticStep() -> Float {
    let (c, parts, slots) = condition.sample(
      rows: batch, logFrequency: synthesizer.logFrequency, random: &random)
    // Real rows match a shuffled copy of the conditions, as the reference implementation.
    var order = Array(0..<batch)
    for i in stride(from: batch - 1, to: 0, by: -1) {
      order.swapAt(i, random.nextInt(below: i + 1))
    }
    var rows = [Int](repeating: 0, count: batch)
    var shuffled = Tensor(rows: batch, cols: condition.width)
    for i in 0..<batch {
      let j = order[i]
      if condition.parts.isEmpty {
        rows[i] = random.nextInt(below: data.rowCount)
      } else {
        let candidates = rowsBySlot[parts[j]][slots[j]]
        rows[i] =
          candidates.isEmpty
          ? random.nextInt(below: data.rowCount)
          : candidates[random.nextInt(below: candidates.count)]
        for k in 0..<condition.width { shuffled[i, k] = c[j, k] }
      }
    }
    let raw = generatorPass(c, parts: parts, slots: slots).raw
    let fake = activate(Variable(raw)).value
    let real = encoder.batch(data, rows: rows)
    // Fake and real rows stacked for one pass through the critic, which forms the interpolated
    // packs x̂ = α·real + (1 − α)·fake itself, with one α per pack.
    let width = encoder.width + condition.width
    var pairs = Tensor.uninitialized(rows: 2 * batch, cols: width)
    pairs.data.withUnsafeMutableBufferPointer { ps in
      fake.data.withUnsafeBufferPointer { pf in
        real.data.withUnsafeBufferPointer { pr in
          c.data.withUnsafeBufferPointer { pc in
            shuffled.data.withUnsafeBufferPointer { pd in
              let dataWidth = encoder.width
              let conditionWidth = condition.width
              for i in 0..<batch {
                let f = i * width
                let r = (batch + i) * width
                for k in 0..<dataWidth {
                  ps[f + k] = pf[i * dataWidth + k]
                  ps[r + k] = pr[i * dataWidth + k]
                }
                for k in 0..<conditionWidth {
                  ps[f + dataWidth + k] = pc[i * conditionWidth + k]
                  ps[r + dataWidth + k] = pd[i * conditionWidth + k]
                }
              }
            }
          }
        }
      }
    }
    let alphas = (0..<(batch / critic.pac)).map { _ in Float(random.nextUnit()) }
    let masks = CTGANCriticKernel.masks(
      for: critic, packs: 3 * batch / critic.pac, random: &random)
    let result = CTGANCriticKernel().evaluate(
      critic: critic, pairs: pairs, alphas: alphas, masks: masks)
    adamD.update(critic.parameters, gradients: result.gradients)
    return result.loss
  }

  /// The generator's training pass on fresh noise and the conditions: the raw output, and the
  /// pass for the fused backward (nil when the batch is a single row, which takes the graph).
  mutating func generatorPass(_ c: Tensor, parts: [Int], slots: [Int]) -> (
    raw: Tensor, pass: CTGANGeneratorKernel.Pass?
  ) {
    guard batch > 1 else { return (generator(noise(c), training: true).value, nil) }
    let pass = fusedGeneratorPass(parts: parts, slots: slots)
    return (pass.output, pass)
  }

  /// The fused forward pass on fresh noise; the one-hot conditions are given as hot columns.
  mutating func fusedGeneratorPass(parts: [Int], slots: [Int]) -> CTGANGeneratorKernel.Pass {
    let z = Tensor.normal(rows: batch, cols: synthesizer.embeddingDimension, random: &random)
    return generatorKernel.forward(noise: z, hot: hotColumns(parts: parts, slots: slots))
  }

  /// Per row the hot column of its one-hot condition (−1 for none).
  func hotColumns(parts: [Int], slots: [Int]) -> [Int] {
    condition.parts.isEmpty
      ? [Int](repeating: -1, count: batch)
      : (0..<batch).map { condition.parts[parts[$0]].offset + slots[$0] }
  }

  /// The fused training pass of the generator.
  var generatorKernel: CTGANGeneratorKernel {
    CTGANGeneratorKernel(generator: generator, noiseWidth: synthesizer.embeddingDimension)
  }

  /// One generator step; returns the generator loss.
  mutating func generatorStep() -> Float {
    let (c, parts, slots) = condition.sample(
      rows: batch, logFrequency: synthesizer.logFrequency, random: &random)
    guard batch > 1 else { return generatorStepThroughGraph(c, parts: parts, slots: slots) }
    let pass = fusedGeneratorPass(parts: parts, slots: slots)
    let raw = Variable(pass.output, requiresGrad: true)
    let loss = generatorLoss(raw, parts: parts, slots: slots)
    let gradient = Autodiff.gradients(of: loss, wrt: [raw])[0]
    adamG.update(
      generator.parameters, gradients: generatorKernel.backward(pass, gradient: gradient.value))
    return loss.scalar
  }

  /// The generator step through the recorded graph (single-row batches, where batch norm uses
  /// its running statistics).
  mutating func generatorStepThroughGraph(_ c: Tensor, parts: [Int], slots: [Int]) -> Float {
    let raw = generator(noise(c), training: true)
    let loss = generatorLoss(raw, parts: parts, slots: slots)
    let parameters = generator.parameters
    let grads = Autodiff.gradients(of: loss, wrt: parameters)
    adamG.update(parameters, gradients: grads.map(\.value))
    return loss.scalar
  }

  /// −mean D(fake) plus the cross-entropy of each condition's block against its category.
  mutating func generatorLoss(_ raw: Variable, parts: [Int], slots: [Int]) -> Variable {
    let fake = activate(raw)
    var loss = scale(
      critic.meanScore(
        fake: fake, hot: hotColumns(parts: parts, slots: slots), conditionWidth: condition.width,
        random: &random), -1)
    if !condition.parts.isEmpty {
      // The cross-entropy of each row's conditioned block, averaged over the whole batch.
      var targets = [[Int]](
        repeating: [Int](repeating: -1, count: batch), count: condition.parts.count)
      for row in 0..<batch { targets[parts[row]][row] = slots[row] }
      let blocks = condition.parts.map { $0.dataOffset..<($0.dataOffset + $0.counts.count) }
      loss =
        loss
        + blockCrossEntropy(
          raw, blocks: blocks, targets: targets,
          weights: [Float](repeating: 1 / Float(batch), count: blocks.count))
    }
    return loss
  }
}

extension CTGANSynthesizer: EpochTrainedSynthesizer {}
