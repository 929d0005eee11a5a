import DoppelCore
import DoppelIO
import Foundation

/// A folder of CSV files, one table per `NAME.csv` (or `NAME.csv.gz` when reading).
public struct CSVFolderStore: TableStore {
  /// The folder.
  public let path: String
  /// Delimiter and chunking of the files.
  public let options: CSVOptions

  /// Opens a folder, creating it when `create` is set.
  /// - Parameters:
  ///   - path: The folder.
  ///   - options: Delimiter and chunking.
  ///   - create: Whether to create a missing folder (for output).
  /// - Throws: ``DoppelError`` `io` when the folder is missing or cannot be created.
  public init(path: String, options: CSVOptions = CSVOptions(), create: Bool = false) throws {
    self.path = path
    self.options = options
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
      guard isFolder.boolValue else {
        throw DoppelError(
          .io, "the path is a file, not a folder of CSV files", context: .init(file: path))
      }
    } else if create {
      do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      } catch {
        throw DoppelError(
          .io, "cannot create the folder; check the path and permissions",
          context: .init(file: path))
      }
    } else {
      throw DoppelError(
        .io, "the folder does not exist; check the path", context: .init(file: path))
    }
  }

  /// The folder's path.
  public var description: String { path }

  /// The names of the `.csv` and `.csv.gz` files, without their extension, sorted.
  /// - Returns: The names.
  /// - Throws: ``DoppelError`` `io` when the folder cannot be listed.
  public func tableNames() async throws -> [String] {
    let files: [String]
    do {
      files = try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      throw DoppelError(.io, "cannot list the folder", context: .init(file: path))
    }
    var names = Set<String>()
    for file in files {
      for suffix in [".csv", ".csv.gz"] where file.hasSuffix(suffix) {
        names.insert(String(file.dropLast(suffix.count)))
      }
    }
    return names.sorted()
  }

  /// Reads `NAME.csv` (or `NAME.csv.gz`).
  /// - Parameter name: The table's name.
  /// - Returns: The table as text.
  /// - Throws: ``DoppelError`` for a missing or malformed file.
  public func read(_ name: String) async throws -> TextTable {
    try TableName.check(name)
    var file = path + "/" + name + ".csv"
    if !FileManager.default.fileExists(atPath: file)
      && FileManager.default.fileExists(atPath: file + ".gz")
    {
      file += ".gz"
    }
    do {
      return try CSVReader.readAll(path: file, options: options)
    } catch let error as DoppelError {
      throw error.inFile(file)
    }
  }

  /// Writes `NAME.csv` atomically.
  /// - Parameters:
  ///   - table: The rows as text.
  ///   - name: The table's name.
  ///   - metadata: Unused: CSV files carry no types.
  /// - Throws: ``DoppelError`` `io` when the file cannot be written.
  public func write(_ table: TextTable, as name: String, metadata: TableMetadata) async throws {
    try TableName.check(name)
    try AtomicFileWriter.write(
      CSVWriter.encode(table, options: options), to: path + "/" + name + ".csv")
  }
}
