import DoppelCore
import Foundation

/// Where a PostgreSQL database is, parsed from a URL such as
/// `postgres://user:password@127.0.0.1:5432/database?schema=sales`.
///
/// The query item `schema` names the schema whose tables are read or written (default `public`);
/// `sslmode=disable` turns TLS off, any other value (or none) tries TLS when the server offers it.
public struct PostgresLocation: Sendable, Equatable {
  /// The server's host name or address.
  public var host: String
  /// The server's port; default 5432.
  public var port: Int
  /// The user name.
  public var username: String
  /// The password, if any.
  public var password: String?
  /// The database.
  public var database: String
  /// The schema; default `public`.
  public var schema: String
  /// Whether to try TLS.
  public var useTLS: Bool

  /// Whether text looks like a PostgreSQL URL (`postgres://` or `postgresql://`).
  /// - Parameter text: The text.
  /// - Returns: `true` for a PostgreSQL URL.
  public static func isURL(_ text: String) -> Bool {
    text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
  }

  /// Parses a URL.
  /// - Parameter url: The URL.
  /// - Throws: ``DoppelError`` `invalidArgument` for a URL without host, user or database.
  public init(url: String) throws {
    guard PostgresLocation.isURL(url), let components = URLComponents(string: url),
      let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty
    else {
      throw DoppelError(
        .invalidArgument,
        "a PostgreSQL URL reads postgres://USER:PASSWORD@HOST:PORT/DATABASE?schema=SCHEMA")
    }
    self.host = host
    port = components.port ?? 5432
    username = user.removingPercentEncoding ?? user
    password = components.password.map { $0.removingPercentEncoding ?? $0 }
    let path =
      components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
    database = path.isEmpty ? username : path
    let items = components.queryItems ?? []
    schema = items.first { $0.name == "schema" }?.value ?? "public"
    useTLS = items.first { $0.name == "sslmode" }?.value != "disable"
    try TableName.check(schema)
  }

  /// The URL without its password, for messages and logs.
  public var redacted: String {
    "postgres://\(username)@\(host):\(port)/\(database)?schema=\(schema)"
  }
}
