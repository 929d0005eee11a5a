import DoppelCore
import Foundation
import Yams

/// Per-table settings of a pipeline run, read from a YAML or JSON file.
///
/// ```yaml
/// seed: 7
/// tables:
///   orders:
///     synthesizer: privbayes
///     options: {epsilon: 1}
///     label: status
///     rows: 5000
///   audit_log:
///     skip: true
/// ```
/// A table not listed gets the automatic choice (``SynthesizerChoice/automatic(profile:)``).
public struct PipelineConfiguration: Sendable, Codable, Equatable {
  /// Settings of one table; every field is optional.
  public struct TableSettings: Sendable, Codable, Equatable {
    /// The synthesizer kind, overriding the automatic choice.
    public var synthesizer: String?
    /// Hyper-parameters as `key: value`; with ``synthesizer`` they replace the automatic ones,
    /// without it they are laid over the automatic choice's.
    public var options: [String: String]?
    /// The label column of the utility model.
    public var label: String?
    /// Rows to sample (default: as many as were trained on).
    public var rows: Int?
    /// Whether to leave the table out.
    public var skip: Bool?

    /// Creates settings.
    /// - Parameters:
    ///   - synthesizer: The synthesizer kind.
    ///   - options: Hyper-parameters.
    ///   - label: The label column.
    ///   - rows: Rows to sample.
    ///   - skip: Whether to leave the table out.
    public init(
      synthesizer: String? = nil, options: [String: String]? = nil, label: String? = nil,
      rows: Int? = nil, skip: Bool? = nil
    ) {
      self.synthesizer = synthesizer
      self.options = options
      self.label = label
      self.rows = rows
      self.skip = skip
    }
  }

  /// The seed of every table's split, fit, sample and evaluation (default 0).
  public var seed: UInt64?
  /// Settings by table name.
  public var tables: [String: TableSettings]?

  /// Creates a configuration.
  /// - Parameters:
  ///   - seed: The seed.
  ///   - tables: Settings by table name.
  public init(seed: UInt64? = nil, tables: [String: TableSettings]? = nil) {
    self.seed = seed
    self.tables = tables
  }

  /// The settings of a table, empty when it is not listed.
  /// - Parameter table: The table's name.
  /// - Returns: Its settings.
  public func settings(for table: String) -> TableSettings {
    tables?[table] ?? TableSettings()
  }

  /// Reads a configuration file; YAML and JSON are both accepted (JSON is read as YAML).
  /// - Parameter path: The file.
  /// - Returns: The configuration.
  /// - Throws: ``DoppelError`` `io` for an unreadable file, `invalidArgument` for one that does
  ///   not parse or has fields of the wrong type.
  public static func load(path: String) throws -> PipelineConfiguration {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DoppelError(
        .io, "cannot read the configuration file; check the path", context: .init(file: path))
    }
    return try decode(String(decoding: data, as: UTF8.self), file: path)
  }

  /// Parses configuration text (YAML or JSON).
  /// - Parameters:
  ///   - text: The text.
  ///   - file: The file name for error messages.
  /// - Returns: The configuration.
  /// - Throws: ``DoppelError`` `invalidArgument` when the text does not parse or a field has the
  ///   wrong type; the message names the field.
  public static func decode(_ text: String, file: String? = nil) throws -> PipelineConfiguration {
    if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      return PipelineConfiguration()
    }
    do {
      return try YAMLDecoder().decode(PipelineConfiguration.self, from: text)
    } catch let error as DecodingError {
      throw DoppelError(
        .invalidArgument,
        "the configuration does not match its format (\(describe(error))); see `doppel pipeline --help`",
        context: .init(file: file))
    } catch {
      throw DoppelError(
        .invalidArgument, "the configuration is not valid YAML or JSON; check its syntax",
        context: .init(file: file))
    }
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      context.codingPath.map(\.stringValue).joined(separator: ".")
    }
    switch error {
    case .typeMismatch(_, let context), .valueNotFound(_, let context),
      .dataCorrupted(let context):
      return "wrong value at '\(path(context))'"
    case .keyNotFound(let key, let context):
      return "missing '\(key.stringValue)' at '\(path(context))'"
    @unknown default:
      return "unexpected structure"
    }
  }
}
