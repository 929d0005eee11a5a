import DoppelCore
import DoppelModels
import Foundation

/// What the epoch loop needs from a neural synthesizer's options.
protocol EpochTrainedSynthesizer: Synthesizer {
  /// The synthesizer's name, as in progress and checkpoints.
  static var kind: String { get }
  /// Passes over the training rows.
  var epochs: Int { get }
  /// Early stopping on a validation score (off when `validation` is 0).
  var earlyStopping: EarlyStoppingOptions { get }
  /// Checks the options.
  func validate() throws
}

/// What the epoch loop needs from the state of a network being trained.
protocol EpochTrainer {
  /// The weights a model file stores.
  var modelWeights: [StoredTensor] { get }
  /// Everything a checkpoint stores: weights, statistics and optimizer moments.
  var checkpointTensors: [StoredTensor] { get }
  /// The step counts of the optimizers, in checkpoint order.
  var optimizerSteps: [Int] { get }
  /// Restores ``checkpointTensors`` and ``optimizerSteps`` from a checkpoint.
  mutating func restore(_ stored: [StoredTensor], steps: [Int]) throws
}

/// One finished epoch, as the synthesizer's step loop reports it.
struct EpochSummary {
  /// Whether every loss of the epoch is a finite number.
  var finite: Bool
  /// The losses, as progress shows them ("G 0.1234, D -0.5678").
  var losses: String
}

/// The set-up and epoch loop every neural synthesizer shares, so CTGAN (with and without DP-SGD),
/// TVAE and TabDDPM differ only in their steps and models: the option and table checks, the run
/// key of checkpoints, the validation split of early stopping, resuming, and after each epoch
/// the finite-loss check, early stopping, the checkpoint and one progress event.
struct EpochLoop {
  /// The synthesizer's name, as in checkpoints.
  let kind: String
  /// The progress stage, "training ctgan" by default.
  var stage: String
  /// Epochs to run in all, counting those of a resumed checkpoint.
  let epochs: Int
  /// The run key: checkpoints of another run are refused.
  let run: String
  let checkpoint: TrainingCheckpoint?
  let progress: ProgressReporter?
  /// Early stopping, when enabled.
  var stopper: EarlyStopping?

  /// Checks the synthesizer's options and the table, computes the run key (from the whole
  /// table) and splits off the validation rows when early stopping is on.
  /// - Returns: The loop and the rows to train on.
  /// - Throws: ``DoppelError`` for bad options or input.
  static func start<S: EpochTrainedSynthesizer>(
    _ synthesizer: S, table: Table, metadata: TableMetadata, seed: UInt64,
    progress: ProgressReporter?, checkpoint: TrainingCheckpoint?
  ) throws -> (loop: EpochLoop, training: Table) {
    try synthesizer.validate()
    try Training.check(table, metadata: metadata, kind: S.kind)
    let run = try CheckpointFile.runKey(synthesizer, seed: seed, table: table)
    let (training, stopper) = try EarlyStopping.split(
      table, options: synthesizer.earlyStopping, seed: seed, kind: S.kind)
    let loop = EpochLoop(
      kind: S.kind, stage: "training \(S.kind)", epochs: synthesizer.epochs, run: run,
      checkpoint: checkpoint, progress: progress, stopper: stopper)
    return (loop, training)
  }

  /// Restores `trainer` (and the early-stopping state) from the checkpoint when resuming.
  /// - Returns: The first epoch still to run (0 for a fresh run).
  /// - Throws: ``DoppelError`` for another run's or a corrupt checkpoint.
  mutating func resume(_ trainer: inout some EpochTrainer) throws -> Int {
    guard let file = try CheckpointFile.load(checkpoint, kind: kind, run: run) else { return 0 }
    try trainer.restore(file.tensors, steps: file.steps)
    stopper?.restore(file.earlyStopping)
    return min(file.epochsDone, epochs)
  }

  /// Runs the epochs from `first` (see ``resume(_:)``) until `epochs` or until early stopping
  /// stops, and builds the model from the final weights (the best evaluated ones with early
  /// stopping).
  /// - Parameters:
  ///   - trainer: The networks and optimizers being trained.
  ///   - first: The first epoch to run.
  ///   - epoch: Runs one epoch (counted from 0) of steps; it should check for cancellation
  ///     between steps.
  ///   - model: The model for some weights and the early-stopping record.
  /// - Returns: The model of the final weights.
  /// - Throws: `CancellationError`, ``DoppelError`` `fitFailed` when a loss stops being finite,
  ///   checkpoint and sampling errors.
  mutating func run<Trainer: EpochTrainer, Model: FittedModel>(
    _ trainer: inout Trainer, from first: Int,
    epoch: (inout Trainer, Int) throws -> EpochSummary,
    model: ([StoredTensor], EarlyStoppingRecord?) -> Model
  ) throws -> Model {
    let started = Date()
    let cpuStarted = Training.processorSeconds()
    for index in first..<max(epochs, first) where stopper?.stopped != true {
      try Task.checkCancellation()
      let summary = try epoch(&trainer, index)
      let done = index + 1
      try Training.checkFinite(summary.finite, epoch: done)
      try stopper?.afterEpoch(
        done, model: { model(trainer.modelWeights, nil) }, weights: { trainer.modelWeights })
      if checkpoint != nil {
        try CheckpointFile(
          kind: kind, run: run, epochsDone: done, tensors: trainer.checkpointTensors,
          steps: trainer.optimizerSteps, earlyStopping: stopper?.state
        ).save(to: checkpoint)
      }
      progress?.report(
        ProgressReporter.Event(
          stage: stage, completed: done, total: epochs,
          detail: summary.losses
            + Training.secondsPerEpoch(started, cpuStarted: cpuStarted, epochs: done - first)
            + (stopper?.detail ?? "")))
    }
    let weights = trainer.modelWeights
    return model(stopper?.finalWeights(current: weights) ?? weights, stopper?.record)
  }

  /// Reports the (ε, δ) guarantee of a DP-SGD fit as its last progress event.
  func report(_ guarantee: PrivacyGuarantee) {
    progress?.report(
      ProgressReporter.Event(
        stage: "DP-SGD guarantee", completed: 1, total: 1,
        detail: String(
          format: "epsilon %.3f, delta %.2e, noise multiplier %.4g", guarantee.epsilon,
          guarantee.delta, guarantee.noiseMultiplier)))
  }
}
