import DoppelCore
import DoppelStores
import DoppelTesting
import Foundation
import Testing

@Suite("S3 client")
struct S3ClientTests {
  /// The "GET Object" example of the S3 API Reference's Signature Version 4 page
  /// (examplebucket, 2013-05-24, the documentation's example keys), whose published signature is
  /// f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41.
  @Test("the signer reproduces the S3 documentation's GET Object example")
  func documentationExample() {
    let signer = S3Signer(
      credentials: S3Credentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
      region: "us-east-1")
    let headers = signer.sign(
      method: "GET", path: "/test.txt", query: [], host: "examplebucket.s3.amazonaws.com",
      headers: ["range": "bytes=0-9"], payloadHash: S3Signer.emptyPayloadHash,
      date: Date(timeIntervalSince1970: 1_369_353_600))
    #expect(
      headers["authorization"]
        == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    #expect(headers["x-amz-date"] == "20130524T000000Z")
  }

  @Test("the client reads its settings from the usual environment variables")
  func environment() throws {
    let client = try S3Client.fromEnvironment([
      "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b", "AWS_DEFAULT_REGION": "eu-west-1",
      "AWS_ENDPOINT_URL": "http://127.0.0.1:9000/",
    ])
    #expect(client.endpoint == "http://127.0.0.1:9000")
    #expect(client.signer.region == "eu-west-1")
    #expect(throws: DoppelError.self) { try S3Client.fromEnvironment([:]) }
  }

  @Test("put, get, list and multipart upload against an S3-compatible server")
  func roundTrip() async throws {
    guard let endpoint = try TestServices.s3Endpoint() else { return }
    let client = S3Client(
      endpoint: endpoint, region: "us-east-1",
      credentials: S3Credentials(accessKeyID: "testing", secretAccessKey: "testing"),
      partSize: 5 << 20)
    let bucket = "doppel-s3-\(UInt32.random(in: 0...UInt32.max))"
    try await client.createBucket(bucket)
    let small = Array("a,b\n1,2\n".utf8)
    try await client.putObject(bucket: bucket, key: "in/small file.csv", bytes: small)
    #expect(try await client.getObject(bucket: bucket, key: "in/small file.csv") == small)

    // 11 MiB: three parts of a multipart upload; the content must come back byte for byte.
    let scratch = try Scratch()
    var generator = SeededGenerator(seed: 7)
    let large = (0..<(11 << 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    try Data(large).write(to: URL(fileURLWithPath: scratch.file("large.bin")))
    try await client.upload(file: scratch.file("large.bin"), bucket: bucket, key: "in/large.bin")
    let path = scratch.file("back.bin")
    #expect(try await client.download(bucket: bucket, key: "in/large.bin", to: path) == large.count)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(large))

    let listed = try await client.listObjects(bucket: bucket, prefix: "in/")
    #expect(listed.map(\.key) == ["in/large.bin", "in/small file.csv"])
    #expect(listed.map(\.size) == [large.count, small.count])
    do {
      _ = try await client.getObject(bucket: bucket, key: "in/absent.csv")
      Issue.record("a missing key was read")
    } catch let error as DoppelError {
      #expect(error.message.contains("404"))
    }
  }
}
