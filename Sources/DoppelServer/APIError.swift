import DoppelCore
import Foundation
import HTTPTypes
import Hummingbird

/// An error answered with an HTTP status and a JSON body
/// `{"error": {"code": "...", "message": "..."}}`; messages hold no data values.
public struct APIError: Error, HTTPResponseError, Sendable {
  /// The HTTP status.
  public var status: HTTPResponse.Status
  /// A stable code, such as `not_found`.
  public var code: String
  /// What went wrong and what to do.
  public var message: String

  /// Creates an error.
  /// - Parameters:
  ///   - status: The HTTP status.
  ///   - code: A stable code.
  ///   - message: What went wrong and what to do.
  public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
    self.status = status
    self.code = code
    self.message = message
  }

  /// An unknown or foreign id: the same answer whether the thing does not exist or belongs to
  /// another token.
  static func notFound(_ what: String) -> APIError {
    APIError(.notFound, "not_found", "no \(what) with this id for this token")
  }

  /// The response: the status and the JSON body.
  /// - Parameters:
  ///   - request: The request.
  ///   - context: The request's context.
  /// - Returns: The response.
  /// - Throws: Never in practice.
  public func response(from request: Request, context: some RequestContext) throws -> Response {
    Self.jsonResponse(status: status, code: code, message: message)
  }

  static func jsonResponse(status: HTTPResponse.Status, code: String, message: String) -> Response {
    struct Body: Encodable {
      struct Detail: Encodable {
        var code: String
        var message: String
      }
      var error: Detail
    }
    let data =
      (try? JSONEncoder().encode(Body(error: .init(code: code, message: message)))) ?? Data()
    return Response(
      status: status, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
  }
}

extension DoppelError: HTTPResponseError {
  /// Bad input is a 422 (or 400 for arguments), a missing file a 404 and anything else a 500.
  public var status: HTTPResponse.Status {
    switch code {
    case .invalidArgument, .unknownColumn, .unknownSynthesizer: return .badRequest
    case .io, .corruptModel, .unsupportedVersion: return .internalServerError
    default: return .unprocessableContent
    }
  }

  /// The response: the status and a JSON body with the code and the message (no data values).
  /// - Parameters:
  ///   - request: The request.
  ///   - context: The request's context.
  /// - Returns: The response.
  /// - Throws: Never in practice.
  public func response(from request: Request, context: some RequestContext) throws -> Response {
    // The server's own file paths stay out of the answer; line and column stay in.
    var located = self
    located.context.file = nil
    return APIError.jsonResponse(status: status, code: code.rawValue, message: located.description)
  }
}
