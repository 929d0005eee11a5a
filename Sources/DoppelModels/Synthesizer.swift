import DoppelCore

/// A method that learns a table's distribution; the value itself holds the hyper-parameters.
///
/// Fitting returns a separate ``FittedModel`` type, so an unfitted synthesizer cannot sample.
/// Hyper-parameters are `Codable`: the command line sets them as `--option key=value` and the
/// model file records them. Decoding must give every hyper-parameter a default, so `{}` decodes
/// to the defaults.
public protocol Synthesizer: Codable, Sendable {
  /// The fitted model type this synthesizer produces.
  associatedtype Model: FittedModel
  /// The registry name, such as `"gaussian-copula"`.
  static var kind: String { get }
  /// Learns the table's distribution.
  /// - Parameters:
  ///   - table: The training table; its columns match `metadata`.
  ///   - metadata: The columns' kinds.
  ///   - seed: The seed of every random choice made while fitting.
  ///   - progress: Receives progress updates, if given.
  /// - Returns: The fitted model.
  /// - Throws: ``DoppelError`` when the table cannot be fitted.
  func fit(_ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?)
    async throws -> Model
}

/// A fitted model: the only thing that can sample.
///
/// Rows are generated independently in fixed blocks of rows, each block from its own random stream
/// derived from the seed, so row `i` is the same whichever range it is sampled in. That makes
/// ``sample(range:seed:)`` with disjoint ranges (shards) add up to one large sample.
public protocol FittedModel: Codable, Sendable {
  /// The registry name of the synthesizer that made this model.
  static var kind: String { get }
  /// The training table's metadata; sampled tables have these columns in this order.
  var metadata: TableMetadata { get }
  /// The number of rows the model was trained on.
  var trainingRowCount: Int { get }
  /// Generates the rows whose positions are in `range` of the infinite sample for `seed`.
  /// - Parameters:
  ///   - range: Row positions, starting at 0.
  ///   - seed: The sampling seed.
  /// - Returns: A table with `range.count` rows.
  /// - Throws: ``DoppelError`` when sampling fails.
  func sample(range: Range<Int>, seed: UInt64) throws -> Table
}

extension FittedModel {
  /// Generates `rows` rows; the same model, rows and seed give the same table.
  /// - Parameters:
  ///   - rows: The number of rows, at least 0.
  ///   - seed: The sampling seed.
  /// - Returns: A table of `rows` rows.
  /// - Throws: ``DoppelError`` when sampling fails.
  public func sample(rows: Int, seed: UInt64) throws -> Table {
    try sample(range: 0..<max(rows, 0), seed: seed)
  }
}
