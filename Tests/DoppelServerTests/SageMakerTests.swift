import DoppelPipeline
import DoppelServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("SageMaker contract")
struct SageMakerTests {
  @Test("train reads hyper-parameters and the channel, serve answers ping and invocations")
  func trainAndServe() async throws {
    let root = try scratchFolder()
    let channel = root + "/input/data/train"
    try FileManager.default.createDirectory(atPath: channel, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      atPath: root + "/input/config", withIntermediateDirectories: true)
    // Two files of one table: the rows of both are read.
    let lines = try String(contentsOfFile: exampleData("arthritis.csv"), encoding: .utf8)
      .split(separator: "\n")
    let header = String(lines[0])
    try ([header] + lines[1...40].map(String.init)).joined(separator: "\n")
      .write(toFile: channel + "/part-1.csv", atomically: true, encoding: .utf8)
    try ([header] + lines[41...].map(String.init)).joined(separator: "\n")
      .write(toFile: channel + "/part-2.csv", atomically: true, encoding: .utf8)
    try #"{"synthesizer": "gaussian-copula", "seed": "3", "marginal": "empirical"}"#
      .write(toFile: root + "/input/config/hyperparameters.json", atomically: true, encoding: .utf8)

    let choice = try await SageMaker.train(root: root)
    #expect(choice.synthesizer == "gaussian-copula")
    #expect(choice.options == ["marginal": "empirical"])
    #expect(FileManager.default.fileExists(atPath: root + "/model/model.json"))
    #expect(FileManager.default.fileExists(atPath: root + "/model/report.html"))
    let metadata = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: root + "/model/metadata.json")))
    #expect((metadata as? [String: Any])?["columns"] as? [Any] != nil)

    let app = Application(router: try SageMaker.router(root: root), logger: quietLogger)
    try await app.test(.router) { client in
      try await client.execute(uri: "/ping", method: .get) { #expect($0.status == .ok) }
      try await client.execute(
        uri: "/invocations", method: .post, body: ByteBuffer(string: #"{"rows": 25, "seed": 2}"#)
      ) { response in
        #expect(response.status == .ok)
        let rows = response.body.text.split(separator: "\n")
        #expect(rows.count == 26)
        #expect(rows.first.map(String.init) == header)
      }
      try await client.execute(
        uri: "/invocations", method: .post, headers: [.accept: "application/jsonlines"]
      ) { response in
        #expect(response.body.text.split(separator: "\n").count == 100)
      }
      try await client.execute(uri: "/invocations", method: .post, body: ByteBuffer(string: "[1")) {
        #expect($0.status == .badRequest)
      }
    }
  }

  @Test("training without data fails and writes the reason to output/failure")
  func failure() async throws {
    let root = try scratchFolder()
    await #expect(throws: (any Error).self) { try await SageMaker.train(root: root) }
    let failure = try String(contentsOfFile: root + "/output/failure", encoding: .utf8)
    #expect(failure.contains("no CSV files"))
  }
}
