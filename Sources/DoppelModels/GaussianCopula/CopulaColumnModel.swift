import DoppelCore
import DoppelTransforms
import Foundation

/// The part of a Gaussian copula model that describes one column.
///
/// Which fields are set depends on the column's kind: numbers have a ``marginal``; categories have
/// ``labels`` and ``probabilities``; identifiers, text and personal data have ``shapes``. Every
/// kind has a ``missingProbability``.
public struct CopulaColumnModel: Sendable, Equatable, Codable {
  /// The column name.
  public var name: String
  /// The share of missing values in training.
  public var missingProbability: Double
  /// The marginal of the non-missing values (numerical and datetime columns).
  public var marginal: Marginal?
  /// The copula dimension of the value, or `nil` when the value is constant or always missing.
  public var valueDimension: Int?
  /// The copula dimension of the missing indicator (numbers with some missing values).
  public var missingDimension: Int?
  /// For categorical columns: the labels, most frequent first; `nil` stands for missing.
  public var labels: [String?]?
  /// For categorical columns: the probability of each entry of ``labels``.
  public var probabilities: [Double]?
  /// The copula dimension of a categorical column with more than one entry.
  public var categoryDimension: Int?
  /// For text and personal data: weighted character shapes (`9` digit, `A`/`a` letter, others
  /// kept); no training value is stored.
  public var shapes: [TextShape.Weighted]?

  /// Creates an empty column model.
  /// - Parameters:
  ///   - name: The column name.
  ///   - missingProbability: The share of missing values.
  public init(name: String, missingProbability: Double) {
    self.name = name
    self.missingProbability = missingProbability
  }

  func validate() throws {
    func fail(_ what: String) -> DoppelError {
      DoppelError(
        .corruptModel, "the model of this column is damaged (\(what))", context: .init(column: name)
      )
    }
    guard missingProbability >= 0, missingProbability <= 1 else {
      throw fail("missing probability")
    }
    if let marginal {
      guard marginal.parameters.allSatisfy(\.isFinite), marginal.lower <= marginal.upper else {
        throw fail("marginal")
      }
      let needed: Int
      switch marginal.family {
      case .normal, .beta: needed = 2
      case .uniform: needed = 0
      case .gamma, .logNormal: needed = 3
      case .empirical: needed = 2
      }
      let ok =
        marginal.family == .empirical
        ? marginal.parameters.count >= needed : marginal.parameters.count == needed
      guard ok else { throw fail("marginal parameters") }
    }
    if let labels {
      guard let probabilities, probabilities.count == labels.count, !labels.isEmpty,
        probabilities.allSatisfy({ $0 >= 0 && $0.isFinite })
      else { throw fail("categories") }
    }
    if let shapes, !shapes.allSatisfy({ $0.weight >= 0 && $0.weight.isFinite }) {
      throw fail("shapes")
    }
  }
}
