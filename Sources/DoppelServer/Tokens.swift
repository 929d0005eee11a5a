import Crypto
import Foundation

/// Bearer tokens: a secret shown once at creation, stored only as its SHA-256 hash.
public enum Tokens {
  /// Creates a token and stores its hash.
  /// - Parameters:
  ///   - name: A name to recognize it by (such as a team or a service).
  ///   - store: The job store.
  /// - Returns: The stored record and the secret, which is not stored anywhere.
  /// - Throws: A store error.
  public static func create(name: String, in store: any JobStore) async throws -> (
    record: TokenRecord, secret: String
  ) {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let secret = "dpl_" + bytes.map { String(format: "%02x", $0) }.joined()
    let record = TokenRecord(
      id: Identifier.make("tok"), name: name, hash: hash(secret), createdAt: Date())
    try await store.insert(record)
    return (record, secret)
  }

  /// The hexadecimal SHA-256 of a secret.
  /// - Parameter secret: The secret.
  /// - Returns: 64 lowercase hexadecimal digits.
  public static func hash(_ secret: String) -> String {
    SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
  }
}
