import Doppel
import Foundation
import HTTPTypes
import Logging

/// The service's shared state: the job store, the data folder, the worker pool and a cache of
/// decoded models.
public final class DoppelService: Sendable {
  /// The job store.
  public let store: any JobStore
  /// The data folder.
  public let paths: DataPaths
  /// The settings.
  public let configuration: ServerConfiguration
  /// The worker pool.
  public let runner: JobRunner
  let models: ModelCache
  let events: S3EventProcessor
  let logger: Logger

  /// Opens the data folder and the job store (SQLite, or PostgreSQL when
  /// ``ServerConfiguration/databaseURL`` is set), and recovers jobs a previous run left.
  /// - Parameters:
  ///   - configuration: The settings.
  ///   - logger: The service's logger.
  /// - Throws: ``DoppelError`` `io` when the data folder or the store cannot be opened.
  public init(configuration: ServerConfiguration, logger: Logger) async throws {
    guard configuration.workers >= 1 else {
      throw DoppelError(.invalidArgument, "workers must be 1 or more")
    }
    do {
      paths = try DataPaths(root: configuration.dataDirectory)
    } catch {
      throw DoppelError(
        .io, "cannot create the data folder; check the path and permissions",
        context: .init(file: configuration.dataDirectory))
    }
    store = try await DoppelService.openStore(configuration, paths: paths, logger: logger)
    self.configuration = configuration
    self.logger = logger
    models = ModelCache()
    runner = JobRunner(store: store, paths: paths, configuration: configuration, logger: logger)
    events = try S3EventProcessor(
      client: configuration.s3, outputPrefix: configuration.s3OutputPrefix, paths: paths,
      logger: logger)
    try await runner.recover()
    try await events.resume()
  }

  /// Opens the job store a configuration names.
  /// - Parameters:
  ///   - configuration: The settings.
  ///   - paths: The data folder.
  ///   - logger: The logger.
  /// - Returns: The store.
  /// - Throws: ``DoppelError`` `io` when it cannot be opened.
  public static func openStore(
    _ configuration: ServerConfiguration, paths: DataPaths, logger: Logger
  ) async throws -> any JobStore {
    if let url = configuration.databaseURL {
      return try await PostgresJobStore(url: url, logger: logger)
    }
    do {
      return try SQLiteJobStore(path: paths.database)
    } catch {
      throw DoppelError(
        .io, "cannot open the job store; check that the data folder is writable",
        context: .init(file: paths.database))
    }
  }

  /// Stops the workers (running jobs go back to the queue) and closes the store.
  public func shutdown() async {
    await runner.shutdown()
    await events.shutdown()
    await store.close()
  }
}

/// Decoded models, so repeated sample requests do not decode the file again.
actor ModelCache {
  private var entries: [String: any FittedModel] = [:]
  private var order: [String] = []
  private let capacity = 16

  func model(_ id: String, path: String) throws -> any FittedModel {
    if let model = entries[id] { return model }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw APIError(.notFound, "not_found", "the model's file is missing; train the model again")
    }
    let model = try SynthesizerRegistry.standard.loadModel(data)
    entries[id] = model
    order.append(id)
    if order.count > capacity { entries[order.removeFirst()] = nil }
    return model
  }

  func remove(_ id: String) {
    entries[id] = nil
    order.removeAll { $0 == id }
  }
}
