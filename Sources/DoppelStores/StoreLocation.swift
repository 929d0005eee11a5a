import DoppelCore
import DoppelIO
import Foundation

/// Which kind of table store a command-line argument names.
///
/// - `postgres://…` or `postgresql://…`: a PostgreSQL schema (see ``PostgresLocation``);
/// - a path ending in `.sqlite`, `.sqlite3` or `.db`, or an existing file: an SQLite file;
/// - anything else: a folder of CSV files.
public enum StoreLocation: Sendable, Equatable {
  /// A folder of CSV files.
  case folder(String)
  /// An SQLite database file.
  case sqlite(String)
  /// A PostgreSQL schema.
  case postgres(PostgresLocation)

  /// Parses an argument.
  /// - Parameter text: A folder, an SQLite file or a PostgreSQL URL.
  /// - Throws: ``DoppelError`` `invalidArgument` for a malformed PostgreSQL URL.
  public init(_ text: String) throws {
    if PostgresLocation.isURL(text) {
      self = .postgres(try PostgresLocation(url: text))
      return
    }
    var isFolder: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: text, isDirectory: &isFolder)
    if [".sqlite", ".sqlite3", ".db"].contains(where: { text.hasSuffix($0) })
      || (exists && !isFolder.boolValue)
    {
      self = .sqlite(text)
    } else {
      self = .folder(text)
    }
  }

  /// The kind's name: `csv`, `sqlite` or `postgres`.
  public var kind: String {
    switch self {
    case .folder: return "csv"
    case .sqlite: return "sqlite"
    case .postgres: return "postgres"
    }
  }

  /// Opens the store.
  /// - Parameters:
  ///   - create: Whether to create a missing folder, file or schema (for output).
  ///   - csvOptions: Delimiter of CSV files.
  /// - Returns: The store; call ``TableStore/close()`` when done.
  /// - Throws: ``DoppelError`` `io` when the store cannot be opened.
  public func open(create: Bool, csvOptions: CSVOptions = CSVOptions()) async throws
    -> any TableStore
  {
    switch self {
    case .folder(let path):
      return try CSVFolderStore(path: path, options: csvOptions, create: create)
    case .sqlite(let path): return try SQLiteStore(path: path, create: create)
    case .postgres(let location): return try await PostgresStore(location: location, create: create)
    }
  }
}
