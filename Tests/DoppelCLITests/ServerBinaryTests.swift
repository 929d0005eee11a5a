import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The one test that runs `doppel serve` as a process, over a real socket.
@Suite("The doppel serve binary")
struct ServerBinaryTests {
  private func run(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = BinaryTests.binary
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = Pipe()
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return text
  }

  private func request(
    _ url: String, method: String = "GET", token: String? = nil, body: Data? = nil
  ) async throws -> (Int, Data) {
    var request = URLRequest(url: try #require(URL(string: url)))
    request.httpMethod = method
    request.httpBody = body
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
  }

  @Test("serve answers over HTTP, trains a job and stops cleanly on SIGTERM")
  func serveEndToEnd() async throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: BinaryTests.binary.path),
      "build the doppel product first")
    let scratch = try Scratch()
    let data = scratch.file("data")
    let token = try #require(
      try run(["token", "create", "--name", "e2e", "--data-dir", data])
        .split(separator: "\n").last.map(String.init))
    let port = Int.random(in: 20_000...60_000)
    let server = Process()
    server.executableURL = BinaryTests.binary
    server.arguments = [
      "serve", "--port", String(port), "--data-dir", data, "--log-level", "warning",
    ]
    server.standardOutput = Pipe()
    server.standardError = Pipe()
    try server.run()
    defer { if server.isRunning { server.terminate() } }
    let base = "http://127.0.0.1:\(port)"
    var healthy = false
    for _ in 0..<300 where !healthy {
      healthy = (try? await request(base + "/health"))?.0 == 200
      if !healthy { try await Task.sleep(for: .milliseconds(100)) }
    }
    try #require(healthy, "the server did not answer /health")
    #expect(try await request(base + "/v1/datasets").0 == 401)
    let csv = try Data(contentsOf: URL(fileURLWithPath: exampleData("arthritis.csv")))
    let (uploaded, datasetBody) = try await request(
      base + "/v1/datasets", method: "POST", token: token, body: csv)
    #expect(uploaded == 201)
    let dataset =
      try #require(
        try JSONSerialization.jsonObject(with: datasetBody) as? [String: Any])["id"] as? String
    let (created, jobBody) = try await request(
      base + "/v1/jobs", method: "POST", token: token,
      body: Data(#"{"dataset":"\#(dataset ?? "")","synthesizer":"gaussian-copula"}"#.utf8))
    #expect(created == 202)
    let job =
      try #require(
        try JSONSerialization.jsonObject(with: jobBody) as? [String: Any])["id"] as? String
    var state = ""
    var model = ""
    for _ in 0..<1200 where state != "succeeded" && state != "failed" {
      try await Task.sleep(for: .milliseconds(100))
      let (_, body) = try await request(base + "/v1/jobs/\(job ?? "")", token: token)
      let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
      state = object?["state"] as? String ?? ""
      model = object?["model"] as? String ?? ""
    }
    #expect(state == "succeeded")
    let (sampled, rows) = try await request(
      base + "/v1/models/\(model)/sample", method: "POST", token: token,
      body: Data(#"{"rows": 1000}"#.utf8))
    #expect(sampled == 200)
    #expect(String(decoding: rows, as: UTF8.self).split(separator: "\n").count == 1001)
    server.terminate()
    server.waitUntilExit()
    #expect(server.terminationReason == .exit)
    #expect(server.terminationStatus == 0)
  }
}
