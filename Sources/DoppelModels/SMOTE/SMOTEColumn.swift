import DoppelCore
import DoppelTransforms
import Foundation

/// One column of a SMOTE model: the training values SMOTE interpolates, or, for identifiers, text
/// and personal data, only what is needed to generate new values.
public struct SMOTEColumn: Sendable, Equatable, Codable {
  /// The column name.
  public var name: String
  /// Numerical and datetime columns: every training value (0 where missing).
  public var numbers: [Double]?
  /// Categorical and boolean columns: every training code, −1 where missing.
  public var codes: [Int32]?
  /// Categorical and boolean columns: the labels the codes index.
  public var labels: [String]?
  /// The training rows where a numerical value is missing, ascending.
  public var missingRows: [Int]?
  /// Identifiers, text and personal data: weighted character shapes; no value is stored.
  public var shapes: [TextShape.Weighted]?
  /// Identifiers, text and personal data: the share of missing values.
  public var missingProbability: Double?

  /// Encodes a training column.
  /// - Parameter column: The column.
  /// - Throws: ``DoppelError`` `invalidValue` for a number that is not finite.
  public init(column: Column) throws {
    name = column.name
    switch column.values {
    case .numbers(let values):
      var stored = values
      var missing: [Int] = []
      for row in values.indices {
        if column.missing[row] {
          stored[row] = 0
          missing.append(row)
        } else if !values[row].isFinite {
          throw DoppelError(
            .invalidValue, "a number is infinite or not a number; remove or fix it",
            context: .init(column: column.name))
        }
      }
      numbers = stored
      missingRows = missing
    case .categories(let codes, let labels):
      self.codes = codes.indices.map { row in
        column.missing[row] || codes[row] < 0 || Int(codes[row]) >= labels.count ? -1 : codes[row]
      }
      self.labels = labels
    case .strings(let values):
      var texts: [String] = []
      for row in values.indices where !column.missing[row] { texts.append(values[row]) }
      if case .id = column.kind {
        shapes = nil
      } else {
        shapes = TextShape.learnShapes(from: texts, limit: CopulaFitter.maximumShapes)
      }
      missingProbability =
        values.isEmpty ? 0 : Double(column.missing.missingCount) / Double(values.count)
    }
  }

  /// The number of training rows.
  var count: Int { numbers?.count ?? codes?.count ?? 0 }

  /// Missing flags of a numerical column, one per row.
  func missingFlags(rows: Int) -> [Bool] {
    var flags = [Bool](repeating: false, count: rows)
    for row in missingRows ?? [] where row < rows { flags[row] = true }
    return flags
  }

  func validate(rows: Int, kind: ColumnKind) throws {
    func fail(_ what: String) -> DoppelError {
      DoppelError(
        .corruptModel, "the model of this column is damaged (\(what))", context: .init(column: name)
      )
    }
    switch kind.storage {
    case .numbers:
      guard let numbers, numbers.count == rows, numbers.allSatisfy(\.isFinite),
        (missingRows ?? []).allSatisfy({ $0 >= 0 && $0 < rows })
      else { throw fail("numbers") }
    case .categories:
      guard let codes, let labels, codes.count == rows,
        codes.allSatisfy({ $0 >= -1 && Int($0) < labels.count })
      else { throw fail("categories") }
    case .strings:
      guard let probability = missingProbability, probability >= 0, probability <= 1,
        (shapes ?? []).allSatisfy({ $0.weight >= 0 && $0.weight.isFinite })
      else { throw fail("text") }
    }
  }
}
