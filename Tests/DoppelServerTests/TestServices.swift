import Foundation

/// Test servers started by `.ci/run` (scripts/test-services): their URLs come from the
/// environment. Outside CI a missing server skips the test with a message; in CI (`CI` set) it
/// fails the test.
enum TestServices {
  struct Missing: Error, CustomStringConvertible {
    let variable: String
    var description: String {
      "\(variable) is not set although CI is; .ci/run must start the test services first"
    }
  }

  /// The PostgreSQL URL, or `nil` (with a message) when the test should skip.
  static func postgresURL() throws -> String? {
    try value("DOPPEL_TEST_POSTGRES_URL", what: "PostgreSQL")
  }

  /// The S3-compatible endpoint (moto), or `nil` (with a message) when the test should skip.
  static func s3Endpoint() throws -> String? {
    try value("DOPPEL_TEST_S3_ENDPOINT", what: "moto_server")
  }

  static func value(_ variable: String, what: String) throws -> String? {
    let environment = ProcessInfo.processInfo.environment
    if let value = environment[variable], !value.isEmpty { return value }
    if environment["CI"] != nil { throw Missing(variable: variable) }
    print("skipping: \(variable) is not set (start \(what) with scripts/test-services)")
    return nil
  }
}
