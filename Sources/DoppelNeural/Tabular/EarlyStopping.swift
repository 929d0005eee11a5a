import DoppelCore
import DoppelModels
import Foundation

/// Early stopping on a validation score, shared by the neural synthesizers' training loops.
///
/// With `validation` > 0, that fraction of the rows (drawn with the stream (seed, "validation
/// split")) is held out: the encoder and the networks never see it. Every `validateEvery` epochs
/// the current model samples as many rows as the hold-out has (at least 1,000, at most 10,000),
/// always with the same seed (common random numbers, so two evaluations differ by the model, not
/// by the draw), and the sample is scored against the hold-out by ``ColumnShapeScore``. The
/// weights of the best evaluation are kept; after `patience` evaluations without a better score
/// training stops, and the returned model is the best one, not the last.
///
/// The sampling streams are separate from the training streams, so turning validation on changes
/// training only through the rows it holds out. Early stopping after a fixed number of
/// non-improving checks follows Prechelt, "Early Stopping — But When?", in *Neural Networks:
/// Tricks of the Trade* (1998).
public struct EarlyStoppingOptions: Sendable, Equatable {
  /// The fraction of rows held out for validation; 0 turns validation and early stopping off.
  public var validation: Double
  /// Evaluations without improvement before training stops; 0 never stops early (the best
  /// evaluated epoch is still the one returned).
  public var patience: Int
  /// Epochs between evaluations.
  public var validateEvery: Int

  /// Default `patience`.
  public static let defaultPatience = 10
  /// Default `validateEvery`.
  public static let defaultValidateEvery = 5

  /// Creates early-stopping options.
  /// - Parameters:
  ///   - validation: The held-out fraction, in [0, 0.5]; 0 is off.
  ///   - patience: Evaluations without improvement before stopping; 0 never stops.
  ///   - validateEvery: Epochs between evaluations, at least 1.
  public init(
    validation: Double = 0, patience: Int = defaultPatience,
    validateEvery: Int = defaultValidateEvery
  ) {
    self.validation = validation
    self.patience = patience
    self.validateEvery = validateEvery
  }

  /// Whether rows are held out and evaluated.
  public var isEnabled: Bool { validation > 0 }

  /// The out-of-range options, for a synthesizer's option check.
  func problems() -> [String] {
    var problems: [String] = []
    if !(validation >= 0 && validation <= 0.5) { problems.append("0 ≤ validation ≤ 0.5") }
    if patience < 0 { problems.append("patience ≥ 0") }
    if validateEvery < 1 { problems.append("validateEvery ≥ 1") }
    return problems
  }

  /// Checks the options.
  /// - Parameters:
  ///   - kind: The synthesizer, for the message.
  ///   - isPrivate: Whether training is differentially private.
  /// - Throws: ``DoppelError`` `invalidArgument` listing every problem.
  func check(kind: String, isPrivate: Bool = false) throws {
    var problems = problems()
    if isPrivate && isEnabled {
      problems.append(
        "validation = 0 with DP-SGD (choosing an epoch on held-out rows is not covered by the (ε, δ) guarantee)"
      )
    }
    guard problems.isEmpty else {
      throw DoppelError(
        .invalidArgument,
        "\(kind) early-stopping options out of range: \(problems.joined(separator: ", "))")
    }
  }
}

/// What early stopping chose, as recorded in a model file.
public struct EarlyStoppingRecord: Codable, Sendable, Equatable {
  /// The epoch whose weights the model holds (epochs counted from 1).
  public var bestEpoch: Int
  /// That epoch's validation score (mean column-shape score, 0 to 1, higher is better).
  public var bestScore: Double
  /// The epochs trained in all, including those after the best.
  public var epochsTrained: Int
  /// Whether training stopped before `epochs` because the score stopped improving.
  public var stoppedEarly: Bool
  /// The rows held out for validation.
  public var validationRows: Int
  /// The score's name, ``columnShapes``.
  public var metric: String

  /// The name of the mean column-shape score (KS complement for numbers, TV complement for
  /// categories, as SDMetrics' Column Shapes).
  public static let columnShapes = "mean column shape (KS and TV complement)"

  /// Creates a record.
  /// - Parameters:
  ///   - bestEpoch: The kept epoch.
  ///   - bestScore: Its score.
  ///   - epochsTrained: Epochs trained in all.
  ///   - stoppedEarly: Whether patience ran out.
  ///   - validationRows: Held-out rows.
  ///   - metric: The score's name.
  public init(
    bestEpoch: Int, bestScore: Double, epochsTrained: Int, stoppedEarly: Bool,
    validationRows: Int, metric: String = EarlyStoppingRecord.columnShapes
  ) {
    self.bestEpoch = bestEpoch
    self.bestScore = bestScore
    self.epochsTrained = epochsTrained
    self.stoppedEarly = stoppedEarly
    self.validationRows = validationRows
    self.metric = metric
  }
}

/// The early-stopping state of a run, saved in checkpoints so a resumed run decides as a
/// straight one.
struct EarlyStoppingState: Codable, Equatable {
  /// The best score so far, nil before the first evaluation.
  var bestScore: Double?
  /// The epochs done when the best score was reached.
  var bestEpoch = 0
  /// Evaluations since the best one.
  var evaluationsWithoutImprovement = 0
  /// The latest score.
  var lastScore: Double?
  /// Whether patience ran out.
  var stopped = false
  /// The epochs trained so far.
  var epochsTrained = 0
  /// The model weights at the best epoch.
  var bestWeights: [StoredTensor] = []
}

/// Splits off the validation rows, evaluates the model during training and keeps the best
/// weights. One value per training run; see ``EarlyStoppingOptions``.
struct EarlyStopping {
  let options: EarlyStoppingOptions
  /// The held-out rows.
  let holdout: Table
  /// Rows sampled per evaluation.
  let sampleRows: Int
  /// The seed of every validation sample.
  let sampleSeed: UInt64
  /// The state, saved in checkpoints.
  var state = EarlyStoppingState()

  /// Splits a table into training and validation rows; returns the table unchanged and nil when
  /// validation is off.
  /// - Throws: ``DoppelError`` `invalidArgument` when either part would be empty.
  static func split(
    _ table: Table, options: EarlyStoppingOptions, seed: UInt64, kind: String
  ) throws -> (training: Table, stopping: EarlyStopping?) {
    guard options.isEnabled else { return (table, nil) }
    let (training, validation) = rows(
      count: table.rowCount, fraction: options.validation, seed: seed)
    guard !training.isEmpty, !validation.isEmpty else {
      throw DoppelError(
        .invalidArgument,
        "validation=\(options.validation) of \(table.rowCount) rows leaves no training or no validation rows for \(kind); use more rows or another fraction"
      )
    }
    let stopping = EarlyStopping(
      options: options, holdout: table.selectingRows(validation),
      sampleRows: min(max(validation.count, 1000), 10_000),
      sampleSeed: SeededGenerator.derive(seed: seed, label: "validation sample"))
    return (table.selectingRows(training), stopping)
  }

  /// The training and validation row positions (each ascending) for a fraction held out: a
  /// shuffle with the stream (seed, "validation split") whose first round(fraction·count)
  /// positions are held out.
  static func rows(count: Int, fraction: Double, seed: UInt64) -> (
    training: [Int], validation: [Int]
  ) {
    let held = min(max(Int((fraction * Double(count)).rounded()), 0), count)
    let order = Training.permutation(rows: count, seed: seed, label: "validation split", epoch: 0)
    return (order[held...].sorted(), order[..<held].sorted())
  }

  /// Restores the state from a checkpoint (nil: a fresh run).
  mutating func restore(_ saved: EarlyStoppingState?) {
    if let saved { state = saved }
  }

  /// Whether an earlier part of this run already stopped.
  var stopped: Bool { state.stopped }

  /// After epoch `epochsDone` (counted from 1): on every `validateEvery`-th epoch, scores a sample
  /// of `model` against the hold-out; keeps `weights()` when the score is the best so far and
  /// stops after `patience` evaluations without improvement. Weights that diverged to non-finite
  /// values score 0.
  /// - Parameters:
  ///   - epochsDone: Epochs finished.
  ///   - model: The model with the current weights.
  ///   - weights: The current weights, as the model file stores them.
  /// - Throws: Sampling errors.
  mutating func afterEpoch(
    _ epochsDone: Int, model: () throws -> any FittedModel, weights: () -> [StoredTensor]
  ) throws {
    state.epochsTrained = epochsDone
    guard epochsDone % options.validateEvery == 0 else { return }
    let score: Double
    do {
      let sample = try model().sample(rows: sampleRows, seed: sampleSeed)
      score = ColumnShapeScore.score(real: holdout, synthetic: sample)
    } catch let error as DoppelError where error.code == .corruptModel {
      // Weights that diverged to non-finite values cannot sample: the worst score.
      score = 0
    }
    state.lastScore = score
    if let best = state.bestScore, score <= best {
      state.evaluationsWithoutImprovement += 1
      if options.patience > 0 && state.evaluationsWithoutImprovement >= options.patience {
        state.stopped = true
      }
    } else {
      state.bestScore = score
      state.bestEpoch = epochsDone
      state.evaluationsWithoutImprovement = 0
      state.bestWeights = weights()
    }
  }

  /// "validation score X (best Y at epoch E)" for progress, or "" before the first evaluation.
  var detail: String {
    guard let last = state.lastScore, let best = state.bestScore else { return "" }
    return String(
      format: ", validation score %.4f (best %.4f at epoch %d)", last, best, state.bestEpoch)
      + (state.stopped ? ", stopping early" : "")
  }

  /// The weights to return: the best evaluated ones, or `current` when none was evaluated.
  func finalWeights(current: [StoredTensor]) -> [StoredTensor] {
    state.bestScore == nil ? current : state.bestWeights
  }

  /// The record for the model file, nil when no evaluation happened.
  var record: EarlyStoppingRecord? {
    guard let best = state.bestScore else { return nil }
    return EarlyStoppingRecord(
      bestEpoch: state.bestEpoch, bestScore: best, epochsTrained: state.epochsTrained,
      stoppedEarly: state.stopped, validationRows: holdout.rowCount)
  }
}

/// The mean column-shape score of a synthetic table against a real one, as SDMetrics'
/// "Column Shapes" property: per numeric (and datetime) column 1 − the Kolmogorov–Smirnov
/// statistic (KSComplement; Massey, "The Kolmogorov-Smirnov Test for Goodness of Fit", JASA 1951),
/// per categorical column 1 − the total variation distance of the label frequencies
/// (TVComplement); missing values are left out, string columns are not scored. 1 means equal
/// marginals.
enum ColumnShapeScore {
  /// The name recorded in model files.
  static let name = EarlyStoppingRecord.columnShapes

  /// The mean score over the scored columns (1 when none is scored).
  /// - Complexity: O(n log n) per numeric column for n rows.
  static func score(real: Table, synthetic: Table) -> Double {
    var scores: [Double] = []
    for (a, b) in zip(real.columns, synthetic.columns) {
      switch (a.values, b.values) {
      case (.numbers(let x), .numbers(let y)):
        scores.append(1 - ks(observed(x, a.missing), observed(y, b.missing)))
      case (.categories(let codesA, let labelsA), .categories(let codesB, let labelsB)):
        scores.append(
          1
            - totalVariation(
              frequencies(codesA, labelsA, a.missing), frequencies(codesB, labelsB, b.missing)))
      default:
        continue
      }
    }
    return scores.isEmpty ? 1 : scores.reduce(0, +) / Double(scores.count)
  }

  static func observed(_ values: [Double], _ missing: MissingMask) -> [Double] {
    values.indices.filter { !missing[$0] && values[$0].isFinite }.map { values[$0] }.sorted()
  }

  /// The two-sample Kolmogorov–Smirnov statistic of sorted samples (1 if exactly one is empty).
  static func ks(_ x: [Double], _ y: [Double]) -> Double {
    if x.isEmpty || y.isEmpty { return x.isEmpty && y.isEmpty ? 0 : 1 }
    var i = 0
    var j = 0
    var d = 0.0
    while i < x.count && j < y.count {
      let v = min(x[i], y[j])
      while i < x.count && x[i] <= v { i += 1 }
      while j < y.count && y[j] <= v { j += 1 }
      d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
    }
    return d
  }

  static func frequencies(_ codes: [Int32], _ labels: [String], _ missing: MissingMask)
    -> [String: Double]
  {
    var counts = [Int](repeating: 0, count: labels.count)
    var total = 0
    for row in codes.indices where !missing[row] {
      let code = Int(codes[row])
      guard code >= 0 && code < labels.count else { continue }
      counts[code] += 1
      total += 1
    }
    var out: [String: Double] = [:]
    guard total > 0 else { return out }
    for (label, count) in zip(labels, counts) where count > 0 {
      out[label, default: 0] += Double(count) / Double(total)
    }
    return out
  }

  /// ½ Σ |p − q| over the union of labels, summed in label order so the result never depends on
  /// dictionary order (1 if exactly one side is empty).
  static func totalVariation(_ p: [String: Double], _ q: [String: Double]) -> Double {
    if p.isEmpty || q.isEmpty { return p.isEmpty && q.isEmpty ? 0 : 1 }
    let labels = Set(p.keys).union(q.keys).sorted()
    return labels.reduce(0) { $0 + abs((p[$1] ?? 0) - (q[$1] ?? 0)) } / 2
  }
}
