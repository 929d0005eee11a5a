/// The one error type of Doppel's library modules.
///
/// Each error has a stable ``Code``, a message that says what failed and how to fix it, and a
/// ``Context`` that says where (file, line, column name, byte offset). Messages never contain cell
/// values from the user's data, so an error can be logged or shown to a reviewer without leaking a
/// record.
public struct DoppelError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of failure this is; stable across versions so callers can branch on it.
  public enum Code: String, Sendable, Codable, CaseIterable {
    /// The input file holds no bytes, or no header row.
    case emptyInput
    /// The input has a header row but no data rows.
    case noRows
    /// A row has a different number of fields than the header.
    case raggedRow
    /// A quoted field is not closed before the end of the file.
    case unterminatedQuote
    /// The bytes are not valid UTF-8.
    case invalidUTF8
    /// Two columns share a name.
    case duplicateColumnName
    /// A column has an empty name.
    case emptyColumnName
    /// A column named in metadata, options or a condition is not in the table.
    case unknownColumn
    /// A command-line or API argument is out of its valid range.
    case invalidArgument
    /// A metadata file cannot be read or contradicts the data.
    case invalidMetadata
    /// A value cannot be converted to the column's declared type.
    case invalidValue
    /// A model file is damaged, truncated or not a Doppel model.
    case corruptModel
    /// A model file was written by a newer Doppel.
    case unsupportedVersion
    /// No synthesizer is registered under the requested kind.
    case unknownSynthesizer
    /// A synthesizer cannot be fitted to this table.
    case fitFailed
    /// Reading or writing a file failed.
    case io
    /// Two tables that must match (columns, types) do not.
    case schemaMismatch
    /// Sampling conditions that the model cannot meet, or meets too rarely to find rows.
    case impossibleCondition
  }

  /// Where an error happened. Every field is optional; only what is known is filled in.
  public struct Context: Sendable, Equatable {
    /// The file being read or written.
    public var file: String?
    /// The 1-based line number in a text file.
    public var line: Int?
    /// The name of the column involved.
    public var column: String?
    /// The 0-based byte offset in the file.
    public var byteOffset: Int?

    /// Creates a context; pass only what is known.
    public init(
      file: String? = nil, line: Int? = nil, column: String? = nil, byteOffset: Int? = nil
    ) {
      self.file = file
      self.line = line
      self.column = column
      self.byteOffset = byteOffset
    }
  }

  /// The kind of failure.
  public var code: Code
  /// What failed and how to fix it. Never contains data values.
  public var message: String
  /// Where it failed.
  public var context: Context

  /// Creates an error.
  /// - Parameters:
  ///   - code: The kind of failure.
  ///   - message: What failed and how to fix it, without data values.
  ///   - context: Where it failed.
  public init(_ code: Code, _ message: String, context: Context = Context()) {
    self.code = code
    self.message = message
    self.context = context
  }

  /// The message prefixed with its location, such as `data.csv, line 7, column "age": …`.
  public var description: String {
    var place: [String] = []
    if let file = context.file { place.append(file) }
    if let line = context.line { place.append("line \(line)") }
    if let column = context.column { place.append("column \"\(column)\"") }
    if let offset = context.byteOffset { place.append("byte \(offset)") }
    return place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
  }

  /// Returns a copy with the file name set, keeping any other context.
  /// - Parameter file: The file name to record.
  /// - Returns: The same error, located in `file`.
  public func inFile(_ file: String) -> DoppelError {
    var copy = self
    if copy.context.file == nil { copy.context.file = file }
    return copy
  }
}
