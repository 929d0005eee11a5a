import DoppelCore
import DoppelModels
import Foundation

/// TVAE: a variational autoencoder for tables (Xu, Skoularidou, Cuesta-Infante and
/// Veeramachaneni, "Modeling Tabular Data using Conditional GAN", NeurIPS 2019; the variational
/// autoencoder of Kingma and Welling, "Auto-Encoding Variational Bayes", ICLR 2014).
///
/// Numbers are mode-specific normalized (``ModeSpecificNormalization``), categories one-hot
/// encoded. The encoder and decoder are two ReLU layers of 128 units each with a 128-dimensional
/// latent space; numbers use a Gaussian likelihood with a learned standard deviation per scalar
/// (clamped to [0.01, 1]), categories a cross-entropy, weighted by `lossFactor` against the KL
/// divergence. Adam with learning rate 10⁻³ and L2 weight decay 10⁻⁵, as the paper's code.
///
/// With `dpNoiseMultiplier` or `dpEpsilon` > 0 it is trained with DP-SGD (Abadi et al., "Deep
/// Learning with Differential Privacy", CCS 2016): Poisson-sampled batches at rate batch/rows,
/// each row's gradient clipped to `dpMaxGradNorm`, Gaussian noise σ·C on the sum, and the RDP
/// accountant (``RDPAccountant``) over all steps; the model records the guarantee. The privacy
/// unit is one training row. Treated as public, and not covered by (ε, δ): the column encoding
/// fitted on the real table (``TabularEncoder``: each categorical column's category list, each
/// number's range and its Gaussian-mixture modes), the number of rows, and the schema.
public struct TVAESynthesizer: CheckpointingSynthesizer, Equatable {
  /// The registry name.
  public static let kind = "tvae"

  /// Training passes over the data; default 300.
  public var epochs: Int
  /// Rows per optimization step; default 500.
  public var batchSize: Int
  /// The latent dimension; default 128.
  public var embeddingDimension: Int
  /// The width of each hidden layer; default 128.
  public var hiddenWidth: Int
  /// The number of hidden layers of encoder and decoder; default 2.
  public var hiddenLayers: Int
  /// The L2 weight decay; default 10⁻⁵.
  public var l2Scale: Double
  /// The weight of the reconstruction loss against the KL term; default 2.
  public var lossFactor: Double
  /// Adam's learning rate; default 10⁻³.
  public var learningRate: Double
  /// Threads for matrix products; 0 (default) uses every core.
  public var threads: Int
  /// DP-SGD noise multiplier σ; 0 (default) trains without differential privacy.
  public var dpNoiseMultiplier: Double
  /// DP-SGD per-example gradient clipping norm C; default 1.
  public var dpMaxGradNorm: Double
  /// δ of the reported (ε, δ); 0 (default) means 1/(10·rows).
  public var dpDelta: Double
  /// A target ε: when > 0 and `dpNoiseMultiplier` is 0, training uses the smallest noise
  /// multiplier whose guarantee over the planned steps reaches it at `dpDelta`; 0 (default)
  /// sets no target. Given with a noise multiplier, that multiplier must reach it.
  public var dpEpsilon: Double
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

  /// Creates the synthesizer with the paper's defaults.
  /// - Parameters:
  ///   - epochs: Training passes.
  ///   - batchSize: Rows per step.
  ///   - embeddingDimension: Latent dimension.
  ///   - hiddenWidth: Hidden layer width.
  ///   - hiddenLayers: Hidden layers per network.
  ///   - l2Scale: Weight decay.
  ///   - lossFactor: Reconstruction weight.
  ///   - learningRate: Adam's learning rate.
  ///   - threads: Threads, 0 for all cores.
  ///   - dpNoiseMultiplier: DP-SGD noise multiplier, 0 for none.
  ///   - dpMaxGradNorm: DP-SGD clipping norm.
  ///   - dpDelta: δ of the guarantee, 0 for 1/(10·rows).
  ///   - dpEpsilon: A target ε, 0 for none.
  ///   - validation: Held-out fraction for early stopping, 0 for none.
  ///   - patience: Checks without improvement before stopping, 0 for never.
  ///   - validateEvery: Epochs between checks.
  ///   - maxCategories: One-hot slots per categorical column before pooling.
  public init(
    epochs: Int = 300, batchSize: Int = 500, embeddingDimension: Int = 128,
    hiddenWidth: Int = 128, hiddenLayers: Int = 2, l2Scale: Double = 1e-5,
    lossFactor: Double = 2, learningRate: Double = 1e-3, threads: Int = 0,
    dpNoiseMultiplier: Double = 0, dpMaxGradNorm: Double = 1, dpDelta: Double = 0,
    dpEpsilon: Double = 0, validation: Double = 0,
    patience: Int = EarlyStoppingOptions.defaultPatience,
    validateEvery: Int = EarlyStoppingOptions.defaultValidateEvery,
    maxCategories: Int = TabularEncoder.defaultMaximumCategories
  ) {
    self.dpEpsilon = dpEpsilon
    self.validation = validation
    self.patience = patience
    self.validateEvery = validateEvery
    self.maxCategories = maxCategories
    self.dpNoiseMultiplier = dpNoiseMultiplier
    self.dpMaxGradNorm = dpMaxGradNorm
    self.dpDelta = dpDelta
    self.epochs = epochs
    self.batchSize = batchSize
    self.embeddingDimension = embeddingDimension
    self.hiddenWidth = hiddenWidth
    self.hiddenLayers = hiddenLayers
    self.l2Scale = l2Scale
    self.lossFactor = lossFactor
    self.learningRate = learningRate
    self.threads = threads
  }

  private enum CodingKeys: String, CodingKey {
    case epochs, batchSize, embeddingDimension, hiddenWidth, hiddenLayers, l2Scale, lossFactor
    case learningRate, threads, dpNoiseMultiplier, dpMaxGradNorm, dpDelta, dpEpsilon
    case validation, patience, validateEvery, maxCategories
  }

  /// Decodes hyper-parameters, using defaults for absent keys.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `invalidArgument` for out-of-range values.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = TVAESynthesizer()
    self.init(
      epochs: try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs,
      batchSize: try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize,
      embeddingDimension: try c.decodeIfPresent(Int.self, forKey: .embeddingDimension)
        ?? d.embeddingDimension,
      hiddenWidth: try c.decodeIfPresent(Int.self, forKey: .hiddenWidth) ?? d.hiddenWidth,
      hiddenLayers: try c.decodeIfPresent(Int.self, forKey: .hiddenLayers) ?? d.hiddenLayers,
      l2Scale: try c.decodeIfPresent(Double.self, forKey: .l2Scale) ?? d.l2Scale,
      lossFactor: try c.decodeIfPresent(Double.self, forKey: .lossFactor) ?? d.lossFactor,
      learningRate: try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? d.learningRate,
      threads: try c.decodeIfPresent(Int.self, forKey: .threads) ?? d.threads,
      dpNoiseMultiplier: try c.decodeIfPresent(Double.self, forKey: .dpNoiseMultiplier)
        ?? d.dpNoiseMultiplier,
      dpMaxGradNorm: try c.decodeIfPresent(Double.self, forKey: .dpMaxGradNorm) ?? d.dpMaxGradNorm,
      dpDelta: try c.decodeIfPresent(Double.self, forKey: .dpDelta) ?? d.dpDelta,
      dpEpsilon: try c.decodeIfPresent(Double.self, forKey: .dpEpsilon) ?? d.dpEpsilon,
      validation: try c.decodeIfPresent(Double.self, forKey: .validation) ?? d.validation,
      patience: try c.decodeIfPresent(Int.self, forKey: .patience) ?? d.patience,
      validateEvery: try c.decodeIfPresent(Int.self, forKey: .validateEvery) ?? d.validateEvery,
      maxCategories: try c.decodeIfPresent(Int.self, forKey: .maxCategories) ?? d.maxCategories)
    try validate()
  }

  func validate() throws {
    guard epochs >= 0, batchSize >= 1, embeddingDimension >= 1, hiddenWidth >= 1,
      hiddenLayers >= 0, l2Scale >= 0, lossFactor > 0, learningRate > 0, threads >= 0,
      dpNoiseMultiplier >= 0, dpMaxGradNorm > 0, dpDelta >= 0, dpDelta < 1, dpEpsilon >= 0,
      dpNoiseMultiplier.isFinite, dpEpsilon.isFinite, maxCategories >= 1
    else {
      throw DoppelError(
        .invalidArgument,
        "tvae options out of range: epochs ≥ 0, batchSize ≥ 1, widths ≥ 1, hiddenLayers ≥ 0, rates > 0, threads ≥ 0, dpNoiseMultiplier ≥ 0, dpMaxGradNorm > 0, 0 ≤ dpDelta < 1, dpEpsilon ≥ 0, maxCategories ≥ 1"
      )
    }
    try earlyStopping.check(kind: Self.kind, isPrivate: dpNoiseMultiplier > 0 || dpEpsilon > 0)
  }

  /// The early-stopping options.
  public var earlyStopping: EarlyStoppingOptions {
    EarlyStoppingOptions(validation: validation, patience: patience, validateEvery: validateEvery)
  }

  /// Trains the autoencoder.
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds.
  ///   - seed: Seeds initialization, mode assignment, batch order and latent noise.
  ///   - progress: Receives one update per epoch with the current loss.
  /// - Returns: The fitted model.
  /// - Throws: ``DoppelError`` `noRows`, `schemaMismatch` or `invalidArgument`.
  public func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?
  ) async throws -> TVAEModel {
    try await fit(table, metadata: metadata, seed: seed, progress: progress, checkpoint: nil)
  }

  /// Trains the autoencoder, saving a checkpoint after every epoch.
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds.
  ///   - seed: The seed.
  ///   - progress: Receives one update per epoch with the current loss.
  ///   - checkpoint: Where to save and whether to resume.
  /// - Returns: The fitted model.
  /// - Throws: ``DoppelError`` for bad input or another run's checkpoint; `CancellationError`
  ///   when cancelled (the last checkpoint stays).
  public func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?,
    checkpoint: TrainingCheckpoint?
  ) async throws -> TVAEModel {
    try await Training.withThreads(threads) {
      try await train(
        table, metadata: metadata, seed: seed, progress: progress, checkpoint: checkpoint)
    }
  }

  /// The body of ``fit(_:metadata:seed:progress:checkpoint:)``, run with the fit's threads.
  private func train(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?,
    checkpoint: TrainingCheckpoint?
  ) async throws -> TVAEModel {
    var (loop, table) = try EpochLoop.start(
      self, table: table, metadata: metadata, seed: seed, progress: progress,
      checkpoint: checkpoint)
    let encoder = TabularEncoder.fit(table, maximumCategories: maxCategories)
    let data = encoder.encode(table, seed: seed)
    var trainer = TVAETrainer(synthesizer: self, encoder: encoder, seed: seed)
    let first = try loop.resume(&trainer)
    let n = data.rowCount
    let batch = min(batchSize, n)
    let sampleRate = Double(batch) / Double(n)
    let privateStepsPerEpoch = max(n / batch, 1)
    let totalSteps = privateStepsPerEpoch * epochs
    let stepRDP = { (sigma: Double, order: Int) in
      Double(totalSteps)
        * RDPAccountant.stepRDP(sampleRate: sampleRate, noiseMultiplier: sigma, order: order)
    }
    let plan = try PrivateTrainingPlan.resolve(
      kind: Self.kind, noiseMultiplier: dpNoiseMultiplier, targetEpsilon: dpEpsilon,
      delta: dpDelta, rows: n, rdp: stepRDP)
    let noiseMultiplier = plan?.noiseMultiplier ?? 0
    let privacy = plan?.guarantee(
      maxGradientNorm: dpMaxGradNorm, sampleRate: sampleRate, steps: totalSteps, rdp: stepRDP)
    if privacy != nil { loop.stage = "training tvae (DP-SGD)" }
    let model = try loop.run(&trainer, from: first) { trainer, epoch in
      trainer.random = SeededGenerator(seed: seed, label: "tvae noise", index: UInt64(epoch))
      let order = Training.permutation(rows: n, seed: seed, label: "tvae epoch", epoch: epoch)
      var total: Float = 0
      var steps = 0
      if privacy != nil {
        // Poisson sampling: each row joins each step's batch with probability q.
        var sampler = SeededGenerator(seed: seed, label: "tvae dp batches", index: UInt64(epoch))
        for _ in 0..<privateStepsPerEpoch {
          try Task.checkCancellation()
          let rows = (0..<n).filter { _ in sampler.nextUnit() < sampleRate }
          let targets = trainer.oneHotColumns.map { c in rows.map { Int(data.slots[c][$0]) } }
          total += trainer.privateStep(
            encoder.batch(data, rows: rows), targets: targets, clip: Float(dpMaxGradNorm),
            noise: Float(noiseMultiplier), expectedRows: batch)
          steps += 1
        }
      } else {
        for start in stride(from: 0, to: n, by: batch) {
          try Task.checkCancellation()
          let rows = Array(order[start..<min(start + batch, n)])
          let targets = trainer.oneHotColumns.map { c in rows.map { Int(data.slots[c][$0]) } }
          total += trainer.step(encoder.batch(data, rows: rows), targets: targets)
          steps += 1
        }
      }
      return EpochSummary(
        finite: total.isFinite, losses: "loss \(Training.format(total / Float(max(steps, 1))))")
    } model: { weights, record in
      TVAEModel(
        synthesizer: self, metadata: metadata, trainingRowCount: data.rowCount, encoder: encoder,
        decoder: Array(weights.dropLast()),
        sigmas: weights.last ?? StoredTensor(Tensor(rows: 0, cols: 0)), privacy: privacy,
        earlyStopping: record)
    }
    if let privacy { loop.report(privacy) }
    return model
  }
}

/// The networks and optimizer state of a TVAE being trained.
struct TVAETrainer: EpochTrainer {
  let synthesizer: TVAESynthesizer
  let encoder: TabularEncoder
  let spans: [TabularEncoder.Span]
  /// The encoder columns of the one-hot spans, in order.
  let oneHotColumns: [Int]
  let scalarMask: Tensor
  let body: ReLUStack
  let mean: Linear
  let logVariance: Linear
  let decoder: ReLUStack
  let sigma: Variable
  var adam: Adam
  var random: SeededGenerator

  init(synthesizer: TVAESynthesizer, encoder: TabularEncoder, seed: UInt64) {
    self.synthesizer = synthesizer
    self.encoder = encoder
    spans = encoder.spans
    oneHotColumns = encoder.columns.indices.filter { encoder.columns[$0].role != .strings }
    let d = encoder.width
    var mask = Tensor(rows: 1, cols: d)
    for span in spans { if case .scalar(let offset) = span { mask.data[offset] = 1 } }
    scalarMask = mask
    var random = SeededGenerator(seed: seed, label: "tvae init")
    let hidden = Array(repeating: synthesizer.hiddenWidth, count: synthesizer.hiddenLayers)
    body = ReLUStack(widths: [d] + hidden, random: &random)
    let last = hidden.last ?? d
    mean = Linear(last, synthesizer.embeddingDimension, random: &random)
    logVariance = Linear(last, synthesizer.embeddingDimension, random: &random)
    decoder = TVAEModel.decoderNetwork(synthesizer: synthesizer, width: d, random: &random)
    sigma = Variable(Tensor(rows: 1, cols: d, repeating: 0.1), requiresGrad: true)
    self.random = SeededGenerator(seed: seed, label: "tvae noise")
    adam = Adam(
      parameters: body.parameters + mean.parameters + logVariance.parameters
        + decoder.parameters + [sigma], learningRate: Float(synthesizer.learningRate),
      weightDecay: Float(synthesizer.l2Scale))
  }

  var parameters: [Variable] {
    body.parameters + mean.parameters + logVariance.parameters + decoder.parameters + [sigma]
  }

  /// The weights a model file keeps: the decoder's, then the output deviations.
  var modelWeights: [StoredTensor] { decoder.parameters.stored + [StoredTensor(sigma.value)] }

  var optimizerSteps: [Int] { [adam.step] }

  var checkpointTensors: [StoredTensor] {
    parameters.stored + adam.state.map(StoredTensor.init)
  }

  mutating func restore(_ stored: [StoredTensor], steps: [Int]) throws {
    let count = parameters.count
    guard stored.count == 3 * count, steps.count == 1 else {
      throw DoppelError(.corruptModel, "the checkpoint does not fit the model")
    }
    try restoreTensors(Array(stored[0..<count]), into: parameters)
    try adam.restore(stored[count...].map { try $0.tensor() }[...], step: steps[0])
  }

  /// One optimization step on a batch; returns the loss.
  mutating func step(_ batch: Tensor, targets: [[Int]]) -> Float {
    let total = loss(batch, targets: targets)
    let params = parameters
    let grads = Autodiff.gradients(of: total, wrt: params)
    adam.update(params, gradients: grads.map(\.value))
    sigma.value = Kernels.map(sigma.value) { min(max($0, 0.01), 1) }
    return total.scalar
  }

  /// The TVAE loss of a batch: reconstruction (times `lossFactor`) plus KL, per row.
  mutating func loss(_ batch: Tensor, targets: [[Int]]) -> Variable {
    let n = batch.rows
    let x = Variable(batch)
    let h = synthesizer.hiddenLayers > 0 ? body(x, reluLast: true) : x
    let mu = mean(h)
    let logVar = logVariance(h)
    let eps = Tensor.normal(rows: n, cols: mu.cols, random: &random)
    let z = mu + mulConstant(exp(scale(logVar, 0.5)), eps)
    let reconstruction = decoder(z)
    // Gaussian term of the scalars: Σ (x − tanh(r))² / (2σ²) + n·Σ log σ, masked to scalars.
    let residual = mulConstant(x - tanh(reconstruction), Kernels.broadcastRows(scalarMask, rows: n))
    let inverseVariance = scale(reciprocal(square(sigma)), 0.5)
    var loss = sumAll(square(residual) * broadcastRows(inverseVariance, n))
    loss = loss + scale(sumAll(mulConstant(log(sigma), scalarMask)), Float(n))
    var blocks: [Range<Int>] = []
    for span in spans {
      guard case .oneHot(let offset, let count) = span else { continue }
      blocks.append(offset..<(offset + count))
    }
    if !blocks.isEmpty {
      // Σ over rows of each one-hot block's cross-entropy.
      loss =
        loss
        + blockCrossEntropy(
          reconstruction, blocks: blocks, targets: Array(targets.prefix(blocks.count)),
          weights: [Float](repeating: 1, count: blocks.count))
    }
    let kl = scale(
      sumAll(addScalar(logVar - square(mu) - exp(logVar), 1)), -0.5)
    return scale(loss, Float(synthesizer.lossFactor) / Float(n)) + scale(kl, 1 / Float(n))
  }
}

extension TVAESynthesizer: EpochTrainedSynthesizer {}
