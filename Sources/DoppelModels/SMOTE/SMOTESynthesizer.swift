import DoppelCore
import DoppelTransforms
import Foundation

/// SMOTE: new rows interpolated between a training row and one of its nearest neighbours of the
/// same class.
///
/// Chawla, Bowyer, Hall and Kegelmeyer, "SMOTE: synthetic minority over-sampling technique",
/// Journal of Artificial Intelligence Research 16, 2002, with their SMOTE-NC variant for nominal
/// features (Section 6.1). Fitting finds, within each class of the ``label`` column, each row's
/// ``k`` nearest neighbours. A synthetic row of class c takes a random row x of c and a random one
/// of its neighbours y, and:
/// - a number becomes x + u·(y − x) for one u ~ U(0, 1) shared by all numbers of the row, so the
///   row lies on the segment between x and y (as imbalanced-learn does; the paper's pseudo-code
///   draws u per attribute), then is rounded to the column's grid (whole numbers, fixed decimals,
///   datetime resolution);
/// - a category (and the missing state of a category) becomes the value most of x's k neighbours
///   have (SMOTE-NC; ties go to x's own value, then to the smallest code);
/// - a number missing in x stays missing; a number missing only in y keeps x's value;
/// - identifiers, text and personal data are generated as the Gaussian copula does (fresh ids,
///   fake values, random text of learned shapes), never copied.
///
/// Distances (SMOTE-NC): numbers are standardised by their standard deviation over the whole
/// table; each differing category, and each number present in one row but missing in the other,
/// adds Med², where Med is the median over numerical columns of their standard deviation within
/// the class (1 without numerical columns). The label column is not part of the distance.
///
/// Which classes are generated is set by ``target``. **The model stores real rows**: every
/// training row's values of every numerical and categorical column are in the model file, because
/// interpolation needs them at sampling time. Share a SMOTE model only where the training data may
/// be shared; this synthesizer gives no privacy protection.
public struct SMOTESynthesizer: Synthesizer, Equatable {
  /// The registry name.
  public static let kind = "smote"

  /// Which rows sampling produces.
  public enum Target: String, Sendable, Codable, CaseIterable {
    /// Rows of every class, in the training proportions: an unconditional synthetic table.
    case proportional
    /// Only the rows that would balance the classes: class c gets a share proportional to
    /// (largest class count − count of c), so the majority class gets none.
    case balanced
    /// Only rows of the smallest class (the first in label order on a tie).
    case minority
  }

  /// The categorical or boolean column whose classes are oversampled; when `nil`, the metadata's
  /// label is used.
  public var label: String?
  /// The number of nearest neighbours of the same class, 1 to 100; default 5, the paper's choice.
  public var k: Int
  /// Which rows sampling produces; default ``Target/proportional``.
  public var target: Target

  /// Creates the synthesizer.
  /// - Parameters:
  ///   - label: The class column, or `nil` for the metadata's label.
  ///   - k: The number of neighbours, 1 to 100.
  ///   - target: Which rows sampling produces.
  /// - Throws: ``DoppelError`` `invalidArgument` for a value out of range.
  public init(label: String? = nil, k: Int = 5, target: Target = .proportional) throws {
    self.label = label
    self.k = k
    self.target = target
    try validate()
  }

  private enum CodingKeys: String, CodingKey {
    case label, k, target
  }

  /// Decodes hyper-parameters, using defaults for absent keys.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error for a wrong type, or ``DoppelError`` `invalidArgument` for a value
  ///   out of range.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    label = try c.decodeIfPresent(String.self, forKey: .label)
    k = try c.decodeIfPresent(Int.self, forKey: .k) ?? 5
    target = try c.decodeIfPresent(Target.self, forKey: .target) ?? .proportional
    try validate()
  }

  /// Encodes hyper-parameters; an absent label is written as an empty string so the key is known.
  /// - Parameter encoder: The encoder.
  /// - Throws: An encoding error.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(label ?? "", forKey: .label)
    try c.encode(k, forKey: .k)
    try c.encode(target, forKey: .target)
  }

  private mutating func validate() throws {
    if label == "" { label = nil }
    var problems: [String] = []
    if !(1...100).contains(k) { problems.append("k must be 1 to 100") }
    if !problems.isEmpty {
      throw DoppelError(
        .invalidArgument, "invalid \(Self.kind) option: \(problems.joined(separator: "; "))")
    }
  }

  /// Finds each row's nearest neighbours within its class.
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds; they must match the table's columns.
  ///   - seed: Unused: fitting is deterministic.
  ///   - progress: Receives one update per stage.
  /// - Returns: The fitted model, which holds the training rows.
  /// - Throws: ``DoppelError`` `invalidArgument` when no label is given, `unknownColumn` when the
  ///   label is not a column, `schemaMismatch` when it is not categorical or boolean or when table
  ///   and metadata disagree, `noRows` for an empty table, `invalidValue` for a number that is
  ///   not finite.
  /// - Complexity: O(Σ_c n_c² · d) for classes of n_c rows and d columns, spread over all cores.
  public func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?
  ) async throws -> SMOTEModel {
    try ModelInput.check(table, against: metadata)
    guard let labelName = label ?? metadata.label else {
      throw DoppelError(
        .invalidArgument,
        "smote needs the class column: add --option label=COLUMN (or declare a label in the metadata)"
      )
    }
    guard let labelIndex = table.index(of: labelName) else {
      throw DoppelError(
        .unknownColumn,
        "the smote label column is not in the table; check --option label=COLUMN",
        context: .init(column: labelName))
    }
    guard table.columns[labelIndex].kind.storage == .categories else {
      throw DoppelError(
        .schemaMismatch,
        "the smote label column must be categorical or boolean, not \(table.columns[labelIndex].kind.name)",
        context: .init(column: labelName))
    }
    guard table.rowCount > 0 else {
      throw DoppelError(.noRows, "the training table has no rows; give at least one row")
    }
    progress?.report("encoding rows", 0, of: 2)
    let columns = try table.columns.map(SMOTEColumn.init(column:))
    progress?.report("finding neighbours", 1, of: 2)
    let classes = SMOTENeighbours(columns: columns, label: labelIndex, k: k).classes()
    progress?.report("done", 2, of: 2)
    var fitted = self
    fitted.label = labelName
    return SMOTEModel(
      synthesizer: fitted, metadata: metadata, trainingRowCount: table.rowCount,
      labelColumn: labelIndex, columns: columns, classes: classes)
  }
}
