import DoppelServer
import DoppelStores
import DoppelTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("S3 upload events")
struct S3EventTests {
  @Test("an upload event is synthesized once and written back under the output prefix")
  func eventRoundTrip() async throws {
    guard let endpoint = try TestServices.s3Endpoint() else { return }
    let client = S3Client(
      endpoint: endpoint, region: "us-east-1",
      credentials: S3Credentials(accessKeyID: "testing", secretAccessKey: "testing"))
    let bucket = "doppel-events-\(UInt32.random(in: 0...UInt32.max))"
    try await client.createBucket(bucket)
    let csv = try Data(contentsOf: URL(fileURLWithPath: exampleData("arthritis.csv")))
    try await client.putObject(bucket: bucket, key: "uploads/my trial.csv", bytes: [UInt8](csv))
    let etag = try #require(try await client.listObjects(bucket: bucket, prefix: "uploads/").first)
      .etag

    let service = try await DoppelService(
      configuration: ServerConfiguration(
        dataDirectory: try scratchFolder(), s3: client, s3OutputPrefix: "synthetic/"),
      logger: quietLogger)
    let token = try await Tokens.create(name: "lambda", in: service.store).secret
    let event = """
      {"Records": [
        {"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "\(bucket)"},
          "object": {"key": "uploads/my+trial.csv", "eTag": "\(etag)"}}},
        {"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "\(bucket)"},
          "object": {"key": "synthetic/my trial/synthetic.csv", "eTag": "x"}}}
      ]}
      """
    let app = buildApplication(service: service, logger: quietLogger)
    try await app.test(.router) { client in
      try await client.execute(
        uri: "/v1/events/s3", method: .post, body: ByteBuffer(string: event)
      ) { #expect($0.status == .unauthorized) }
      try await client.execute(
        uri: "/v1/events/s3", method: .post, headers: auth(token), body: ByteBuffer(string: event)
      ) { response in
        #expect(response.status == .accepted)
        let items = try #require(try response.body.json()["items"] as? [[String: Any]])
        #expect(items.map { $0["status"] as? String } == ["accepted", "ignored"])
        #expect(items.first?["key"] as? String == "uploads/my trial.csv")
      }
      // The same event again (S3 delivers at least once) is a duplicate.
      try await client.execute(
        uri: "/v1/events/s3", method: .post, headers: auth(token), body: ByteBuffer(string: event)
      ) { response in
        let items = try #require(try response.body.json()["items"] as? [[String: Any]])
        #expect(items.first?["status"] as? String == "duplicate")
      }
      var state = ""
      for _ in 0..<1200 where state != "done" && state != "failed" {
        try await Task.sleep(for: .milliseconds(100))
        state = try await client.execute(
          uri: "/v1/events/s3", method: .get, headers: auth(token)
        ) { response in
          let items = try response.body.json()["items"] as? [[String: Any]]
          return items?.first?["state"] as? String ?? ""
        }
      }
      #expect(state == "done")
    }
    await service.shutdown()
    let outputs = try await client.listObjects(bucket: bucket, prefix: "synthetic/my trial/")
    #expect(
      Set(outputs.map(\.key))
        == Set(
          [
            "synthetic.csv", "report.html", "evaluation.json", "summary_real.csv",
            "summary_synthetic.csv",
          ].map { "synthetic/my trial/" + $0 }))
    let synthetic = try await client.getObject(
      bucket: bucket, key: "synthetic/my trial/synthetic.csv")
    let header = String(decoding: synthetic.prefix { $0 != 0x0A }, as: UTF8.self)
    #expect(header == "ID,Treatment,Sex,Age,Improved")
  }

  @Test("without S3 settings the event route answers 503")
  func notConfigured() async throws {
    let service = try await DoppelService(
      configuration: ServerConfiguration(dataDirectory: try scratchFolder()), logger: quietLogger)
    let token = try await Tokens.create(name: "t", in: service.store).secret
    let app = buildApplication(service: service, logger: quietLogger)
    try await app.test(.router) { client in
      try await client.execute(
        uri: "/v1/events/s3", method: .post, headers: auth(token),
        body: ByteBuffer(string: #"{"Records": []}"#)
      ) { #expect($0.status == .serviceUnavailable) }
    }
    await service.shutdown()
  }
}
