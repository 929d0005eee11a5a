import Doppel
import DoppelPipeline
import Foundation
import Logging

/// The background worker pool: runs queued training jobs, at most `workers` at once, oldest
/// first, and keeps their state in the job store.
///
/// A job's model appears in the store in the same step that marks the job succeeded; files are
/// written to temporary names and renamed. So a server killed at any point leaves either no model
/// or a whole one; ``recover()`` on the next start puts jobs that were running back in the queue
/// (or marks them failed with a reason after ``ServerConfiguration/maxAttempts`` starts).
public actor JobRunner {
  private let store: any JobStore
  private let paths: DataPaths
  private let configuration: ServerConfiguration
  private let logger: Logger
  private var pending: [String] = []
  private var running: [String: Task<Void, Never>] = [:]
  private var stopped = false

  /// Creates a runner; call ``recover()`` before serving.
  /// - Parameters:
  ///   - store: The job store.
  ///   - paths: The data folder.
  ///   - configuration: Workers, holdout and attempts.
  ///   - logger: Receives job events.
  public init(
    store: any JobStore, paths: DataPaths, configuration: ServerConfiguration, logger: Logger
  ) {
    self.store = store
    self.paths = paths
    self.configuration = configuration
    self.logger = logger
  }

  /// Re-queues jobs a previous server left running (or fails them after too many starts), then
  /// queues every queued job.
  /// - Throws: A store error.
  public func recover() async throws {
    for var job in try await store.jobs(in: .running) {
      if job.attempts >= configuration.maxAttempts {
        job.state = .failed
        job.error =
          "the server stopped while the job was running, \(job.attempts) times; "
          + "create a new job to try again"
        logger.warning("job failed after restarts", metadata: ["job": "\(job.id)"])
      } else {
        job.state = .queued
        job.stage = "queued"
        job.progress = 0
        logger.notice("job re-queued after a restart", metadata: ["job": "\(job.id)"])
      }
      job.updatedAt = Date()
      try await store.update(job)
    }
    for job in try await store.jobs(in: .queued) where !pending.contains(job.id) {
      pending.append(job.id)
    }
    schedule()
  }

  /// Queues a stored job.
  /// - Parameter id: The job's id.
  public func enqueue(_ id: String) {
    guard !stopped else { return }
    pending.append(id)
    schedule()
  }

  /// Cancels a job: a queued job leaves the queue, a running one is told to stop.
  /// - Parameter id: The job's id.
  public func cancel(_ id: String) {
    pending.removeAll { $0 == id }
    running[id]?.cancel()
  }

  /// Jobs running now.
  public var runningCount: Int { running.count }

  /// Stops taking jobs; running jobs are told to stop and put back in the queue at once, so the
  /// next start runs them again (a worker that is still fitting finds its job no longer running
  /// and drops its result).
  public func shutdown() async {
    stopped = true
    pending.removeAll()
    let tasks = running
    running.removeAll()
    for (id, task) in tasks {
      task.cancel()
      if var job = try? await store.job(id, owner: nil), job.state == .running {
        job.state = .queued
        job.stage = "queued"
        job.progress = 0
        job.updatedAt = Date()
        try? await store.update(job)
      }
    }
  }

  private func schedule() {
    while !stopped && running.count < configuration.workers && !pending.isEmpty {
      let id = pending.removeFirst()
      let store = self.store
      let paths = self.paths
      let configuration = self.configuration
      let logger = self.logger
      running[id] = Task.detached {
        await JobExecution(
          id: id, store: store, paths: paths, configuration: configuration, logger: logger
        ).run()
        await self.finished(id)
      }
    }
  }

  private func finished(_ id: String) {
    running[id] = nil
    schedule()
  }
}

/// One run of one job.
struct JobExecution {
  let id: String
  let store: any JobStore
  let paths: DataPaths
  let configuration: ServerConfiguration
  let logger: Logger

  func run() async {
    guard var job = try? await store.job(id, owner: nil), job.state == .queued else { return }
    job.state = .running
    job.attempts += 1
    job.stage = "loading"
    job.progress = 0.05
    job.updatedAt = Date()
    do {
      try await store.update(job)
    } catch {
      logger.error("cannot update a job", metadata: ["job": "\(id)"])
      return
    }
    logger.info("job started", metadata: ["job": "\(id)", "attempt": "\(job.attempts)"])
    let started = Date()
    do {
      let model = try await train(&job)
      job.state = .succeeded
      job.stage = "done"
      job.progress = 1
      job.modelID = model.id
      job.updatedAt = Date()
      if try await isCancelled() { return }
      try await store.finish(job, model: model)
      logger.info(
        "job succeeded",
        metadata: [
          "job": "\(id)", "model": "\(model.id)",
          "seconds": "\(String(format: "%.2f", Date().timeIntervalSince(started)))",
        ])
    } catch is CancellationError {
      logger.info("job stopped", metadata: ["job": "\(id)"])
    } catch {
      if (try? await isCancelled()) == true { return }
      job.state = .failed
      job.error = APIErrorText.describe(error)
      job.updatedAt = Date()
      _ = try? await store.updateRunning(job)
      logger.warning("job failed", metadata: ["job": "\(id)", "error": "\(job.error ?? "")"])
    }
  }

  /// Whether the job was cancelled (its stored state says so) while it ran.
  private func isCancelled() async throws -> Bool {
    try await store.job(id, owner: nil)?.state == .cancelled
  }

  /// Records the stage; throws `CancellationError` when the job was cancelled meanwhile.
  private func setStage(_ job: inout JobRecord, _ stage: String, _ progress: Double) async throws {
    job.stage = stage
    job.progress = progress
    job.updatedAt = Date()
    guard try await store.updateRunning(job) else { throw CancellationError() }
  }

  private func train(_ job: inout JobRecord) async throws -> ModelRecord {
    let (table, detected) = try TableSource.load(path: paths.dataset(job.datasetID))
    var metadata = detected
    let label = job.label ?? metadata.label ?? Pipeline.defaultLabel(metadata)
    if let label {
      guard metadata[label] != nil else {
        throw DoppelError(
          .unknownColumn, "the label column is not in the dataset", context: .init(column: label))
      }
      metadata.label = label
    }
    let options = try JSONDecoder().decode(
      [String: String].self, from: Data(job.options.utf8))
    let choice = SynthesizerChoice.choose(
      profile: TableProfile(table: table),
      settings: .init(synthesizer: job.synthesizer, options: options))
    let folder = paths.job(job.id)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try await setStage(&job, "fitting", 0.1)
    let result = try await TableSynthesis.run(
      table: table, metadata: metadata, choice: choice, seed: job.seed,
      holdoutFraction: configuration.holdoutFraction, rows: nil, label: label,
      title: "Synthetic table (job \(job.id))", folder: folder
    ) { synthetic in synthetic }
    _ = result
    try await setStage(&job, "saving", 0.95)
    let bytes =
      (try? FileManager.default.attributesOfItem(atPath: folder + "/model.json")[.size] as? Int)
      ?? 0
    let encodedOptions = try JSONEncoder.sorted.encode(choice.options)
    return ModelRecord(
      id: Identifier.make("mdl"), owner: job.owner, jobID: job.id, datasetID: job.datasetID,
      synthesizer: choice.synthesizer, options: String(decoding: encodedOptions, as: UTF8.self),
      reason: choice.reason, bytes: bytes, createdAt: Date())
  }
}

/// Error text for job records: the message without server paths or data values.
enum APIErrorText {
  static func describe(_ error: any Error) -> String {
    if var error = error as? DoppelError {
      error.context.file = nil
      return error.description
    }
    if let error = error as? APIError { return error.message }
    return "internal error (\(String(describing: type(of: error))))"
  }
}

extension JSONEncoder {
  /// An encoder with sorted keys, for stable stored JSON.
  static var sorted: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }
}
