import AsyncHTTPClient
import Crypto
import DoppelCore
import DoppelIO
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An object in a listing.
public struct S3Object: Sendable, Equatable {
  /// The key.
  public var key: String
  /// Bytes.
  public var size: Int
  /// The entity tag, without quotes.
  public var etag: String
}

/// A client of S3-compatible object stores (AWS S3, MinIO, moto, …) over AsyncHTTPClient, signed
/// with AWS Signature Version 4 (``S3Signer``): GetObject, PutObject, ListObjectsV2 and multipart
/// upload for large files.
///
/// With a custom endpoint (MinIO, moto, a VPC endpoint) buckets are addressed by path
/// (`endpoint/bucket/key`); on AWS itself by virtual host (`bucket.s3.region.amazonaws.com/key`).
public struct S3Client: Sendable {
  /// The endpoint, such as `http://127.0.0.1:9000`; `nil` for AWS.
  public var endpoint: String?
  /// The signer (credentials and region).
  public var signer: S3Signer
  /// Bytes per part of a multipart upload (at least 5 MiB, S3's minimum); default 8 MiB.
  public var partSize: Int
  /// Seconds a request may take.
  public var timeoutSeconds: Int64

  /// Creates a client.
  /// - Parameters:
  ///   - endpoint: A custom endpoint, or `nil` for AWS.
  ///   - region: The region.
  ///   - credentials: The credentials.
  ///   - partSize: Bytes per multipart part.
  public init(
    endpoint: String?, region: String, credentials: S3Credentials, partSize: Int = 8 << 20
  ) {
    self.endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    signer = S3Signer(credentials: credentials, region: region)
    self.partSize = max(5 << 20, partSize)
    timeoutSeconds = 300
  }

  /// A client configured from the usual environment variables: `AWS_ACCESS_KEY_ID`,
  /// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION` (or `AWS_DEFAULT_REGION`, default
  /// `us-east-1`) and `AWS_ENDPOINT_URL_S3` (or `AWS_ENDPOINT_URL`).
  /// - Parameter environment: The environment.
  /// - Returns: The client.
  /// - Throws: ``DoppelError`` `invalidArgument` when the access key or secret is missing.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> S3Client {
    guard let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty,
      let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
    else {
      throw DoppelError(
        .invalidArgument,
        "S3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
    }
    let region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
    let endpoint = environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"]
    return S3Client(
      endpoint: endpoint?.isEmpty == true ? nil : endpoint, region: region,
      credentials: S3Credentials(
        accessKeyID: key, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"]))
  }

  // MARK: Objects

  /// Reads a whole object into memory.
  /// - Parameters:
  ///   - bucket: The bucket.
  ///   - key: The key.
  ///   - maxBytes: The largest object accepted.
  /// - Returns: The bytes.
  /// - Throws: ``DoppelError`` `io` when the request fails or the object is larger.
  public func getObject(bucket: String, key: String, maxBytes: Int = 1 << 30) async throws
    -> [UInt8]
  {
    let response = try await send("GET", bucket: bucket, key: key, what: "GetObject")
    do {
      let buffer = try await response.body.collect(upTo: maxBytes)
      return Array(buffer.readableBytesView)
    } catch {
      throw DoppelError(
        .io, "GetObject of s3://\(bucket)/\(key) is larger than \(maxBytes) bytes or broke off")
    }
  }

  /// Streams an object into a file, which appears only when every byte has arrived.
  /// - Parameters:
  ///   - bucket: The bucket.
  ///   - key: The key.
  ///   - path: The file.
  /// - Returns: Bytes written.
  /// - Throws: ``DoppelError`` `io`.
  @discardableResult
  public func download(bucket: String, key: String, to path: String) async throws -> Int {
    let response = try await send("GET", bucket: bucket, key: key, what: "GetObject")
    var writer = try AtomicFileWriter(path: path)
    var total = 0
    do {
      for try await buffer in response.body {
        total += buffer.readableBytes
        try writer.write(Array(buffer.readableBytesView))
      }
    } catch {
      writer.discard()
      throw DoppelError(.io, "GetObject of s3://\(bucket)/\(key) broke off; try again")
    }
    try writer.finish()
    return total
  }

  /// Writes an object in one request.
  /// - Parameters:
  ///   - bucket: The bucket.
  ///   - key: The key.
  ///   - bytes: The content.
  ///   - contentType: The content type.
  /// - Throws: ``DoppelError`` `io`.
  public func putObject(
    bucket: String, key: String, bytes: [UInt8], contentType: String = "application/octet-stream"
  ) async throws {
    _ = try await send(
      "PUT", bucket: bucket, key: key, headers: ["content-type": contentType], body: bytes,
      what: "PutObject")
  }

  /// Uploads a file: one PutObject up to ``partSize`` bytes, a multipart upload above (aborted
  /// when a part fails, so no partial object is left).
  /// - Parameters:
  ///   - path: The file.
  ///   - bucket: The bucket.
  ///   - key: The key.
  ///   - contentType: The content type.
  /// - Throws: ``DoppelError`` `io`.
  public func upload(
    file path: String, bucket: String, key: String, contentType: String = "text/csv"
  ) async throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw DoppelError(.io, "cannot read the file to upload", context: .init(file: path))
    }
    defer { try? handle.close() }
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    if size <= partSize {
      let bytes = [UInt8]((try? handle.readToEnd()) ?? Data())
      try await putObject(bucket: bucket, key: key, bytes: bytes, contentType: contentType)
      return
    }
    let uploadID = try await createMultipartUpload(
      bucket: bucket, key: key, contentType: contentType)
    do {
      var parts: [(Int, String)] = []
      var number = 1
      while let data = try handle.read(upToCount: partSize), !data.isEmpty {
        let etag = try await uploadPart(
          bucket: bucket, key: key, uploadID: uploadID, number: number, bytes: [UInt8](data))
        parts.append((number, etag))
        number += 1
      }
      try await completeMultipartUpload(
        bucket: bucket, key: key, uploadID: uploadID, parts: parts)
    } catch {
      _ = try? await send(
        "DELETE", bucket: bucket, key: key, query: [("uploadId", uploadID)],
        what: "AbortMultipartUpload")
      throw error
    }
  }

  /// Starts a multipart upload.
  /// - Returns: The upload id.
  func createMultipartUpload(bucket: String, key: String, contentType: String) async throws
    -> String
  {
    let response = try await send(
      "POST", bucket: bucket, key: key, query: [("uploads", "")],
      headers: ["content-type": contentType], what: "CreateMultipartUpload")
    let xml = try await response.body.collect(upTo: 1 << 20)
    guard let id = XMLValues.parse(Data(xml.readableBytesView), element: "UploadId").first else {
      throw DoppelError(.io, "CreateMultipartUpload of s3://\(bucket)/\(key) gave no upload id")
    }
    return id
  }

  /// Uploads one part.
  /// - Returns: The part's entity tag.
  func uploadPart(bucket: String, key: String, uploadID: String, number: Int, bytes: [UInt8])
    async throws -> String
  {
    let response = try await send(
      "PUT", bucket: bucket, key: key,
      query: [("partNumber", String(number)), ("uploadId", uploadID)],
      body: bytes, what: "UploadPart")
    guard let etag = response.headers.first(name: "etag") else {
      throw DoppelError(.io, "UploadPart of s3://\(bucket)/\(key) gave no ETag")
    }
    return etag
  }

  /// Completes a multipart upload.
  func completeMultipartUpload(
    bucket: String, key: String, uploadID: String, parts: [(Int, String)]
  ) async throws {
    var xml = "<CompleteMultipartUpload>"
    for (number, etag) in parts {
      xml += "<Part><PartNumber>\(number)</PartNumber><ETag>\(XMLValues.escape(etag))</ETag></Part>"
    }
    xml += "</CompleteMultipartUpload>"
    let response = try await send(
      "POST", bucket: bucket, key: key, query: [("uploadId", uploadID)],
      headers: ["content-type": "application/xml"], body: Array(xml.utf8),
      what: "CompleteMultipartUpload")
    // S3 may answer 200 with an error document; check for one.
    let body = try await response.body.collect(upTo: 1 << 20)
    if !XMLValues.parse(Data(body.readableBytesView), element: "Code").isEmpty {
      throw DoppelError(.io, "CompleteMultipartUpload of s3://\(bucket)/\(key) failed")
    }
  }

  /// Lists objects under a prefix, every page (ListObjectsV2), in key order.
  /// - Parameters:
  ///   - bucket: The bucket.
  ///   - prefix: The key prefix.
  /// - Returns: The objects.
  /// - Throws: ``DoppelError`` `io`.
  public func listObjects(bucket: String, prefix: String = "") async throws -> [S3Object] {
    var objects: [S3Object] = []
    var token: String?
    repeat {
      var query = [("list-type", "2"), ("prefix", prefix)]
      if let token { query.append(("continuation-token", token)) }
      let response = try await send(
        "GET", bucket: bucket, key: "", query: query, what: "ListObjectsV2")
      let body = try await response.body.collect(upTo: 64 << 20)
      let page = XMLValues.parseListing(Data(body.readableBytesView))
      objects += page.objects
      token = page.truncated ? page.nextToken : nil
    } while token != nil
    return objects
  }

  /// Creates a bucket (for tests and first runs); an existing bucket of the same owner is fine.
  /// - Parameter bucket: The bucket.
  /// - Throws: ``DoppelError`` `io`.
  public func createBucket(_ bucket: String) async throws {
    do {
      _ = try await send("PUT", bucket: bucket, key: "", what: "CreateBucket")
    } catch let error as DoppelError where error.message.contains("BucketAlreadyOwnedByYou") {
      return
    }
  }

  // MARK: Requests

  private func send(
    _ method: String, bucket: String, key: String, query: [(String, String)] = [],
    headers: [String: String] = [:], body: [UInt8]? = nil, what: String
  ) async throws -> HTTPClientResponse {
    let path: String
    let base: String
    if let endpoint {
      base = endpoint
      path =
        "/" + S3Signer.encode(bucket)
        + (key.isEmpty ? "" : "/" + S3Signer.encode(key, keepSlash: true))
    } else {
      base = "https://\(bucket).s3.\(signer.region).amazonaws.com"
      path = "/" + S3Signer.encode(key, keepSlash: true)
    }
    guard let url = URL(string: base), let host = url.host else {
      throw DoppelError(.invalidArgument, "the S3 endpoint is not a URL; check AWS_ENDPOINT_URL")
    }
    let hostHeader = url.port.map { "\(host):\($0)" } ?? host
    let payloadHash =
      body.map { S3Signer.hex(SHA256.hash(data: Data($0))) } ?? S3Signer.emptyPayloadHash
    let signed = signer.sign(
      method: method, path: path, query: query, host: hostHeader, headers: headers,
      payloadHash: payloadHash, date: Date())
    var queryText = query.map { S3Signer.encode($0.0) + "=" + S3Signer.encode($0.1) }
      .joined(separator: "&")
    if !queryText.isEmpty { queryText = "?" + queryText }
    var request = HTTPClientRequest(url: base + path + queryText)
    request.method = HTTPMethod(rawValue: method)
    for (name, value) in signed { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(body) }
    let response: HTTPClientResponse
    do {
      response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeoutSeconds))
    } catch {
      throw DoppelError(
        .io,
        "\(what) of s3://\(bucket)/\(key) could not reach \(base) (\(type(of: error))); "
          + "check AWS_ENDPOINT_URL and the network")
    }
    guard (200..<300).contains(response.status.code) else {
      let text = try? await response.body.collect(upTo: 64 << 10)
      let code =
        text.flatMap {
          XMLValues.parse(Data($0.readableBytesView), element: "Code").first
        } ?? response.status.reasonPhrase
      throw DoppelError(
        .io, "\(what) of s3://\(bucket)/\(key) failed with HTTP \(response.status.code) (\(code))")
    }
    return response
  }
}
