import DoppelCore
import DoppelIO
import Foundation

/// Reads a delimited file into a typed table with its metadata: the one path every command and
/// the service use to load data.
///
/// Metadata is detected from the data; a metadata file (Doppel's or SDV's JSON), when given,
/// overrides the detected choices column by column.
public enum TableSource {
  /// Detects metadata by streaming the file chunk by chunk, so files larger than memory can be
  /// inspected.
  /// - Parameters:
  ///   - path: A CSV (or gzip-compressed CSV) file.
  ///   - options: Delimiter and chunking.
  ///   - metadataFile: An optional metadata JSON whose choices override detection.
  ///   - progress: Receives the number of rows scanned.
  /// - Returns: The metadata.
  /// - Throws: ``DoppelError`` for unreadable or malformed input.
  public static func inspect(
    path: String, options: CSVOptions = CSVOptions(), metadataFile: String? = nil,
    progress: ProgressReporter? = nil
  ) throws -> TableMetadata {
    do {
      var reader = try CSVReader(path: path, options: options)
      var detector = MetadataDetector(columnNames: reader.columnNames)
      var rows = 0
      while let chunk = try reader.nextChunk() {
        detector.add(chunk)
        rows += chunk.rowCount
        progress?.report("scanning rows", rows, of: nil)
      }
      guard rows > 0 else {
        throw DoppelError(.noRows, "the file has a header but no data rows; add rows to synthesize")
      }
      return try applyMetadataFile(metadataFile, to: detector.finish())
    } catch let error as DoppelError {
      throw error.inFile(path)
    }
  }

  /// Reads a whole file into a typed table.
  /// - Parameters:
  ///   - path: A CSV (or gzip-compressed CSV) file.
  ///   - options: Delimiter and chunking.
  ///   - metadataFile: An optional metadata JSON whose choices override detection.
  /// - Returns: The table and its metadata.
  /// - Throws: ``DoppelError`` for unreadable or malformed input or values that do not fit the
  ///   metadata.
  public static func load(
    path: String, options: CSVOptions = CSVOptions(), metadataFile: String? = nil
  ) throws -> (table: Table, metadata: TableMetadata) {
    do {
      let text = try CSVReader.readAll(path: path, options: options)
      let metadata = try applyMetadataFile(metadataFile, to: MetadataDetector.detect(text))
      let table = try Table(text: text, metadata: metadata)
      return (table, metadata)
    } catch let error as DoppelError {
      throw error.inFile(path)
    }
  }

  /// Reads a metadata file and applies it over detected metadata.
  /// - Parameters:
  ///   - path: The metadata JSON, or `nil` to keep `detected`.
  ///   - detected: The detected metadata.
  /// - Returns: The merged metadata.
  /// - Throws: ``DoppelError`` `invalidMetadata`, `unknownColumn` or `io`.
  public static func applyMetadataFile(_ path: String?, to detected: TableMetadata) throws
    -> TableMetadata
  {
    guard let path else { return detected }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw DoppelError(
        .io, "cannot read the metadata file; check the path", context: .init(file: path))
    }
    do {
      return try TableMetadata.decode(from: data).overriding(detected: detected)
    } catch let error as DoppelError {
      throw error.inFile(path)
    }
  }

  /// Encodes metadata as pretty, sorted JSON for people to edit.
  /// - Parameter metadata: The metadata.
  /// - Returns: The JSON bytes.
  /// - Throws: An encoding error.
  public static func encode(_ metadata: TableMetadata) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(metadata)
  }
}

extension TableSource {
  /// Reads a file whose columns must be those of known metadata (a synthetic or holdout table).
  /// - Parameters:
  ///   - path: A CSV (or gzip-compressed CSV) file.
  ///   - metadata: The real table's metadata.
  ///   - options: Delimiter and chunking.
  /// - Returns: The typed table, columns in the metadata's order.
  /// - Throws: ``DoppelError`` `schemaMismatch` listing missing and extra columns, or any read or
  ///   conversion error.
  public static func load(
    path: String, matching metadata: TableMetadata, options: CSVOptions = CSVOptions()
  ) throws -> Table {
    do {
      var text = try CSVReader.readAll(path: path, options: options)
      let names = text.columnNames
      let missing = metadata.columnNames.filter { !names.contains($0) }
      let extra = names.filter { metadata[$0] == nil }
      if !missing.isEmpty || !extra.isEmpty {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
        if !extra.isEmpty { parts.append("extra \(extra.joined(separator: ", "))") }
        throw DoppelError(
          .schemaMismatch,
          "the table's columns differ from the real table's: \(parts.joined(separator: "; "))")
      }
      if names != metadata.columnNames {
        let columns = metadata.columnNames.compactMap { name in
          names.firstIndex(of: name).map { text.columns[$0] }
        }
        text = TextTable(
          columnNames: metadata.columnNames, columns: columns, firstLine: text.firstLine)
      }
      return try Table(text: text, metadata: metadata)
    } catch let error as DoppelError {
      throw error.inFile(path)
    }
  }
}
