import DoppelCore
import Foundation

/// A fitted MST model: the discretization, the tree-shaped network estimated from noisy
/// marginals, and the privacy ledger.
///
/// The network has at most one parent per attribute (the tree MST selected); each conditional
/// table comes from the consistent marginals of ``TreeEstimation``. Everything in the model was
/// either treated as public (see ``MSTSynthesizer/publicInformation``) or derived from the
/// mechanisms recorded in ``accounting``, so the file itself can be shared under the stated
/// (ε, δ) guarantee.
public struct MSTModel: DifferentiallyPrivateModel, Equatable {
  /// The registry name.
  public static let kind = MSTSynthesizer.kind

  /// The hyper-parameters it was fitted with, including ε and δ.
  public let synthesizer: MSTSynthesizer
  /// The training metadata without profiled statistics.
  public let metadata: TableMetadata
  /// The number of training rows (public under replace-one neighbours).
  public let trainingRowCount: Int
  /// One attribute description per column, in table order.
  public let columns: [DiscreteColumn]
  /// The tree-shaped network estimated from the noisy marginals.
  public let network: BayesianNetwork
  /// What was spent on what.
  public let accounting: PrivacyAccounting

  private let sampler: NetworkSampler

  /// Creates a model from its parts.
  /// - Parameters:
  ///   - synthesizer: The hyper-parameters.
  ///   - metadata: The training metadata.
  ///   - trainingRowCount: The number of training rows.
  ///   - columns: One attribute description per column.
  ///   - network: The network; its node attributes index `columns`.
  ///   - accounting: The privacy ledger.
  public init(
    synthesizer: MSTSynthesizer, metadata: TableMetadata, trainingRowCount: Int,
    columns: [DiscreteColumn], network: BayesianNetwork, accounting: PrivacyAccounting
  ) {
    self.synthesizer = synthesizer
    self.metadata = metadata
    self.trainingRowCount = trainingRowCount
    self.columns = columns
    self.network = network
    self.accounting = accounting
    self.sampler = NetworkSampler(network: network, columns: columns, label: "mst")
  }

  private enum CodingKeys: String, CodingKey {
    case synthesizer, metadata, trainingRowCount, columns, network, accounting
  }

  /// Decodes a model and checks that its parts fit together.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `corruptModel` when parts disagree.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let synthesizer = try c.decode(MSTSynthesizer.self, forKey: .synthesizer)
    let metadata = try c.decode(TableMetadata.self, forKey: .metadata)
    let rows = try c.decode(Int.self, forKey: .trainingRowCount)
    let columns = try c.decode([DiscreteColumn].self, forKey: .columns)
    let network = try c.decode(BayesianNetwork.self, forKey: .network)
    let accounting = try c.decode(PrivacyAccounting.self, forKey: .accounting)
    try NetworkSampler.validate(metadata: metadata, columns: columns, network: network)
    guard network.degree <= 1,
      accounting.totalEpsilon <= accounting.requestedEpsilon * (1 + 1e-6)
    else {
      throw DoppelError(
        .corruptModel, "the model's ledger spends more than the requested ε; fit again")
    }
    self.init(
      synthesizer: synthesizer, metadata: metadata, trainingRowCount: rows, columns: columns,
      network: network, accounting: accounting)
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
    try c.encode(accounting, forKey: .accounting)
  }

  /// Models are equal when their saved contents are equal.
  public static func == (lhs: MSTModel, rhs: MSTModel) -> Bool {
    lhs.synthesizer == rhs.synthesizer && lhs.metadata == rhs.metadata
      && lhs.trainingRowCount == rhs.trainingRowCount && lhs.columns == rhs.columns
      && lhs.network == rhs.network && lhs.accounting == rhs.accounting
  }

  /// Generates the rows at positions `range` of the sample for `seed`; this is post-processing
  /// and spends no privacy budget.
  ///
  /// Rows come in blocks of ``blockSize``; block `b` draws from the stream (`seed`, "mst",
  /// `b`), so any range reproduces the same rows.
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
