import DoppelServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Service")
struct ServerTests {
  @Test("upload, train, sample and report, with tokens isolating each other's things")
  func workflow() async throws {
    let folder = try scratchFolder()
    let service = try await DoppelService(
      configuration: ServerConfiguration(
        dataDirectory: folder, maxUploadBytes: 64 << 10, maxSampleRows: 5_000, workers: 1),
      logger: quietLogger)
    let alice = try await Tokens.create(name: "alice", in: service.store).secret
    let bob = try await Tokens.create(name: "bob", in: service.store).secret
    let csv = try Data(contentsOf: URL(fileURLWithPath: exampleData("arthritis.csv")))
    let app = buildApplication(service: service, logger: quietLogger)
    try await app.test(.router) { client in
      // Health is open; everything else needs a valid token.
      try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
      try await client.execute(uri: "/v1/datasets", method: .get) {
        #expect($0.status == .unauthorized)
        let body = try $0.body.json()
        #expect(body["error"] != nil)
      }
      try await client.execute(uri: "/openapi.json", method: .get, headers: auth("dpl_wrong")) {
        #expect($0.status == .unauthorized)
      }
      try await client.execute(uri: "/openapi.json", method: .get, headers: auth(alice)) {
        #expect($0.status == .ok)
        let paths = try #require(try $0.body.json()["paths"] as? [String: Any])
        for path in [
          "/health", "/v1/datasets", "/v1/datasets/{id}", "/v1/jobs", "/v1/jobs/{id}",
          "/v1/jobs/{id}/cancel", "/v1/jobs/{id}/report", "/v1/models", "/v1/models/{id}",
          "/v1/models/{id}/sample",
        ] {
          #expect(paths[path] != nil, "\(path)")
        }
      }

      // Upload: stored and inspected; oversize and malformed uploads are refused cleanly.
      let dataset = try await client.execute(
        uri: "/v1/datasets?name=arthritis", method: .post, headers: auth(alice),
        body: ByteBuffer(bytes: csv)
      ) { response in
        #expect(response.status == .created)
        return try response.body.json()
      }
      let datasetID = try #require(dataset["id"] as? String)
      #expect(dataset["rows"] as? Int == 84)
      #expect((dataset["columns"] as? [Any])?.count == 5)
      try await client.execute(
        uri: "/v1/datasets", method: .post, headers: auth(alice),
        body: ByteBuffer(repeating: UInt8(ascii: "a"), count: 70 << 10)
      ) { #expect($0.status == .contentTooLarge) }
      try await client.execute(
        uri: "/v1/datasets", method: .post, headers: auth(alice),
        body: ByteBuffer(string: "a,b\n1,2\n3\n")
      ) { response in
        #expect(response.status == .unprocessableContent)
        let message = try #require(
          (try response.body.json()["error"] as? [String: Any])?["message"] as? String)
        #expect(message.contains("line 3"))
        #expect(!message.contains(folder))
      }
      let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder + "/uploads")
      #expect(leftovers.isEmpty)

      // Another token sees none of it; odd ids are plain 404s.
      try await client.execute(uri: "/v1/datasets/\(datasetID)", method: .get, headers: auth(bob)) {
        #expect($0.status == .notFound)
      }
      try await client.execute(
        uri: "/v1/datasets/..%2F..%2Fdoppel.sqlite", method: .get,
        headers: auth(alice)
      ) { #expect($0.status == .notFound) }
      try await client.execute(uri: "/v1/datasets", method: .get, headers: auth(bob)) {
        let items = try $0.body.json()["items"] as? [Any]
        #expect(items?.isEmpty == true)
      }

      // Jobs: malformed JSON, unknown ids and unknown synthesizers are 4xx.
      try await client.execute(
        uri: "/v1/jobs", method: .post, headers: auth(alice),
        body: ByteBuffer(string: "{\"dataset\":")
      ) { response in
        #expect(response.status == .badRequest)
        #expect(response.body.text.contains("invalid_json"))
      }
      try await client.execute(
        uri: "/v1/jobs", method: .post, headers: auth(bob),
        body: ByteBuffer(string: #"{"dataset":"\#(datasetID)"}"#)
      ) { #expect($0.status == .notFound) }
      try await client.execute(
        uri: "/v1/jobs", method: .post, headers: auth(alice),
        body: ByteBuffer(string: #"{"dataset":"\#(datasetID)","synthesizer":"magic"}"#)
      ) { #expect($0.status == .badRequest) }

      let job = try await client.execute(
        uri: "/v1/jobs", method: .post, headers: auth(alice),
        body: ByteBuffer(
          string: #"{"dataset":"\#(datasetID)","synthesizer":"gaussian-copula","seed":4}"#)
      ) { response in
        #expect(response.status == .accepted)
        return try response.body.json()
      }
      let jobID = try #require(job["id"] as? String)
      let finished = try await waitForJob(client, jobID, token: alice)
      #expect(finished["state"] as? String == "succeeded")
      #expect(finished["progress"] as? Double == 1)
      let modelID = try #require(finished["model"] as? String)
      try await client.execute(uri: "/v1/jobs/\(jobID)", method: .get, headers: auth(bob)) {
        #expect($0.status == .notFound)
      }
      try await client.execute(uri: "/v1/jobs/\(jobID)/cancel", method: .post, headers: auth(alice))
      { #expect($0.status == .conflict) }
      try await client.execute(uri: "/v1/jobs/\(jobID)/report", method: .get, headers: auth(alice))
      { response in
        #expect(response.status == .ok)
        #expect(response.body.text.hasPrefix("<!DOCTYPE html>"))
      }

      // Sampling: the same seed gives the same bytes; JSON Lines; conditions hold on every row.
      let request = #"{"rows": 300, "seed": 9}"#
      let first = try await client.execute(
        uri: "/v1/models/\(modelID)/sample", method: .post, headers: auth(alice),
        body: ByteBuffer(string: request)
      ) { response in
        #expect(response.status == .ok)
        return response.body.text
      }
      let second = try await client.execute(
        uri: "/v1/models/\(modelID)/sample", method: .post, headers: auth(alice),
        body: ByteBuffer(string: request)
      ) { $0.body.text }
      #expect(first == second)
      let lines = first.split(separator: "\n")
      #expect(lines.count == 301)
      #expect(lines.first == "ID,Treatment,Sex,Age,Improved")
      let jsonl = try await client.execute(
        uri: "/v1/models/\(modelID)/sample", method: .post, headers: auth(alice),
        body: ByteBuffer(string: #"{"rows": 20, "format": "jsonl"}"#)
      ) { $0.body.text }
      let objects = try jsonl.split(separator: "\n").map {
        try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
      }
      #expect(objects.count == 20)
      #expect(objects.allSatisfy { $0["Age"] is NSNumber && $0["Treatment"] is String })
      let conditional = try await client.execute(
        uri: "/v1/models/\(modelID)/sample", method: .post, headers: auth(alice),
        body: ByteBuffer(string: #"{"rows": 40, "conditions": {"Treatment": "Placebo"}}"#)
      ) { $0.body.text }
      let conditionalRows = conditional.split(separator: "\n").dropFirst()
      #expect(conditionalRows.count == 40)
      #expect(conditionalRows.allSatisfy { $0.split(separator: ",")[1] == "Placebo" })
      try await client.execute(
        uri: "/v1/models/\(modelID)/sample", method: .post, headers: auth(alice),
        body: ByteBuffer(string: #"{"rows": 10, "conditions": {"Treatment": "Nonexistent"}}"#)
      ) { #expect($0.status == .unprocessableContent) }
      try await client.execute(
        uri: "/v1/models/\(modelID)/sample", method: .post, headers: auth(alice),
        body: ByteBuffer(string: #"{"rows": 10, "conditions": {"Nope": "x"}}"#)
      ) { #expect($0.status == .badRequest) }
      try await client.execute(
        uri: "/v1/models/\(modelID)/sample", method: .post, headers: auth(alice),
        body: ByteBuffer(string: #"{"rows": 5001}"#)
      ) { #expect($0.status == .badRequest) }
      try await client.execute(
        uri: "/v1/models/\(modelID)/sample", method: .post, headers: auth(bob),
        body: ByteBuffer(string: #"{"rows": 5}"#)
      ) { #expect($0.status == .notFound) }

      // Models: listed for their owner only, then deleted.
      try await client.execute(uri: "/v1/models", method: .get, headers: auth(alice)) {
        let items = try $0.body.json()["items"] as? [Any]
        #expect(items?.count == 1)
      }
      try await client.execute(uri: "/v1/models", method: .get, headers: auth(bob)) {
        let items = try $0.body.json()["items"] as? [Any]
        #expect(items?.isEmpty == true)
      }
      try await client.execute(uri: "/v1/models/\(modelID)", method: .delete, headers: auth(bob)) {
        #expect($0.status == .notFound)
      }
      try await client.execute(uri: "/v1/models/\(modelID)", method: .delete, headers: auth(alice))
      { #expect($0.status == .noContent) }
      try await client.execute(uri: "/v1/models/\(modelID)", method: .get, headers: auth(alice)) {
        #expect($0.status == .notFound)
      }
    }
    await service.shutdown()
  }

  @Test("a revoked token is refused")
  func revokedToken() async throws {
    let service = try await DoppelService(
      configuration: ServerConfiguration(dataDirectory: try scratchFolder()), logger: quietLogger)
    let (record, secret) = try await Tokens.create(name: "ci", in: service.store)
    let app = buildApplication(service: service, logger: quietLogger)
    try await app.test(.router) { client in
      try await client.execute(uri: "/v1/jobs", method: .get, headers: auth(secret)) {
        #expect($0.status == .ok)
      }
      #expect(try await service.store.revokeToken(record.id, at: Date()))
      try await client.execute(uri: "/v1/jobs", method: .get, headers: auth(secret)) {
        #expect($0.status == .unauthorized)
      }
    }
    let stored = try await service.store.tokens()
    #expect(stored.allSatisfy { $0.hash != secret && $0.hash.count == 64 })
    await service.shutdown()
  }

  @Test("jobs a killed server left running are queued again, or failed after too many starts")
  func restartRecovery() async throws {
    let folder = try scratchFolder()
    let configuration = ServerConfiguration(dataDirectory: folder, workers: 1, maxAttempts: 2)
    // A first server takes a dataset and two jobs, then "dies" with both marked running.
    let first = try await DoppelService(configuration: configuration, logger: quietLogger)
    let owner = try await Tokens.create(name: "t", in: first.store).record.id
    let datasetID = "ds_" + String(repeating: "0", count: 32)
    try FileManager.default.copyItem(
      atPath: exampleData("arthritis.csv"), toPath: folder + "/datasets/\(datasetID).csv")
    try await first.store.insert(
      DatasetRecord(
        id: datasetID, owner: owner, name: "arthritis", bytes: 0, rows: 84, metadata: "{}",
        createdAt: Date()))
    var retried = JobRecord(
      id: "job_" + String(repeating: "1", count: 32), owner: owner, datasetID: datasetID,
      synthesizer: "gaussian-copula", options: "{}", seed: 1, label: nil, now: Date())
    retried.state = .running
    retried.attempts = 1
    var exhausted = retried
    exhausted.id = "job_" + String(repeating: "2", count: 32)
    exhausted.attempts = 2
    try await first.store.insert(retried)
    try await first.store.insert(exhausted)
    await first.store.close()

    let second = try await DoppelService(configuration: configuration, logger: quietLogger)
    let failed = try #require(try await second.store.job(exhausted.id, owner: owner))
    #expect(failed.state == .failed)
    #expect(failed.error?.contains("stopped while the job was running") == true)
    var job = try #require(try await second.store.job(retried.id, owner: owner))
    for _ in 0..<1200 where !job.state.isFinal {
      try await Task.sleep(for: .milliseconds(100))
      job = try #require(try await second.store.job(retried.id, owner: owner))
    }
    #expect(job.state == .succeeded)
    #expect(job.attempts == 2)
    let model = try #require(try await second.store.model(job.modelID ?? "", owner: owner))
    #expect(FileManager.default.fileExists(atPath: folder + "/jobs/\(model.jobID)/model.json"))
    await second.shutdown()
  }
}
