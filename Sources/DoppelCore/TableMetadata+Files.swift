import Foundation

extension TableMetadata {
  /// Reads a metadata file: Doppel's own JSON or SDV's metadata JSON.
  ///
  /// Doppel's form has a `columns` array (see ``ColumnMetadata``). SDV's single-table form has a
  /// `columns` object keyed by column name, with `sdtype` and its options, and an optional
  /// `primary_key`; SDV's V1 multi-table wrapper (`{"tables": {"name": {…}}}`) is accepted when it
  /// holds exactly one table. How SDV sdtypes map to Doppel kinds is described in the file
  /// `SDVMetadata.swift`; in short, `numerical`, `categorical`, `boolean`, `datetime` and `id`
  /// map to the kinds of the same name, personal-data sdtypes (`email`, `phone_number`, `ssn`,
  /// `name`, `first_name`, `last_name`, `address`, `postcode`, …) to `pii`, and other sdtypes to
  /// `text` only when marked `"pii": false`.
  ///
  /// A file may describe only some columns; ``overriding(detected:)`` fills in the rest.
  /// - Parameter data: The file's bytes, UTF-8 JSON.
  /// - Returns: The metadata the file describes, in the file's column order.
  /// - Throws: ``DoppelError`` `invalidMetadata` for text that is not JSON (with the byte offset),
  ///   for JSON that is neither form, for a wrong or missing field, an unsupported datetime
  ///   format, repeated or empty column names, or a primary key that is not an `id` column;
  ///   `unsupportedVersion` for a file from a newer Doppel or an unknown SDV spec version.
  public static func decode(from data: Data) throws -> TableMetadata {
    let document = try JSONValue.parse(Array(data))
    guard case .object = document else {
      throw DoppelError(
        .invalidMetadata,
        "metadata must be a JSON object, not \(document.typeName); write Doppel's "
          + "{\"columns\": [...]} or SDV's {\"columns\": {...}}")
    }
    let metadata: TableMetadata
    switch document["columns"] {
    case .array?:
      metadata = try decodeDoppel(data)
    case .object?:
      metadata = try SDVMetadata.read(document)
    default:
      if document["tables"] != nil {
        metadata = try SDVMetadata.read(document)
      } else {
        throw DoppelError(
          .invalidMetadata,
          "the metadata has no \"columns\"; write Doppel's {\"columns\": [...]}, SDV's "
            + "{\"columns\": {...}} or SDV's {\"tables\": {\"name\": {\"columns\": {...}}}}")
      }
    }
    try metadata.validateFile()
    return metadata
  }

  /// The metadata as Doppel's JSON: sorted keys, indented, `formatVersion` included.
  /// - Returns: UTF-8 JSON that ``decode(from:)`` reads back.
  /// - Throws: An `EncodingError` only if a profile number is not finite.
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }

  /// Combines this metadata, read from a file, with metadata detected from the data.
  ///
  /// The result has the detected columns in the data's order. A column the file names takes the
  /// file's kind and keeps the detected profile numbers where the file has none; every other
  /// column keeps its detected kind. Where the file cannot say everything about a kind, detection
  /// completes it:
  /// - a datetime column with an empty format (SDV without `datetime_format`) takes the detected
  ///   format;
  /// - a boolean column whose two spellings are not the two values found in the data takes the
  ///   detected spellings (SDV files cannot spell booleans);
  /// - an `id` column of shape `other` takes a more specific detected id shape.
  ///
  /// The file's primary key wins; without one, the detected key is kept unless the file gave
  /// that column a kind other than `id`.
  /// - Parameter detected: Metadata detected from the data, such as ``MetadataDetector/finish()``.
  /// - Returns: The combined metadata.
  /// - Throws: ``DoppelError`` `unknownColumn` listing every column (and primary key) the file
  ///   names that the data lacks; `invalidMetadata` listing every datetime column left without a
  ///   format and a primary key that is not an `id` column.
  public func overriding(detected: TableMetadata) throws -> TableMetadata {
    let present = Set(detected.columnNames)
    var unknown = columnNames.filter { !present.contains($0) }
    if let key = primaryKey, !present.contains(key), !unknown.contains(key) { unknown.append(key) }
    if let label, !present.contains(label), !unknown.contains(label) { unknown.append(label) }
    if !unknown.isEmpty {
      throw DoppelError(
        .unknownColumn,
        "the metadata file names \(unknown.count == 1 ? "a column" : "columns") that the data does "
          + "not have: \(Table.quotedList(unknown)); fix the names or remove "
          + "\(unknown.count == 1 ? "it" : "them") from the file",
        context: .init(column: unknown.count == 1 ? unknown.first : nil))
    }
    var problems: [String] = []
    var merged: [ColumnMetadata] = []
    for found in detected.columns {
      guard let given = self[found.name] else {
        merged.append(found)
        continue
      }
      var column = given
      column.missingRate = given.missingRate ?? found.missingRate
      column.distinctCount = given.distinctCount ?? found.distinctCount
      switch (given.kind, found.kind) {
      case (.boolean(let mine), .boolean(let theirs)):
        if Set([mine.trueText, mine.falseText]) != Set([theirs.trueText, theirs.falseText]) {
          column.kind = .boolean(theirs)
        }
      case (.datetime(let mine), _) where mine.pattern.isEmpty:
        if case .datetime(let theirs) = found.kind {
          column.kind = .datetime(theirs)
        } else {
          problems.append(
            "\"\(found.name)\" is a datetime column without a format and its values match no "
              + "format Doppel detects; add its format (such as %d %m %Y) to the file")
        }
      case (.id(.other), .id(let shape)):
        column.kind = .id(shape)
      default:
        break
      }
      merged.append(column)
    }
    var key = primaryKey ?? detected.primaryKey
    if let name = key, let column = merged.first(where: { $0.name == name }) {
      if case .id = column.kind {
      } else if primaryKey != nil {
        problems.append(
          "the primary key \"\(name)\" is a \(column.kind.name) column; a primary key must be an "
            + "id column, so declare it as id or remove the primary key")
      } else {
        key = nil
      }
    }
    if !problems.isEmpty {
      throw DoppelError(.invalidMetadata, problems.joined(separator: "; "))
    }
    var result = TableMetadata(columns: merged, primaryKey: key, rowCount: detected.rowCount)
    result.label = label ?? detected.label
    return result
  }

  private static func decodeDoppel(_ data: Data) throws -> TableMetadata {
    do {
      return try JSONDecoder().decode(TableMetadata.self, from: data)
    } catch let error as DoppelError {
      throw error
    } catch let error as DecodingError {
      throw DoppelError(.invalidMetadata, "the metadata file is not valid: \(describe(error))")
    } catch {
      throw DoppelError(.invalidMetadata, "the metadata file cannot be read as Doppel metadata")
    }
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      var text = ""
      for key in keys {
        if let index = key.intValue {
          text += "[\(index)]"
        } else {
          text += text.isEmpty ? key.stringValue : "." + key.stringValue
        }
      }
      return text.isEmpty ? "the top level" : text
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "\(path(context.codingPath + [key])) is missing; add it"
    case .typeMismatch(let type, let context):
      return "\(path(context.codingPath)) has the wrong type; it must be \(typeName(type))"
    case .valueNotFound(let type, let context):
      return "\(path(context.codingPath)) is null; it must be \(typeName(type))"
    case .dataCorrupted(let context):
      return "\(path(context.codingPath)) cannot be read; check its value"
    @unknown default:
      return "it does not match Doppel's metadata format"
    }
  }

  private static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Int.Type: return "a whole number"
    case is Double.Type: return "a number"
    case is Bool.Type: return "true or false"
    default: return "a JSON value of the right kind"
    }
  }

  /// Checks what a file alone can get wrong, listing every problem at once.
  private func validateFile() throws {
    var problems: [String] = []
    var seen = Set<String>()
    var repeated: [String] = []
    for column in columns {
      if column.name.isEmpty { problems.append("a column has an empty name") }
      if !seen.insert(column.name).inserted && !repeated.contains(column.name) {
        repeated.append(column.name)
      }
      if case .datetime(let format) = column.kind, !format.pattern.isEmpty {
        let pattern = DateTimePattern(format.pattern)
        if !pattern.isValid {
          problems.append(
            "the datetime format \"\(format.pattern)\" of \"\(column.name)\" is not supported"
              + (pattern.unsupportedDirective.map { " (\($0))" } ?? "")
              + "; use %Y, %m, %d, %H, %M, %S, %f, %z and literal characters")
        }
      }
    }
    if !repeated.isEmpty {
      problems.append(
        "\(Table.quotedList(repeated)) \(repeated.count == 1 ? "is" : "are") described twice")
    }
    if let key = primaryKey {
      if key.isEmpty {
        problems.append("the primary key is empty; name a column or remove it")
      } else if let column = self[key] {
        if case .id = column.kind {
        } else {
          problems.append(
            "the primary key \"\(key)\" is a \(column.kind.name) column; a primary key must be an "
              + "id column, so declare it as id or remove the primary key")
        }
      }
    }
    if !problems.isEmpty {
      throw DoppelError(.invalidMetadata, problems.joined(separator: "; "))
    }
  }
}
