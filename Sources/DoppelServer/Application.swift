import Doppel
import DoppelPipeline
import DoppelStores
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Builds the HTTP application of `doppel serve`.
/// - Parameters:
///   - service: The opened service (store, data folder, workers).
///   - logger: The server's logger.
/// - Returns: The application; run it with `runService()`, then call
///   ``DoppelService/shutdown()``.
public func buildApplication(service: DoppelService, logger: Logger) -> some ApplicationProtocol {
  Application(
    router: buildRouter(service),
    configuration: .init(
      address: .hostname(service.configuration.host, port: service.configuration.port),
      serverName: "doppel"),
    logger: logger)
}

/// The router: `/health` is open, everything under `/v1` and `/openapi.json` needs a token.
/// - Parameter service: The service.
/// - Returns: The router.
public func buildRouter(_ service: DoppelService) -> Router<DoppelRequestContext> {
  let router = Router(context: DoppelRequestContext.self)
  router.add(middleware: LogRequestsMiddleware(.info))
  router.get("/health") { _, _ in
    Response(
      status: .ok, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
  }
  let secured = router.group().add(middleware: BearerAuthentication(store: service.store))
  secured.get("/openapi.json") { _, _ in
    Response(
      status: .ok, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
  }
  let routes = Routes(service: service)
  let api = secured.group("v1")
  api.post("datasets", use: routes.upload)
  api.get("datasets", use: routes.listDatasets)
  api.get("datasets/:id", use: routes.getDataset)
  api.post("jobs", use: routes.createJob)
  api.get("jobs", use: routes.listJobs)
  api.get("jobs/:id", use: routes.getJob)
  api.post("jobs/:id/cancel", use: routes.cancelJob)
  api.get("jobs/:id/report", use: routes.report)
  api.get("models", use: routes.listModels)
  api.get("models/:id", use: routes.getModel)
  api.delete("models/:id", use: routes.deleteModel)
  api.post("models/:id/sample", use: routes.sample)
  api.post("events/s3", use: routes.s3Event)
  api.get("events/s3", use: routes.s3Events)
  return router
}

/// The route handlers.
struct Routes: Sendable {
  let service: DoppelService
  typealias Context = DoppelRequestContext

  private func id(_ context: Context, prefix: String, what: String) throws -> String {
    let text = context.parameters.get("id") ?? ""
    // Ids have a fixed shape, so nothing else (such as "../x") ever reaches a file path.
    guard Identifier.isValid(text, prefix: prefix) else { throw APIError.notFound(what) }
    return text
  }

  // MARK: Datasets

  @Sendable func upload(_ request: Request, context: Context) async throws -> EditedResponse<
    DatasetView
  > {
    let owner = try context.requireOwner()
    let limit = service.configuration.maxUploadBytes
    if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
      throw APIError(
        .contentTooLarge, "too_large", "the upload is larger than the limit of \(limit) bytes")
    }
    let name = request.uri.queryParameters.get("name") ?? "dataset"
    guard name.count <= 200, !name.contains("/"), !name.contains("\0") else {
      throw APIError(
        .badRequest, "invalid_name", "a dataset name has at most 200 characters and no '/'")
    }
    let id = Identifier.make("ds")
    let partial = service.paths.uploads + "/" + id + ".part"
    guard FileManager.default.createFile(atPath: partial, contents: nil),
      let handle = FileHandle(forWritingAtPath: partial)
    else {
      throw DoppelError(.io, "cannot store the upload; check the data folder")
    }
    var bytes = 0
    do {
      defer { try? handle.close() }
      for try await buffer in request.body {
        bytes += buffer.readableBytes
        if bytes > limit {
          throw APIError(
            .contentTooLarge, "too_large", "the upload is larger than the limit of \(limit) bytes")
        }
        try handle.write(contentsOf: Data(buffer.readableBytesView))
      }
    } catch {
      try? FileManager.default.removeItem(atPath: partial)
      throw error
    }
    let metadata: TableMetadata
    do {
      metadata = try TableSource.inspect(path: partial)
    } catch {
      try? FileManager.default.removeItem(atPath: partial)
      throw error
    }
    do {
      try FileManager.default.moveItem(atPath: partial, toPath: service.paths.dataset(id))
    } catch {
      try? FileManager.default.removeItem(atPath: partial)
      throw DoppelError(.io, "cannot store the upload; check the data folder")
    }
    let record = DatasetRecord(
      id: id, owner: owner, name: name, bytes: bytes, rows: metadata.rowCount ?? 0,
      metadata: String(decoding: try TableSource.encode(metadata), as: UTF8.self),
      createdAt: Date())
    try await service.store.insert(record)
    context.logger.info("dataset uploaded", metadata: ["dataset": "\(id)", "bytes": "\(bytes)"])
    return EditedResponse(status: .created, response: try Routes.view(record))
  }

  static func view(_ record: DatasetRecord) throws -> DatasetView {
    let metadata = try TableMetadata.decode(from: Data(record.metadata.utf8))
    return DatasetView(
      id: record.id, name: record.name, bytes: record.bytes, rows: record.rows,
      columns: metadata.columns.map {
        ColumnView(
          name: $0.name, kind: $0.kind.name, missingRate: $0.missingRate,
          distinctCount: $0.distinctCount)
      }, createdAt: record.createdAt)
  }

  @Sendable func listDatasets(_ request: Request, context: Context) async throws -> ListView<
    DatasetView
  > {
    let owner = try context.requireOwner()
    return ListView(items: try await service.store.datasets(owner: owner).map(Routes.view))
  }

  @Sendable func getDataset(_ request: Request, context: Context) async throws -> DatasetView {
    let owner = try context.requireOwner()
    let id = try id(context, prefix: "ds", what: "dataset")
    guard let record = try await service.store.dataset(id, owner: owner) else {
      throw APIError.notFound("dataset")
    }
    return try Routes.view(record)
  }

  // MARK: Jobs

  @Sendable func createJob(_ request: Request, context: Context) async throws -> EditedResponse<
    JobView
  > {
    let owner = try context.requireOwner()
    let body = try await Routes.decode(CreateJobRequest.self, request, context)
    guard Identifier.isValid(body.dataset, prefix: "ds"),
      try await service.store.dataset(body.dataset, owner: owner) != nil
    else { throw APIError.notFound("dataset") }
    if let kind = body.synthesizer {
      // Checks the kind and the options now, so a bad job is refused rather than failing later.
      _ = try SynthesizerRegistry.standard.synthesizer(kind, options: body.options ?? [:])
    }
    let seed = body.seed ?? 0
    guard seed <= UInt64(Int64.max) else {
      throw APIError(.badRequest, "invalid_seed", "the seed must be at most 2^63-1")
    }
    let options = String(
      decoding: try JSONEncoder.sorted.encode(body.options ?? [:]), as: UTF8.self)
    let job = JobRecord(
      id: Identifier.make("job"), owner: owner, datasetID: body.dataset,
      synthesizer: body.synthesizer, options: options, seed: seed, label: body.label, now: Date())
    try await service.store.insert(job)
    await service.runner.enqueue(job.id)
    context.logger.info("job created", metadata: ["job": "\(job.id)"])
    return EditedResponse(status: .accepted, response: JobView(job))
  }

  @Sendable func listJobs(_ request: Request, context: Context) async throws -> ListView<JobView> {
    let owner = try context.requireOwner()
    return ListView(items: try await service.store.jobs(owner: owner).map(JobView.init))
  }

  @Sendable func getJob(_ request: Request, context: Context) async throws -> JobView {
    JobView(try await ownedJob(context))
  }

  private func ownedJob(_ context: Context) async throws -> JobRecord {
    let owner = try context.requireOwner()
    let id = try id(context, prefix: "job", what: "job")
    guard let job = try await service.store.job(id, owner: owner) else {
      throw APIError.notFound("job")
    }
    return job
  }

  @Sendable func cancelJob(_ request: Request, context: Context) async throws -> JobView {
    var job = try await ownedJob(context)
    guard !job.state.isFinal else {
      throw APIError(
        .conflict, "job_finished", "the job has already \(job.state.rawValue); nothing to cancel")
    }
    job.state = .cancelled
    job.stage = "cancelled"
    job.updatedAt = Date()
    try await service.store.update(job)
    await service.runner.cancel(job.id)
    return JobView(job)
  }

  @Sendable func report(_ request: Request, context: Context) async throws -> Response {
    let job = try await ownedJob(context)
    guard job.state == .succeeded,
      let data = FileManager.default.contents(atPath: service.paths.job(job.id) + "/report.html")
    else {
      throw APIError(
        .notFound, "no_report", "the job has no report yet; wait until it has succeeded")
    }
    return Response(
      status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
  }

  // MARK: Models

  @Sendable func listModels(_ request: Request, context: Context) async throws -> ListView<
    ModelView
  > {
    let owner = try context.requireOwner()
    return ListView(items: try await service.store.models(owner: owner).map(ModelView.init))
  }

  private func ownedModel(_ context: Context) async throws -> ModelRecord {
    let owner = try context.requireOwner()
    let id = try id(context, prefix: "mdl", what: "model")
    guard let model = try await service.store.model(id, owner: owner) else {
      throw APIError.notFound("model")
    }
    return model
  }

  @Sendable func getModel(_ request: Request, context: Context) async throws -> ModelView {
    ModelView(try await ownedModel(context))
  }

  @Sendable func deleteModel(_ request: Request, context: Context) async throws -> Response {
    let model = try await ownedModel(context)
    guard try await service.store.deleteModel(model.id, owner: model.owner) else {
      throw APIError.notFound("model")
    }
    await service.models.remove(model.id)
    try? FileManager.default.removeItem(atPath: service.paths.job(model.jobID) + "/model.json")
    return Response(status: .noContent)
  }

  @Sendable func sample(_ request: Request, context: Context) async throws -> Response {
    let record = try await ownedModel(context)
    let body = try await Routes.decode(SampleRequest.self, request, context)
    let rows = body.rows ?? 100
    guard rows >= 1 && rows <= service.configuration.maxSampleRows else {
      throw APIError(
        .badRequest, "invalid_rows",
        "rows must be between 1 and \(service.configuration.maxSampleRows)")
    }
    let format = body.format ?? "csv"
    guard format == "csv" || format == "jsonl" else {
      throw APIError(.badRequest, "invalid_format", "format is csv or jsonl")
    }
    let model = try await service.models.model(
      record.id, path: service.paths.job(record.jobID) + "/model.json")
    let conditions = body.conditions ?? [:]
    let sampler = try StreamingSampler(
      model: model, rows: rows, seed: body.seed ?? 0, conditions: conditions,
      jsonLines: format == "jsonl")
    // Conditional samples are found before answering, so a condition no row meets is a clean 422.
    let prepared = conditions.isEmpty ? nil : try sampler.conditionalRows()
    let contentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson"
    return Response(
      status: .ok, headers: [.contentType: contentType],
      body: ResponseBody { writer in
        try await writer.write(ByteBuffer(bytes: sampler.header()))
        if let prepared {
          try await writer.write(ByteBuffer(bytes: sampler.encode(prepared)))
        } else {
          var start = 0
          while start < rows {
            let end = min(start + StreamingSampler.chunkRows, rows)
            try await writer.write(ByteBuffer(bytes: try sampler.chunk(start..<end)))
            start = end
          }
        }
        try await writer.finish(nil)
      })
  }

  // MARK: S3 events

  @Sendable func s3Event(_ request: Request, context: Context) async throws -> EditedResponse<
    ListView<S3EventResult>
  > {
    _ = try context.requireOwner()
    let notification = try await Routes.decode(S3EventNotification.self, request, context)
    let results = try await service.events.accept(notification)
    return EditedResponse(status: .accepted, response: ListView(items: results))
  }

  @Sendable func s3Events(_ request: Request, context: Context) async throws -> ListView<
    ProcessedLedger.Entry
  > {
    _ = try context.requireOwner()
    return ListView(items: try await service.events.entries())
  }

  /// Decodes a JSON body, answering malformed JSON with a 400 that says where.
  static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: Context)
    async throws -> T
  {
    let buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: context.maxUploadSize)
    } catch {
      throw APIError(
        .contentTooLarge, "too_large", "the JSON body is larger than \(context.maxUploadSize) bytes"
      )
    }
    do {
      return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    } catch let error as DecodingError {
      throw APIError(.badRequest, "invalid_json", JSONErrorText.describe(error))
    }
  }
}

/// Decoding errors in words, naming the field but never its value.
enum JSONErrorText {
  static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let text = context.codingPath.map(\.stringValue).joined(separator: ".")
      return text.isEmpty ? "the body" : "'\(text)'"
    }
    switch error {
    case .dataCorrupted(let context):
      return context.codingPath.isEmpty
        ? "the body is not valid JSON" : "\(path(context)) has an invalid value"
    case .keyNotFound(let key, _): return "the body lacks the field '\(key.stringValue)'"
    case .typeMismatch(_, let context): return "\(path(context)) has the wrong type"
    case .valueNotFound(_, let context): return "\(path(context)) must not be null"
    @unknown default: return "the body does not match the expected JSON"
    }
  }
}

/// Runs the service until SIGTERM or SIGINT, then stops the workers and closes the store.
/// - Parameters:
///   - service: The opened service.
///   - logger: The server's logger.
/// - Throws: An error when the server cannot listen.
public func runServer(service: DoppelService, logger: Logger) async throws {
  let app = buildApplication(service: service, logger: logger)
  do {
    try await app.runService()
  } catch {
    await service.shutdown()
    throw error
  }
  await service.shutdown()
}
