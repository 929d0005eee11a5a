import DoppelCore
import DoppelModels
import Foundation

/// Where training saves its state after every epoch, and whether it resumes from that file.
///
/// A checkpoint holds the weights, batch statistics and optimizer moments after the last finished
/// epoch. Every epoch draws its random numbers from a stream derived from the seed and the epoch
/// number, so a resumed run continues exactly as an uninterrupted one would.
public struct TrainingCheckpoint: Sendable, Equatable {
  /// The checkpoint file.
  public var path: String
  /// Whether to continue from the file if it exists.
  public var resume: Bool

  /// Creates checkpoint settings.
  /// - Parameters:
  ///   - path: The checkpoint file.
  ///   - resume: Whether to continue from it.
  public init(path: String, resume: Bool) {
    self.path = path
    self.resume = resume
  }
}

/// A synthesizer whose training can save checkpoints and resume from them.
public protocol CheckpointingSynthesizer: Synthesizer {
  /// Trains like ``Synthesizer/fit(_:metadata:seed:progress:)``, saving a checkpoint after every
  /// epoch and optionally resuming from one.
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds.
  ///   - seed: The seed.
  ///   - progress: Receives progress.
  ///   - checkpoint: Where to save and whether to resume.
  /// - Returns: The fitted model.
  /// - Throws: ``DoppelError`` for bad input or a checkpoint of another run; `CancellationError`
  ///   when the task is cancelled (the last checkpoint stays).
  func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?,
    checkpoint: TrainingCheckpoint?
  ) async throws -> Model
}

/// The saved state of a training run.
struct CheckpointFile: Codable {
  var kind: String
  /// Identifies the run: hyper-parameters, seed and table shape.
  var run: String
  var epochsDone: Int
  var tensors: [StoredTensor]
  var steps: [Int]
  /// Early-stopping state when validation is on.
  var earlyStopping: EarlyStoppingState?

  /// Hyper-parameters (except epochs and threads, which may change on resume), seed and table
  /// shape.
  static func runKey(_ synthesizer: some Synthesizer, seed: UInt64, table: Table) throws -> String {
    let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(synthesizer))
    var options = object as? [String: Any] ?? [:]
    options["epochs"] = nil
    options["threads"] = nil
    let hyper = String(
      decoding: try JSONSerialization.data(withJSONObject: options, options: [.sortedKeys]),
      as: UTF8.self)
    return
      "\(hyper) seed \(seed) rows \(table.rowCount) columns \(table.columnNames.joined(separator: "\u{1F}"))"
  }

  /// Reads a checkpoint for this run, or nil when there is none.
  static func load(_ checkpoint: TrainingCheckpoint?, kind: String, run: String) throws
    -> CheckpointFile?
  {
    guard let checkpoint, checkpoint.resume,
      FileManager.default.fileExists(atPath: checkpoint.path)
    else { return nil }
    let file: CheckpointFile
    do {
      file = try JSONDecoder().decode(
        CheckpointFile.self, from: Data(contentsOf: URL(fileURLWithPath: checkpoint.path)))
    } catch {
      throw DoppelError(
        .corruptModel,
        "the checkpoint file cannot be read; delete it or train without --resume",
        context: .init(file: checkpoint.path))
    }
    guard file.kind == kind, file.run == run else {
      throw DoppelError(
        .invalidArgument,
        "the checkpoint belongs to another run (synthesizer, options, seed or table differ); use the same ones or another checkpoint path",
        context: .init(file: checkpoint.path))
    }
    return file
  }

  /// Writes the checkpoint atomically (temporary file, then rename).
  func save(to checkpoint: TrainingCheckpoint?) throws {
    guard let checkpoint else { return }
    do {
      try JSONEncoder().encode(self).write(
        to: URL(fileURLWithPath: checkpoint.path), options: .atomic)
    } catch {
      throw DoppelError(
        .io, "cannot write the checkpoint; check the folder exists and is writable",
        context: .init(file: checkpoint.path))
    }
  }
}

extension Adam {
  /// The moments, for a checkpoint.
  var state: [Tensor] { m + v }

  /// Restores moments and the step count.
  mutating func restore(_ tensors: ArraySlice<Tensor>, step: Int) throws {
    guard tensors.count == m.count + v.count else {
      throw DoppelError(.corruptModel, "the checkpoint's optimizer state does not fit the model")
    }
    let values = Array(tensors)
    for k in m.indices {
      guard values[k].hasShape(of: m[k]), values[m.count + k].hasShape(of: v[k]) else {
        throw DoppelError(.corruptModel, "the checkpoint's optimizer state does not fit the model")
      }
      m[k] = values[k]
      v[k] = values[m.count + k]
    }
    self.step = step
  }
}

extension BatchNorm {
  var statistics: [Tensor] { [runningMean, runningVariance] }
}

/// Copies checkpointed tensors into variables and tensors of matching shapes.
func restoreTensors(_ stored: [StoredTensor], into targets: [Variable]) throws {
  guard stored.count == targets.count else {
    throw DoppelError(.corruptModel, "the checkpoint does not fit the model")
  }
  for (s, target) in zip(stored, targets) {
    let t = try s.tensor()
    guard t.hasShape(of: target.value) else {
      throw DoppelError(.corruptModel, "the checkpoint does not fit the model")
    }
    target.value = t
  }
}
