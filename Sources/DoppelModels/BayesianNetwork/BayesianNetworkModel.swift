import DoppelCore
import Foundation

/// A fitted Bayesian network: how each column was discretized, and the network over the
/// resulting attributes.
public struct BayesianNetworkModel: FittedModel, Equatable {
  /// The registry name.
  public static let kind = BayesianNetworkSynthesizer.kind

  /// The hyper-parameters it was fitted with.
  public let synthesizer: BayesianNetworkSynthesizer
  /// The training table's metadata.
  public let metadata: TableMetadata
  /// The number of training rows.
  public let trainingRowCount: Int
  /// One attribute description per column, in table order.
  public let columns: [DiscreteColumn]
  /// The network over the columns' attributes.
  public let network: BayesianNetwork

  private let sampler: NetworkSampler

  /// Creates a model from its parts.
  /// - Parameters:
  ///   - synthesizer: The hyper-parameters.
  ///   - metadata: The training metadata.
  ///   - trainingRowCount: The number of training rows.
  ///   - columns: One attribute description per column.
  ///   - network: The network; its node attributes index `columns`.
  public init(
    synthesizer: BayesianNetworkSynthesizer, metadata: TableMetadata, trainingRowCount: Int,
    columns: [DiscreteColumn], network: BayesianNetwork
  ) {
    self.synthesizer = synthesizer
    self.metadata = metadata
    self.trainingRowCount = trainingRowCount
    self.columns = columns
    self.network = network
    self.sampler = NetworkSampler(network: network, columns: columns, label: "bayesian network")
  }

  private enum CodingKeys: String, CodingKey {
    case synthesizer, metadata, trainingRowCount, columns, network
  }

  /// Decodes a model and checks that its parts fit together.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `corruptModel` when parts disagree.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let synthesizer = try c.decode(BayesianNetworkSynthesizer.self, forKey: .synthesizer)
    let metadata = try c.decode(TableMetadata.self, forKey: .metadata)
    let rows = try c.decode(Int.self, forKey: .trainingRowCount)
    let columns = try c.decode([DiscreteColumn].self, forKey: .columns)
    let network = try c.decode(BayesianNetwork.self, forKey: .network)
    try NetworkSampler.validate(metadata: metadata, columns: columns, network: network)
    self.init(
      synthesizer: synthesizer, metadata: metadata, trainingRowCount: rows, columns: columns,
      network: network)
  }

  /// Encodes the model.
  /// - Parameter encoder: The encoder.
  /// - Throws: An encoding error.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(synthesizer, forKey: .synthesizer)
    try c.encode(metadata, forKey: .metadata)
    try c.encode(trainingRowCount, forKey: .trainingRowCount)
    try c.encode(columns, forKey: .columns)
    try c.encode(network, forKey: .network)
  }

  /// Models are equal when their saved contents are equal.
  public static func == (lhs: BayesianNetworkModel, rhs: BayesianNetworkModel) -> Bool {
    lhs.synthesizer == rhs.synthesizer && lhs.metadata == rhs.metadata
      && lhs.trainingRowCount == rhs.trainingRowCount && lhs.columns == rhs.columns
      && lhs.network == rhs.network
  }

  /// Generates the rows at positions `range` of the sample for `seed`.
  ///
  /// Rows come in blocks of ``blockSize``; block `b` draws from the stream (`seed`, "bayesian
  /// network", `b`), so any range reproduces the same rows.
  /// - Parameters:
  ///   - range: Row positions.
  ///   - seed: The sampling seed.
  /// - Returns: The sampled table.
  /// - Throws: ``DoppelError`` if a column cannot be built.
  /// - Complexity: O(rows · d · log r) for d columns of at most r values.
  public func sample(range: Range<Int>, seed: UInt64) throws -> Table {
    try sampler.sample(range: range, seed: seed, metadata: metadata)
  }

  /// The number of rows that share one random stream.
  public static let blockSize = NetworkSampler.blockSize
}

extension BayesianNetworkModel: ConditionalSampling {
  /// The labels of a categorical or boolean column.
  /// - Parameter column: The column index.
  /// - Returns: The labels, or `nil` for other columns.
  public func conditionLabels(ofColumn column: Int) -> [String]? {
    guard columns.indices.contains(column) else { return nil }
    return columns[column].labels
  }

  /// Throws when no value of a conditioned column is allowed, or the network gives the allowed
  /// values no probability.
  /// - Parameter conditions: Resolved conditions.
  /// - Throws: ``DoppelError`` `impossibleCondition`.
  public func checkConditions(_ conditions: [ResolvedCondition]) throws {
    _ = try NetworkConstraints(conditions: conditions, sampler: sampler)
  }

  /// Proposes rows drawn from the network given the conditions (likelihood weighting with
  /// rejection, see ``NetworkConstraints``); the kept rows are exact conditional draws.
  /// - Parameters:
  ///   - range: Proposal positions.
  ///   - seed: The sampling seed.
  ///   - conditions: Resolved conditions.
  /// - Returns: The kept rows.
  /// - Throws: ``DoppelError`` `impossibleCondition` or when a column cannot be built.
  public func proposeRows(
    range: Range<Int>, seed: UInt64, given conditions: [ResolvedCondition]
  ) throws -> Table {
    try sampler.sample(
      range: range, seed: seed, metadata: metadata,
      constraints: NetworkConstraints(conditions: conditions, sampler: sampler))
  }
}
