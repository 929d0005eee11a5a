import DoppelCore
import DoppelTransforms

/// The part of a CART model that describes one column.
public struct CARTColumnModel: Sendable, Equatable, Codable {
  /// How a column's sampled values are made.
  public enum Role: String, Sendable, Codable {
    /// Drawn from the leaves of the column's tree.
    case synthesized
    /// Generated without reading training values (identifiers, personal data, free text).
    case generated
    /// Copied from the real rows (partial synthesis).
    case kept
  }

  /// Kernel smoothing of drawn numbers.
  public struct Smoothing: Sendable, Equatable, Codable {
    /// The standard deviation of the Gaussian noise.
    public var bandwidth: Double
    /// The smallest training value; smoothed numbers stay at or above it.
    public var lower: Double
    /// The largest training value; smoothed numbers stay at or below it.
    public var upper: Double
    /// Values that are drawn without noise: a value held by more than 70% of the rows and the
    /// largest value (synthpop's top-coding guard).
    public var unsmoothed: [Double]
  }

  /// The column name.
  public var name: String
  /// How sampled values are made.
  public var role: Role
  /// The share of missing values in training.
  public var missingProbability: Double
  /// For categorical and boolean columns: the training labels; class `labels.count` is missing.
  public var labels: [String]?
  /// For numbers with some missing values: the tree of "is missing" (class 1) on earlier columns.
  public var missingTree: SynthesisTree?
  /// The tree of the value: regression for numbers (on rows where present), classification for
  /// categories.
  public var valueTree: SynthesisTree?
  /// For numbers: how drawn values are smoothed, if at all.
  public var smoothing: Smoothing?
  /// For text and personal data: weighted character shapes; no training value is stored.
  public var shapes: [TextShape.Weighted]?

  /// Creates a column model.
  /// - Parameters:
  ///   - name: The column name.
  ///   - role: How sampled values are made.
  ///   - missingProbability: The share of missing values in training.
  public init(name: String, role: Role, missingProbability: Double) {
    self.name = name
    self.role = role
    self.missingProbability = missingProbability
  }

  func validate(kind: ColumnKind, columnCount: Int) throws {
    func fail(_ what: String) -> DoppelError {
      DoppelError(
        .corruptModel, "the model of this column is damaged (\(what)); fit the model again",
        context: .init(column: name))
    }
    guard missingProbability >= 0, missingProbability <= 1 else { throw fail("missing share") }
    try missingTree?.validate(columnCount: columnCount, column: name)
    try valueTree?.validate(columnCount: columnCount, column: name)
    if role == .synthesized {
      switch kind.storage {
      case .categories:
        guard let labels, let tree = valueTree else { throw fail("categories") }
        for leaf in tree.leaves where (leaf.classes ?? []).contains(where: { $0 > labels.count }) {
          throw fail("class out of range")
        }
      case .numbers:
        if let tree = valueTree, tree.leaves.contains(where: { $0.values == nil }) {
          throw fail("numeric leaves")
        }
      case .strings:
        throw fail("a text column cannot have a tree")
      }
    }
    if let smoothing {
      guard smoothing.bandwidth >= 0, smoothing.bandwidth.isFinite,
        smoothing.lower <= smoothing.upper
      else { throw fail("smoothing") }
    }
  }
}
