import DoppelCore
import DoppelTransforms
import Foundation

/// A fitted Gaussian copula: per-column models and the correlation of their normal scores.
public struct GaussianCopulaModel: FittedModel, Equatable {
  /// The registry name.
  public static let kind = GaussianCopulaSynthesizer.kind

  /// The hyper-parameters it was fitted with.
  public let synthesizer: GaussianCopulaSynthesizer
  /// The training table's metadata.
  public let metadata: TableMetadata
  /// The number of training rows.
  public let trainingRowCount: Int
  /// One model per column, in table order.
  public let columns: [CopulaColumnModel]
  /// The correlation of the normal scores of all copula dimensions.
  public let correlation: CorrelationMatrix

  private let prepared: PreparedCopula

  /// Creates a model from its parts.
  /// - Parameters:
  ///   - synthesizer: The hyper-parameters.
  ///   - metadata: The training metadata.
  ///   - trainingRowCount: The number of training rows.
  ///   - columns: One model per column.
  ///   - correlation: The normal-scores correlation.
  public init(
    synthesizer: GaussianCopulaSynthesizer, metadata: TableMetadata, trainingRowCount: Int,
    columns: [CopulaColumnModel], correlation: CorrelationMatrix
  ) {
    self.synthesizer = synthesizer
    self.metadata = metadata
    self.trainingRowCount = trainingRowCount
    self.columns = columns
    self.correlation = correlation
    self.prepared = PreparedCopula(
      columns: columns, correlation: correlation,
      allowExtrapolation: synthesizer.allowExtrapolation)
  }

  private enum CodingKeys: String, CodingKey {
    case synthesizer, metadata, trainingRowCount, columns, correlation
  }

  /// Decodes a model and checks that its parts fit together.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error, or ``DoppelError`` `corruptModel` when parts disagree.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let synthesizer = try c.decode(GaussianCopulaSynthesizer.self, forKey: .synthesizer)
    let metadata = try c.decode(TableMetadata.self, forKey: .metadata)
    let rows = try c.decode(Int.self, forKey: .trainingRowCount)
    let columns = try c.decode([CopulaColumnModel].self, forKey: .columns)
    let correlation = try c.decode(CorrelationMatrix.self, forKey: .correlation)
    try GaussianCopulaModel.validate(metadata: metadata, columns: columns, correlation: correlation)
    self.init(
      synthesizer: synthesizer, metadata: metadata, trainingRowCount: rows, columns: columns,
      correlation: correlation)
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
    try c.encode(correlation, forKey: .correlation)
  }

  /// Models are equal when their saved contents are equal.
  public static func == (lhs: GaussianCopulaModel, rhs: GaussianCopulaModel) -> Bool {
    lhs.synthesizer == rhs.synthesizer && lhs.metadata == rhs.metadata
      && lhs.trainingRowCount == rhs.trainingRowCount && lhs.columns == rhs.columns
      && lhs.correlation == rhs.correlation
  }

  private static func validate(
    metadata: TableMetadata, columns: [CopulaColumnModel], correlation: CorrelationMatrix
  ) throws {
    let d = correlation.dimension
    guard correlation.values.count == d * d, correlation.values.allSatisfy(\.isFinite) else {
      throw DoppelError(.corruptModel, "the correlation matrix in the model file is damaged")
    }
    guard columns.count == metadata.columns.count,
      zip(columns, metadata.columns).allSatisfy({ $0.name == $1.name })
    else {
      throw DoppelError(.corruptModel, "the model's columns do not match its metadata")
    }
    for column in columns {
      let dims = [column.valueDimension, column.missingDimension, column.categoryDimension]
      if dims.contains(where: { ($0 ?? 0) < 0 || ($0 ?? 0) >= max(d, 1) && $0 != nil }) {
        throw DoppelError(
          .corruptModel, "a column refers to a dimension outside the correlation matrix",
          context: .init(column: column.name))
      }
      try column.validate()
    }
  }

  /// Generates the rows at positions `range` of the sample for `seed`.
  ///
  /// Rows come in blocks of ``blockSize``; block `b` draws its normals from the stream
  /// (`seed`, "copula", `b`), so any range reproduces the same rows.
  /// - Parameters:
  ///   - range: Row positions.
  ///   - seed: The sampling seed.
  /// - Returns: The sampled table.
  /// - Throws: ``DoppelError`` if a column cannot be built.
  public func sample(range: Range<Int>, seed: UInt64) throws -> Table {
    try prepared.sample(range: range, seed: seed, metadata: metadata, columns: columns)
  }

  /// The number of rows that share one random stream.
  public static let blockSize = PreparedCopula.blockSize
}
