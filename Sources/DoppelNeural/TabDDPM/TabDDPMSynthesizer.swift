import DoppelCore
import DoppelModels
import Foundation

/// TabDDPM: a denoising diffusion model for tables (Kotelnikov, Babenko, Rubachev and Babenko,
/// "TabDDPM: Modelling Tabular Data with Diffusion Models", ICML 2023).
///
/// Numbers are quantile-transformed to a standard normal (``TabDDPMEncoder``) and diffused with
/// Gaussian noise (Ho, Jain and Abbeel, "Denoising Diffusion Probabilistic Models", NeurIPS 2020);
/// the network predicts the noise ε and is trained with its mean squared error. Categories (and
/// the missing indicators of numbers) are diffused with multinomial noise (Hoogeboom, Nielsen,
/// Jaini, Forré and Welling, "Argmax Flows and Multinomial Diffusion", NeurIPS 2021); the network
/// predicts x̂_0 and is trained with T·KL(q(x_{t−1}|x_t,x_0) ‖ p_θ(x_{t−1}|x_t)) plus the prior KL,
/// divided by the number of features, as the TabDDPM code (`vb_stochastic`, uniform t). The
/// denoiser is ``TabDDPMDenoiser``; it sees x_t's categories as one-hot vectors (the reference code
/// passes their logarithms, −69 for absent classes: an affine change its first layer absorbs).
/// Training uses AdamW with a constant learning rate: the reference trainer anneals it linearly to
/// 0 over the planned steps, which would make a run extended with `--resume` differ from one
/// trained straight; its exponential moving average of the weights is not kept either.
///
/// Defaults are chosen for a CPU with two cores: two hidden layers of 256 units, T = 1000 steps,
/// cosine schedule, batch 1024, learning rate 2·10⁻³, weight decay 10⁻⁴, 100 epochs (the 26,048
/// training rows of adult then take a few minutes; sampling them takes a few minutes more, since
/// every row runs through the network T times). The paper tunes per data set; for adult it used
/// layers [256, 1024, 1024, 1024, 1024, 256], T = 100, learning rate 0.002, no weight decay and
/// 30,000 steps of batch 4,096 (about 4,700 epochs) on a GPU.
public struct TabDDPMSynthesizer: CheckpointingSynthesizer, Equatable {
  /// The registry name.
  public static let kind = "tabddpm"

  /// Training passes over the data; default 100.
  public var epochs: Int
  /// Rows per optimization step; default 1024.
  public var batchSize: Int
  /// The width of each hidden layer of the denoiser; default 256.
  public var hiddenWidth: Int
  /// The number of hidden layers; default 2.
  public var hiddenLayers: Int
  /// The width of the timestep embedding and of the input projection; default 128.
  public var timeDimension: Int
  /// The number of diffusion steps T; default 1000. Sampling runs all T steps.
  public var timesteps: Int
  /// The noise schedule; default cosine.
  public var schedule: NoiseSchedule
  /// AdamW's initial learning rate; default 2·10⁻³.
  public var learningRate: Double
  /// AdamW's decoupled weight decay; default 10⁻⁴.
  public var weightDecay: Double
  /// Dropout after each hidden layer; default 0.
  public var dropout: Double
  /// Threads for matrix products; 0 (default) uses every core.
  public var threads: Int
  /// The fraction of rows held out to choose the best epoch and stop early; 0 (default) is off.
  /// See ``EarlyStoppingOptions``.
  public var validation: Double
  /// Validation checks without improvement before training stops; default 10, 0 never stops.
  public var patience: Int
  /// Epochs between validation checks; default 5.
  public var validateEvery: Int
  /// Classes of their own per categorical column; rarer labels share one "other" class, filled at
  /// sampling by their training frequencies. Default 1000.
  public var maxCategories: Int

  /// Creates the synthesizer.
  /// - Parameters:
  ///   - epochs: Training passes.
  ///   - batchSize: Rows per step.
  ///   - hiddenWidth: Hidden layer width.
  ///   - hiddenLayers: Hidden layers.
  ///   - timeDimension: Timestep embedding width.
  ///   - timesteps: Diffusion steps T.
  ///   - schedule: The noise schedule.
  ///   - learningRate: AdamW's initial learning rate.
  ///   - weightDecay: AdamW's weight decay.
  ///   - dropout: Dropout probability.
  ///   - threads: Threads, 0 for all cores.
  ///   - validation: Held-out fraction for early stopping, 0 for none.
  ///   - patience: Checks without improvement before stopping, 0 for never.
  ///   - validateEvery: Epochs between checks.
  ///   - maxCategories: Classes per categorical column before pooling.
  public init(
    epochs: Int = 100, batchSize: Int = 1024, hiddenWidth: Int = 256, hiddenLayers: Int = 2,
    timeDimension: Int = 128, timesteps: Int = 1000, schedule: NoiseSchedule = .cosine,
    learningRate: Double = 2e-3, weightDecay: Double = 1e-4, dropout: Double = 0, threads: Int = 0,
    validation: Double = 0, patience: Int = EarlyStoppingOptions.defaultPatience,
    validateEvery: Int = EarlyStoppingOptions.defaultValidateEvery,
    maxCategories: Int = TabularEncoder.defaultMaximumCategories
  ) {
    self.maxCategories = maxCategories
    self.validation = validation
    self.patience = patience
    self.validateEvery = validateEvery
    self.epochs = epochs
    self.batchSize = batchSize
    self.hiddenWidth = hiddenWidth
    self.hiddenLayers = hiddenLayers
    self.timeDimension = timeDimension
    self.timesteps = timesteps
    self.schedule = schedule
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.dropout = dropout
    self.threads = threads
  }

  private enum CodingKeys: String, CodingKey {
    case epochs, batchSize, hiddenWidth, hiddenLayers, timeDimension, timesteps, schedule
    case learningRate, weightDecay, dropout, threads, validation, patience, validateEvery
    case maxCategories
  }

  /// Decodes hyper-parameters, using defaults for absent keys.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `invalidArgument` for out-of-range values.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = TabDDPMSynthesizer()
    self.init(
      epochs: try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs,
      batchSize: try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize,
      hiddenWidth: try c.decodeIfPresent(Int.self, forKey: .hiddenWidth) ?? d.hiddenWidth,
      hiddenLayers: try c.decodeIfPresent(Int.self, forKey: .hiddenLayers) ?? d.hiddenLayers,
      timeDimension: try c.decodeIfPresent(Int.self, forKey: .timeDimension) ?? d.timeDimension,
      timesteps: try c.decodeIfPresent(Int.self, forKey: .timesteps) ?? d.timesteps,
      schedule: try c.decodeIfPresent(NoiseSchedule.self, forKey: .schedule) ?? d.schedule,
      learningRate: try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? d.learningRate,
      weightDecay: try c.decodeIfPresent(Double.self, forKey: .weightDecay) ?? d.weightDecay,
      dropout: try c.decodeIfPresent(Double.self, forKey: .dropout) ?? d.dropout,
      threads: try c.decodeIfPresent(Int.self, forKey: .threads) ?? d.threads,
      validation: try c.decodeIfPresent(Double.self, forKey: .validation) ?? d.validation,
      patience: try c.decodeIfPresent(Int.self, forKey: .patience) ?? d.patience,
      validateEvery: try c.decodeIfPresent(Int.self, forKey: .validateEvery) ?? d.validateEvery,
      maxCategories: try c.decodeIfPresent(Int.self, forKey: .maxCategories) ?? d.maxCategories)
    try validate()
  }

  func validate() throws {
    guard epochs >= 0, batchSize >= 1, hiddenWidth >= 1, hiddenLayers >= 0, timeDimension >= 2,
      timesteps >= 1, timesteps <= 100_000, learningRate > 0, learningRate.isFinite,
      weightDecay >= 0, weightDecay.isFinite, dropout >= 0, dropout < 1, threads >= 0,
      maxCategories >= 1
    else {
      throw DoppelError(
        .invalidArgument,
        "tabddpm options out of range: epochs ≥ 0, batchSize ≥ 1, hiddenWidth ≥ 1, hiddenLayers ≥ 0, timeDimension ≥ 2, 1 ≤ timesteps ≤ 100000, learningRate > 0, weightDecay ≥ 0, 0 ≤ dropout < 1, threads ≥ 0, maxCategories ≥ 1"
      )
    }
    try earlyStopping.check(kind: Self.kind)
  }

  /// The early-stopping options.
  public var earlyStopping: EarlyStoppingOptions {
    EarlyStoppingOptions(validation: validation, patience: patience, validateEvery: validateEvery)
  }

  /// Trains the denoiser.
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds.
  ///   - seed: Seeds initialization, batch order, steps and noise.
  ///   - progress: Receives one update per epoch with the losses.
  /// - Returns: The fitted model.
  /// - Throws: ``DoppelError`` `noRows`, `schemaMismatch` or `invalidArgument`.
  public func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?
  ) async throws -> TabDDPMModel {
    try await fit(table, metadata: metadata, seed: seed, progress: progress, checkpoint: nil)
  }

  /// Trains the denoiser, saving a checkpoint after every epoch.
  ///
  /// Epoch e draws its batch order, steps and noise from streams derived from (seed, e), so a
  /// resumed run equals an uninterrupted one.
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds.
  ///   - seed: The seed.
  ///   - progress: Receives one update per epoch with the losses.
  ///   - checkpoint: Where to save and whether to resume.
  /// - Returns: The fitted model.
  /// - Throws: ``DoppelError`` for bad input or another run's checkpoint; `CancellationError`
  ///   when cancelled (the last checkpoint stays).
  public func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?,
    checkpoint: TrainingCheckpoint?
  ) async throws -> TabDDPMModel {
    try await Training.withThreads(threads) {
      try await train(
        table, metadata: metadata, seed: seed, progress: progress, checkpoint: checkpoint)
    }
  }

  /// The body of ``fit(_:metadata:seed:progress:checkpoint:)``, run with the fit's threads.
  private func train(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?,
    checkpoint: TrainingCheckpoint?
  ) async throws -> TabDDPMModel {
    var (loop, table) = try EpochLoop.start(
      self, table: table, metadata: metadata, seed: seed, progress: progress,
      checkpoint: checkpoint)
    let encoder = TabDDPMEncoder.fit(table, maximumCategories: maxCategories)
    let data = encoder.encode(table)
    var trainer = TabDDPMTrainer(synthesizer: self, encoder: encoder, seed: seed)
    let first = try loop.resume(&trainer)
    let n = data.rowCount
    let batch = min(batchSize, n)
    return try loop.run(&trainer, from: first) { trainer, epoch in
      trainer.random = SeededGenerator(seed: seed, label: "tabddpm noise", index: UInt64(epoch))
      let order = Training.permutation(rows: n, seed: seed, label: "tabddpm epoch", epoch: epoch)
      var gaussian: Float = 0
      var multinomial: Float = 0
      var steps = 0
      for start in stride(from: 0, to: n, by: batch) {
        try Task.checkCancellation()
        let losses = trainer.step(data, rows: Array(order[start..<min(start + batch, n)]))
        gaussian += losses.gaussian
        multinomial += losses.multinomial
        steps += 1
      }
      let count = Float(max(steps, 1))
      return EpochSummary(
        finite: (gaussian + multinomial).isFinite,
        losses: "loss \(Training.format((gaussian + multinomial) / count)) (gaussian "
          + "\(Training.format(gaussian / count)), multinomial "
          + "\(Training.format(multinomial / count)))")
    } model: { weights, record in
      TabDDPMModel(
        synthesizer: self, metadata: metadata, trainingRowCount: data.rowCount, encoder: encoder,
        weights: weights, earlyStopping: record)
    }
  }
}

/// The denoiser and optimizer state of a TabDDPM being trained.
struct TabDDPMTrainer: EpochTrainer {
  let synthesizer: TabDDPMSynthesizer
  let schedule: DiffusionSchedule
  let sizes: [Int]
  let numericCount: Int
  let denoiser: TabDDPMDenoiser
  var adam: Adam
  var random: SeededGenerator

  init(synthesizer: TabDDPMSynthesizer, encoder: TabDDPMEncoder, seed: UInt64) {
    self.synthesizer = synthesizer
    schedule = DiffusionSchedule(synthesizer.schedule, steps: synthesizer.timesteps)
    sizes = encoder.features.map(\.size)
    numericCount = encoder.numericColumns.count
    var random = SeededGenerator(seed: seed, label: "tabddpm init")
    denoiser = TabDDPMDenoiser(
      width: numericCount + sizes.reduce(0, +),
      hiddenWidths: Array(repeating: synthesizer.hiddenWidth, count: synthesizer.hiddenLayers),
      timeDimension: synthesizer.timeDimension, random: &random)
    self.random = SeededGenerator(seed: seed, label: "tabddpm noise")
    adam = Adam(
      parameters: denoiser.parameters, learningRate: Float(synthesizer.learningRate),
      weightDecay: Float(synthesizer.weightDecay), decoupled: true)
  }

  var modelWeights: [StoredTensor] { denoiser.parameters.stored }

  var optimizerSteps: [Int] { [adam.step] }

  var checkpointTensors: [StoredTensor] {
    denoiser.parameters.stored + adam.state.map(StoredTensor.init)
  }

  mutating func restore(_ stored: [StoredTensor], steps: [Int]) throws {
    let parameters = denoiser.parameters
    let count = parameters.count
    guard stored.count == 3 * count, steps.count == 1, steps[0] >= 0 else {
      throw DoppelError(.corruptModel, "the checkpoint does not fit the model")
    }
    try restoreTensors(Array(stored[0..<count]), into: parameters)
    try adam.restore(stored[count...].map { try $0.tensor() }[...], step: steps[0])
  }

  /// The prior term KL(q(x_T | x_0) ‖ uniform) of one feature with K classes; it does not depend
  /// on the class of x_0.
  func priorKL(classes k: Int) -> Double {
    let last = schedule.alphaBars[schedule.steps - 1]
    let kept = last + (1 - last) / Double(k)
    let other = (1 - last) / Double(k)
    var total = kept * Foundation.log(kept * Double(k))
    if k > 1, other > 0 { total += Double(k - 1) * other * Foundation.log(other * Double(k)) }
    return total
  }

  /// One optimization step on the given rows; returns the Gaussian and multinomial losses.
  mutating func step(_ data: DiffusionRows, rows: [Int]) -> (gaussian: Float, multinomial: Float) {
    let r = rows.count
    let width = numericCount + sizes.reduce(0, +)
    var steps = [Int](repeating: 0, count: r)
    for i in 0..<r { steps[i] = random.nextInt(below: schedule.steps) }
    // x_t for the numbers: √ᾱ_t·x_0 + √(1−ᾱ_t)·ε.
    var input = Tensor(rows: r, cols: width)
    var noise = Tensor(rows: r, cols: numericCount)
    for i in 0..<r {
      for f in 0..<numericCount {
        let e = Float(random.nextNormal())
        noise[i, f] = e
        input[i, f] = schedule.noisyNumber(data.numbers[f][rows[i]], step: steps[i], noise: e)
      }
    }
    // x_t for the categories: x_0 with probability ᾱ_t, otherwise a uniform class.
    var start: [[Int32]] = []
    var noisy: [[Int32]] = []
    var offset = numericCount
    for (f, k) in sizes.enumerated() {
      var s = [Int32](repeating: 0, count: r)
      var x = [Int32](repeating: 0, count: r)
      for i in 0..<r {
        s[i] = data.classes[f][rows[i]]
        x[i] = schedule.noisyClass(s[i], classes: k, step: steps[i], random: &random)
        input[i, offset + Int(x[i])] = 1
      }
      start.append(s)
      noisy.append(x)
      offset += k
    }
    let time = denoiser.timeEmbedding(steps)
    let output = denoiser(
      Variable(input), time: time, dropout: Float(synthesizer.dropout), random: &random)
    var total: Variable?
    var gaussian: Float = 0
    var multinomial: Float = 0
    if numericCount > 0 {
      let loss = meanSquaredError(sliceCols(output, 0, numericCount), Variable(noise))
      gaussian = loss.scalar
      total = loss
    }
    if !sizes.isEmpty {
      let batch = MultinomialBatch(
        sizes: sizes, start: start, noisy: noisy, steps: steps.map(schedule.multinomialLogs))
      let kl = multinomialDiffusionKL(
        sliceCols(output, numericCount, width - numericCount), batch: batch)
      let prior = sizes.reduce(0) { $0 + priorKL(classes: $1) }
      let features = Float(sizes.count)
      let weighted = scale(meanAll(kl), Float(schedule.steps) / features)
      multinomial = weighted.scalar + Float(prior) / features
      total = total.map { $0 + weighted } ?? weighted
    }
    guard let total else { return (0, 0) }
    let parameters = denoiser.parameters
    let grads = Autodiff.gradients(of: total, wrt: parameters)
    adam.update(parameters, gradients: grads.map(\.value))
    return (gaussian, multinomial)
  }
}

extension TabDDPMSynthesizer: EpochTrainedSynthesizer {}
