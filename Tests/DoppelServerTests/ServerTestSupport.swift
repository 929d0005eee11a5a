import DoppelServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The repository's example tables.
func exampleData(_ name: String) -> String {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Examples/data/\(name)").path
}

/// A fresh temporary folder.
func scratchFolder() throws -> String {
  let path =
    FileManager.default.temporaryDirectory
    .appendingPathComponent("doppel-server-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// A logger that prints only warnings and worse.
var quietLogger: Logger {
  var logger = Logger(label: "doppel.test")
  logger.logLevel = .warning
  return logger
}

/// Headers with a bearer token.
func auth(_ secret: String, _ extra: HTTPFields = [:]) -> HTTPFields {
  var fields = extra
  fields[.authorization] = "Bearer \(secret)"
  return fields
}

extension ByteBuffer {
  /// The body as text.
  var text: String { String(buffer: self) }

  /// The body parsed as a JSON object.
  func json() throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(readableBytesView))
    return try #require(object as? [String: Any])
  }
}

/// Polls a job until it is final; the bound only stops a hung test, it is not a timing assertion.
func waitForJob(_ client: some TestClientProtocol, _ id: String, token: String) async throws
  -> [String: Any]
{
  for _ in 0..<1200 {
    let job = try await client.execute(
      uri: "/v1/jobs/\(id)", method: .get, headers: auth(token)
    ) { try $0.body.json() }
    if let state = job["state"] as? String, ["succeeded", "failed", "cancelled"].contains(state) {
      return job
    }
    try await Task.sleep(for: .milliseconds(100))
  }
  Issue.record("job \(id) did not finish")
  return [:]
}
