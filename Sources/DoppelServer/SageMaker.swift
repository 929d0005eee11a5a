import Doppel
import DoppelPipeline
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Amazon SageMaker's bring-your-own-container contract.
///
/// Training (`doppel sagemaker train`) reads `ROOT/input/config/hyperparameters.json` and the
/// CSV files of `ROOT/input/data/CHANNEL/`, and writes the model and its report to
/// `ROOT/model/`; on failure it writes the reason to `ROOT/output/failure`. Serving
/// (`doppel serve --sagemaker`) answers `GET /ping` and `POST /invocations` on port 8080 with
/// the model in `ROOT/model/`. `ROOT` is `/opt/ml` in the container and configurable for tests.
public enum SageMaker {
  /// The default root.
  public static let defaultRoot = "/opt/ml"

  /// Hyper-parameters Doppel reads; every other key is passed to the synthesizer as an option.
  /// SageMaker sends every value as a string.
  public static let reservedKeys: Set<String> = ["synthesizer", "seed", "label", "channel"]

  /// Trains on the channel's CSV files.
  ///
  /// Hyper-parameters: `synthesizer` (default: the pipeline's automatic choice), `seed` (default
  /// 0), `label`, `channel` (default `train`, or the only channel); others are synthesizer
  /// options. Several CSV files in the channel must share their header and are read as one table.
  /// - Parameters:
  ///   - root: The SageMaker root.
  ///   - log: Receives progress lines.
  /// - Returns: The synthesizer's choice.
  /// - Throws: ``DoppelError``; the reason is also written to `ROOT/output/failure`.
  @discardableResult
  public static func train(root: String = defaultRoot, log: (String) -> Void = { _ in })
    async throws -> SynthesizerChoice
  {
    do {
      return try await trainUnrecorded(root: root, log: log)
    } catch {
      var text = String(describing: error)
      if var doppel = error as? DoppelError {
        doppel.context.file = doppel.context.file.map { URL(fileURLWithPath: $0).lastPathComponent }
        text = doppel.description
      }
      try? FileManager.default.createDirectory(
        atPath: root + "/output", withIntermediateDirectories: true)
      try? Data(text.utf8).write(to: URL(fileURLWithPath: root + "/output/failure"))
      throw error
    }
  }

  private static func trainUnrecorded(root: String, log: (String) -> Void) async throws
    -> SynthesizerChoice
  {
    var parameters: [String: String] = [:]
    let configPath = root + "/input/config/hyperparameters.json"
    if let data = FileManager.default.contents(atPath: configPath) {
      guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw DoppelError(
          .invalidArgument, "hyperparameters.json is not a JSON object",
          context: .init(file: configPath))
      }
      for (key, value) in object { parameters[key] = "\(value)" }
    }
    let dataRoot = root + "/input/data"
    let channels = (try? FileManager.default.contentsOfDirectory(atPath: dataRoot).sorted()) ?? []
    let channel =
      parameters["channel"] ?? (channels.contains("train") ? "train" : channels.first ?? "train")
    let folder = dataRoot + "/" + channel
    let files =
      ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { $0.hasSuffix(".csv") || $0.hasSuffix(".csv.gz") }.sorted()
    guard !files.isEmpty else {
      throw DoppelError(
        .io, "the channel '\(channel)' has no CSV files; check the training input",
        context: .init(file: folder))
    }
    var text = try CSVReader.readAll(path: folder + "/" + files[0])
    for file in files.dropFirst() {
      let more = try CSVReader.readAll(path: folder + "/" + file)
      guard more.columnNames == text.columnNames else {
        throw DoppelError(
          .schemaMismatch, "the channel's CSV files have different headers",
          context: .init(file: file))
      }
      for index in text.columns.indices { text.columns[index] += more.columns[index] }
    }
    log("read \(text.rowCount) rows from \(files.count) files of channel \(channel)")
    var metadata = MetadataDetector.detect(text)
    let label = parameters["label"] ?? metadata.label ?? Pipeline.defaultLabel(metadata)
    metadata.label = label
    let table = try Table(text: text, metadata: metadata)
    let seed =
      try parameters["seed"].map { value -> UInt64 in
        guard let seed = UInt64(value) else {
          throw DoppelError(.invalidArgument, "the seed hyper-parameter must be a whole number ≥ 0")
        }
        return seed
      } ?? 0
    let options = parameters.filter { !reservedKeys.contains($0.key) }
    let choice = SynthesizerChoice.choose(
      profile: TableProfile(table: table),
      settings: .init(synthesizer: parameters["synthesizer"], options: options))
    let modelFolder = root + "/model"
    try FileManager.default.createDirectory(atPath: modelFolder, withIntermediateDirectories: true)
    try AtomicFileWriter.write(TableSource.encode(metadata), to: modelFolder + "/metadata.json")
    log("fitting \(choice.synthesizer) (\(choice.reason))")
    _ = try await TableSynthesis.run(
      table: table, metadata: metadata, choice: choice, seed: seed, holdoutFraction: 0.2,
      rows: nil, label: label, title: "Synthetic table (SageMaker training)", folder: modelFolder
    ) { $0 }
    log("model written to \(modelFolder)/model.json")
    return choice
  }

  /// The inference application: `GET /ping` and `POST /invocations` (no token: SageMaker's
  /// endpoint is guarded by AWS).
  ///
  /// `/invocations` takes an optional JSON body `{"rows": 100, "seed": 0, "conditions": {…}}` and
  /// answers CSV, or JSON Lines when the `Accept` header asks for `application/jsonlines` or
  /// `application/x-ndjson`.
  /// - Parameters:
  ///   - root: The SageMaker root.
  ///   - host: Listen address.
  ///   - port: Port (8080 in SageMaker).
  ///   - maxRows: The most rows per request.
  ///   - logger: The logger.
  /// - Returns: The application.
  /// - Throws: ``DoppelError`` when the model cannot be read.
  public static func application(
    root: String = defaultRoot, host: String = "0.0.0.0", port: Int = 8080,
    maxRows: Int = 1_000_000, logger: Logger
  ) throws -> some ApplicationProtocol {
    Application(
      router: try router(root: root, maxRows: maxRows),
      configuration: .init(address: .hostname(host, port: port), serverName: "doppel"),
      logger: logger)
  }

  /// Serves a trained model until SIGTERM or SIGINT (see
  /// ``application(root:host:port:maxRows:logger:)``).
  /// - Parameters:
  ///   - root: The SageMaker root.
  ///   - host: Listen address.
  ///   - port: Port.
  ///   - maxRows: The most rows per request.
  ///   - logger: The logger.
  /// - Throws: ``DoppelError`` when the model cannot be read, or an error when the server cannot
  ///   listen.
  public static func serve(
    root: String = defaultRoot, host: String = "0.0.0.0", port: Int = 8080,
    maxRows: Int = 1_000_000, logger: Logger
  ) async throws {
    try await application(root: root, host: host, port: port, maxRows: maxRows, logger: logger)
      .runService()
  }

  /// The inference router (see ``application(root:host:port:maxRows:logger:)``).
  /// - Parameters:
  ///   - root: The SageMaker root.
  ///   - maxRows: The most rows per request.
  /// - Returns: The router.
  /// - Throws: ``DoppelError`` when the model cannot be read.
  public static func router(root: String = defaultRoot, maxRows: Int = 1_000_000) throws
    -> Router<DoppelRequestContext>
  {
    let path = root + "/model/model.json"
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DoppelError(
        .io, "no model in the model folder; run `doppel sagemaker train` first",
        context: .init(file: path))
    }
    let model = try SynthesizerRegistry.standard.loadModel(data)
    let router = Router(context: DoppelRequestContext.self)
    router.get("/ping") { _, _ in Response(status: .ok) }
    router.post("/invocations") { request, context in
      let buffer = try await request.body.collect(upTo: context.maxUploadSize)
      var body = SampleRequest()
      if buffer.readableBytes > 0 {
        do {
          body = try JSONDecoder().decode(SampleRequest.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
          throw APIError(.badRequest, "invalid_json", JSONErrorText.describe(error))
        }
      }
      let rows = body.rows ?? 100
      guard rows >= 1 && rows <= maxRows else {
        throw APIError(.badRequest, "invalid_rows", "rows must be between 1 and \(maxRows)")
      }
      let accept = request.headers[.accept] ?? ""
      let jsonLines = accept.contains("jsonlines") || accept.contains("ndjson")
      let sampler = try StreamingSampler(
        model: model, rows: rows, seed: body.seed ?? 0, conditions: body.conditions ?? [:],
        jsonLines: jsonLines)
      var bytes = sampler.header()
      if body.conditions?.isEmpty == false {
        bytes += try sampler.encode(sampler.conditionalRows())
      } else {
        bytes += try sampler.chunk(0..<rows)
      }
      return Response(
        status: .ok,
        headers: [.contentType: jsonLines ? "application/jsonlines" : "text/csv"],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
    return router
  }
}
