import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests ("Authenticating Requests: AWS Signature Version 4",
/// Amazon S3 API Reference): a canonical request is hashed into a string to sign, which is signed
/// with a key derived from the secret by HMAC-SHA256 over date, region, service and
/// `aws4_request`.
public struct S3Signer: Sendable {
  /// The credentials.
  public var credentials: S3Credentials
  /// The region, such as `us-east-1`.
  public var region: String
  /// The service name; `s3`.
  public var service = "s3"

  /// Creates a signer.
  /// - Parameters:
  ///   - credentials: The credentials.
  ///   - region: The region.
  public init(credentials: S3Credentials, region: String) {
    self.credentials = credentials
    self.region = region
  }

  /// The SHA-256 of an empty payload, in hexadecimal.
  public static let emptyPayloadHash = hex(SHA256.hash(data: Data()))

  /// Signs a request: returns the headers to send (`authorization`, `x-amz-date`,
  /// `x-amz-content-sha256`, and `x-amz-security-token` with a session token), given the host.
  /// - Parameters:
  ///   - method: The HTTP method.
  ///   - path: The URI path, already percent-encoded as it will be sent.
  ///   - query: Query items, not yet encoded.
  ///   - host: The `Host` header (with the port when it is not the scheme's default).
  ///   - headers: Other headers to sign (lowercase names).
  ///   - payloadHash: The payload's SHA-256 in hexadecimal.
  ///   - date: The signing time.
  /// - Returns: The headers to add to the request.
  public func sign(
    method: String, path: String, query: [(String, String)], host: String,
    headers: [String: String] = [:], payloadHash: String, date: Date
  ) -> [String: String] {
    let (amzDate, day) = S3Signer.timestamps(date)
    var signed = headers
    signed["host"] = host
    signed["x-amz-date"] = amzDate
    signed["x-amz-content-sha256"] = payloadHash
    if let token = credentials.sessionToken { signed["x-amz-security-token"] = token }
    let names = signed.keys.map { $0.lowercased() }.sorted()
    var canonicalHeaders = ""
    for name in names {
      let value: String = signed[name] ?? ""
      canonicalHeaders += name + ":" + value.trimmingCharacters(in: .whitespaces) + "\n"
    }
    let signedHeaders = names.joined(separator: ";")
    let encodedQuery: [(String, String)] = query.map {
      (S3Signer.encode($0.0), S3Signer.encode($0.1))
    }
    let sortedQuery = encodedQuery.sorted { left, right in
      left.0 == right.0 ? left.1 < right.1 : left.0 < right.0
    }
    let canonicalQuery = sortedQuery.map { $0.0 + "=" + $0.1 }.joined(separator: "&")
    let canonicalRequest = [
      method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash,
    ].joined(separator: "\n")
    let scope = "\(day)/\(region)/\(service)/aws4_request"
    let stringToSign = [
      "AWS4-HMAC-SHA256", amzDate, scope,
      S3Signer.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
    ].joined(separator: "\n")
    var key = SymmetricKey(data: Data(("AWS4" + credentials.secretAccessKey).utf8))
    for part in [day, region, service, "aws4_request"] {
      key = SymmetricKey(
        data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
    }
    let signature = S3Signer.hex(
      HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    var result = signed
    result["host"] = nil
    result["authorization"] =
      "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
      + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
    return result
  }

  /// Percent-encodes everything but RFC 3986's unreserved characters (`A–Z a–z 0–9 - _ . ~`),
  /// and also keeps `/` when `keepSlash` is set (for paths).
  /// - Parameters:
  ///   - text: The text.
  ///   - keepSlash: Whether `/` stays as it is.
  /// - Returns: The encoded text.
  public static func encode(_ text: String, keepSlash: Bool = false) -> String {
    var result = ""
    for byte in text.utf8 {
      let unreserved =
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F || byte == 0x2E
        || byte == 0x7E || (keepSlash && byte == 0x2F)
      if unreserved {
        result.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        result += String(format: "%%%02X", byte)
      }
    }
    return result
  }

  /// `yyyyMMdd'T'HHmmss'Z'` and `yyyyMMdd` in UTC.
  static func timestamps(_ date: Date) -> (String, String) {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    let day = String(format: "%04d%02d%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    return (day + String(format: "T%02d%02d%02dZ", c.hour ?? 0, c.minute ?? 0, c.second ?? 0), day)
  }

  static func hex(_ digest: some Sequence<UInt8>) -> String {
    digest.map { String(format: "%02x", $0) }.joined()
  }
}

/// Access key, secret and optional session token.
public struct S3Credentials: Sendable, Equatable {
  /// The access key id.
  public var accessKeyID: String
  /// The secret access key.
  public var secretAccessKey: String
  /// The session token of temporary credentials.
  public var sessionToken: String?

  /// Creates credentials.
  /// - Parameters:
  ///   - accessKeyID: The access key id.
  ///   - secretAccessKey: The secret.
  ///   - sessionToken: The session token, if any.
  public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
  }
}
