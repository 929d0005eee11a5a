import ArgumentParser
import Doppel
import DoppelServer
import DoppelStores
import Foundation
import Logging

/// Options every service command shares: where the data and the job store are.
struct ServiceStoreOptions: ParsableArguments {
  @Option(name: .long, help: "Folder of datasets, models, reports and the SQLite job store.")
  var dataDir: String = "doppel-data"

  @Option(name: .long, help: "A postgres:// URL for the job store instead of SQLite.")
  var database: String?
}

/// `doppel serve`: the HTTP service.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the HTTP service: upload, train, sample and report over JSON.",
    discussion: """
      Every route except /health needs 'Authorization: Bearer <token>'; create tokens with \
      `doppel token create`. The API is described at /openapi.json. Jobs and their state are \
      kept in the data folder and survive a restart: a job interrupted by a crash is queued \
      again. SIGTERM or SIGINT stops the server gracefully (running jobs go back to the queue).
      """)

  @Option(name: .long, help: "Address to listen on (default 127.0.0.1; 0.0.0.0 with --sagemaker).")
  var host: String?

  @Option(name: .long, help: "Port to listen on.")
  var port: Int = 8080

  @OptionGroup var storeOptions: ServiceStoreOptions

  @Option(name: .long, help: "The largest upload, in MiB.")
  var maxUploadMb: Int = 100

  @Option(name: .long, help: "The most rows one sample request may ask for.")
  var maxSampleRows: Int = 1_000_000

  @Option(name: .long, help: "Training jobs run at once.")
  var workers: Int = 2

  @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error.")
  var logLevel: String = "info"

  @Flag(
    name: .long,
    help: "Serve a trained model by SageMaker's contract: GET /ping and POST /invocations.")
  var sagemaker = false

  @Option(name: .long, help: "The SageMaker root holding model/model.json.")
  var sagemakerRoot: String = SageMaker.defaultRoot

  @Option(name: .long, help: "Key prefix of synthetic tables written back for S3 upload events.")
  var s3OutputPrefix: String = "synthetic/"

  func validate() throws {
    guard (1...65535).contains(port) else { throw ValidationError("--port must be 1 to 65535") }
    guard maxUploadMb >= 1 else { throw ValidationError("--max-upload-mb must be 1 or more") }
    guard maxSampleRows >= 1 else { throw ValidationError("--max-sample-rows must be 1 or more") }
    guard workers >= 1 else { throw ValidationError("--workers must be 1 or more") }
    guard Logger.Level(rawValue: logLevel) != nil else {
      throw ValidationError("--log-level must be trace, debug, info, notice, warning or error")
    }
  }

  func run() async throws {
    var logger = Logger(label: "doppel.serve")
    logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
    if sagemaker {
      try await SageMaker.serve(
        root: sagemakerRoot, host: host ?? "0.0.0.0", port: port, maxRows: maxSampleRows,
        logger: logger)
      return
    }
    // S3 upload events are enabled when the usual AWS variables are set.
    let s3 = try? S3Client.fromEnvironment()
    if s3 == nil {
      logger.notice("S3 events are off: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
    }
    let configuration = ServerConfiguration(
      host: host ?? "127.0.0.1", port: port, dataDirectory: storeOptions.dataDir,
      databaseURL: storeOptions.database, maxUploadBytes: maxUploadMb << 20,
      maxSampleRows: maxSampleRows, workers: workers, s3: s3, s3OutputPrefix: s3OutputPrefix)
    let service = try await DoppelService(configuration: configuration, logger: logger)
    try await runServer(service: service, logger: logger)
    logger.info("stopped")
  }
}

/// `doppel token`: manage the service's bearer tokens.
struct TokenCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token",
    abstract: "Create, list and revoke bearer tokens of `doppel serve`.",
    subcommands: [Create.self, Revoke.self, List.self])

  struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Create a token; its secret is printed once and stored only as a hash.")

    @Option(name: .long, help: "A name to recognize the token by.")
    var name: String = "default"

    @OptionGroup var storeOptions: ServiceStoreOptions

    func run() async throws {
      let store = try await TokenCommand.openStore(storeOptions)
      let (record, secret) = try await Tokens.create(name: name, in: store)
      await store.close()
      print("token \(record.id) (\(record.name)):")
      print(secret)
    }
  }

  struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Revoke a token by id or name.")

    @Argument(help: "The token's id or name.")
    var token: String

    @OptionGroup var storeOptions: ServiceStoreOptions

    func run() async throws {
      let store = try await TokenCommand.openStore(storeOptions)
      let revoked = try await store.revokeToken(token, at: Date())
      await store.close()
      guard revoked else {
        throw ValidationError("no active token has the id or name '\(token)'")
      }
      print("revoked \(token)")
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")

    @OptionGroup var storeOptions: ServiceStoreOptions

    func run() async throws {
      let store = try await TokenCommand.openStore(storeOptions)
      let tokens = try await store.tokens()
      await store.close()
      for token in tokens {
        print("\(token.id)\t\(token.name)\t\(token.revokedAt == nil ? "active" : "revoked")")
      }
    }
  }

  static func openStore(_ options: ServiceStoreOptions) async throws -> any JobStore {
    let configuration = ServerConfiguration(
      dataDirectory: options.dataDir, databaseURL: options.database)
    let paths: DataPaths
    do {
      paths = try DataPaths(root: options.dataDir)
    } catch {
      throw DoppelError(
        .io, "cannot create the data folder; check the path", context: .init(file: options.dataDir))
    }
    return try await DoppelService.openStore(
      configuration, paths: paths, logger: Logger(label: "doppel.token"))
  }
}
