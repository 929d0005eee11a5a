import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The request context: Hummingbird's core storage plus the id of the token that made the
/// request (set by the bearer-token middleware).
public struct DoppelRequestContext: RequestContext {
  /// Hummingbird's storage.
  public var coreContext: CoreRequestContextStorage
  /// The id of the authenticated token; `nil` before authentication.
  public var owner: String?

  /// Creates a context for a request.
  /// - Parameter source: The request's source.
  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
  }

  /// JSON request bodies are at most 1 MiB; uploads stream to disk with their own limit.
  public var maxUploadSize: Int { 1 << 20 }
}

/// Checks `Authorization: Bearer <token>` against the stored hashes and records the token.
struct BearerAuthentication: RouterMiddleware {
  typealias Context = DoppelRequestContext
  let store: any JobStore

  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
      throw APIError(
        .unauthorized, "unauthorized",
        "send a token as 'Authorization: Bearer <token>'; create one with `doppel token create`")
    }
    let secret = header.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
    guard let token = try await store.activeToken(hash: Tokens.hash(secret)) else {
      throw APIError(.unauthorized, "unauthorized", "the token is unknown or revoked")
    }
    var context = context
    context.owner = token.id
    context.logger[metadataKey: "token"] = "\(token.id)"
    return try await next(request, context)
  }
}

extension DoppelRequestContext {
  /// The authenticated token's id.
  func requireOwner() throws -> String {
    guard let owner else {
      throw APIError(.unauthorized, "unauthorized", "this route needs a bearer token")
    }
    return owner
  }
}
