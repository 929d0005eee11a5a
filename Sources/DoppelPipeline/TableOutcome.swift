import Foundation

/// What became of one table in a pipeline run; saved as `status.json` in the table's report
/// folder, which is how a re-run knows the table is finished.
public struct TableOutcome: Sendable, Codable, Equatable {
  /// Where a table's run ended.
  public enum State: String, Sendable, Codable {
    /// Synthesized, written and evaluated in this run.
    case done
    /// Finished by an earlier run and left as it was.
    case reused
    /// Left out by the configuration.
    case skipped
    /// Failed; ``TableOutcome/error`` says why.
    case failed
  }

  /// The format of `status.json`.
  public static let formatVersion = 1

  /// The file format version.
  public var formatVersion: Int = TableOutcome.formatVersion
  /// The table's name.
  public var table: String
  /// Where its run ended.
  public var state: State
  /// The synthesizer chosen and why.
  public var choice: SynthesizerChoice?
  /// Rows and columns of the real table.
  public var realRows: Int?
  /// Columns of the real table.
  public var columns: Int?
  /// Rows trained on.
  public var trainingRows: Int?
  /// Synthetic rows written.
  public var syntheticRows: Int?
  /// The label of the utility model, if any.
  public var label: String?
  /// The overall quality score in [0, 1].
  public var quality: Double?
  /// The utility model's score trained on synthetic rows (macro F1 or R²).
  public var utilitySynthetic: Double?
  /// The utility model's score trained on real rows (macro F1 or R²).
  public var utilityReal: Double?
  /// The error's message, for a failed table; never holds data values.
  public var error: String?
  /// Seconds the table took.
  public var seconds: Double?

  /// Creates an outcome.
  /// - Parameters:
  ///   - table: The table's name.
  ///   - state: Where its run ended.
  public init(table: String, state: State) {
    self.table = table
    self.state = state
  }
}

/// Everything a pipeline run did.
public struct PipelineResult: Sendable, Equatable {
  /// One outcome per table, sorted by table name.
  public var tables: [TableOutcome]
  /// The index page.
  public var indexPath: String

  /// Creates a result.
  /// - Parameters:
  ///   - tables: The outcomes.
  ///   - indexPath: The index page.
  public init(tables: [TableOutcome], indexPath: String) {
    self.tables = tables
    self.indexPath = indexPath
  }

  /// The tables that failed.
  public var failures: [TableOutcome] { tables.filter { $0.state == .failed } }
}
