import Foundation

/// The test servers started by `scripts/test-services` (PostgreSQL and an S3-compatible
/// `moto_server`), found through the environment.
///
/// Outside CI a missing server skips the test with a message; in CI (`CI` set) it fails the test,
/// so a CI run can never pass by skipping.
public enum TestServices {
  /// The error thrown in CI when a server's variable is not set.
  public struct Missing: Error, CustomStringConvertible {
    /// The environment variable that was not set.
    public let variable: String
    /// Says which variable is missing and what to do.
    public var description: String {
      "\(variable) is not set although CI is; .ci/run must start the test services first"
    }
  }

  /// The PostgreSQL URL, or `nil` (with a message) when the test should skip.
  /// - Throws: ``Missing`` in CI when the URL is not set.
  public static func postgresURL() throws -> String? {
    try value("DOPPEL_TEST_POSTGRES_URL", what: "PostgreSQL")
  }

  /// The S3-compatible endpoint (moto), or `nil` (with a message) when the test should skip.
  /// - Throws: ``Missing`` in CI when the endpoint is not set.
  public static func s3Endpoint() throws -> String? {
    try value("DOPPEL_TEST_S3_ENDPOINT", what: "moto_server")
  }

  /// A server's setting from the environment.
  /// - Parameters:
  ///   - variable: The environment variable.
  ///   - what: The server's name, for the skip message.
  /// - Returns: The value, or `nil` outside CI when it is not set.
  /// - Throws: ``Missing`` in CI when it is not set.
  public static func value(_ variable: String, what: String) throws -> String? {
    let environment = ProcessInfo.processInfo.environment
    if let value = environment[variable], !value.isEmpty { return value }
    if environment["CI"] != nil { throw Missing(variable: variable) }
    print("skipping: \(variable) is not set (start \(what) with scripts/test-services)")
    return nil
  }
}

/// A fresh temporary folder for one test.
public struct Scratch {
  /// The folder's path.
  public let path: String

  /// Creates a new, empty folder under the temporary directory.
  /// - Parameter prefix: The start of the folder's name.
  /// - Throws: A file-system error when the folder cannot be created.
  public init(prefix: String = "doppel-test") throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// The path of a file in the folder.
  /// - Parameter name: The file's name.
  /// - Returns: The full path.
  public func file(_ name: String) -> String { path + "/" + name }
}
