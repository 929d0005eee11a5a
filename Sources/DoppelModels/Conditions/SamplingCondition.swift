import DoppelCore
import Foundation

/// A condition that every sampled row must meet, as written on the command line: `column=value`,
/// or for numerical and datetime columns also `column<value`, `column<=value`, `column>value`
/// and `column>=value`.
///
/// Conditions are resolved against a model's metadata with ``resolve(in:)``, which checks the
/// column and parses the value in that column's format.
public struct SamplingCondition: Sendable, Equatable, Hashable, Codable {
  /// How the column's value compares with ``value``.
  public enum Relation: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// Equal to the value.
    case equal = "="
    /// Less than the value.
    case less = "<"
    /// Less than or equal to the value.
    case lessOrEqual = "<="
    /// Greater than the value.
    case greater = ">"
    /// Greater than or equal to the value.
    case greaterOrEqual = ">="
  }

  /// The column name.
  public var column: String
  /// The comparison.
  public var relation: Relation
  /// The value as text, in the column's own format (a category label, a number, a datetime).
  public var value: String

  /// Creates a condition.
  /// - Parameters:
  ///   - column: The column name.
  ///   - relation: The comparison.
  ///   - value: The value as text.
  public init(column: String, relation: Relation = .equal, value: String) {
    self.column = column
    self.relation = relation
    self.value = value
  }

  /// Parses `column=value` (or `<`, `<=`, `>`, `>=`); the first operator splits name and value.
  /// - Parameter text: The condition text.
  /// - Throws: ``DoppelError`` `invalidArgument` when there is no operator or no column name.
  public init(parsing text: String) throws {
    let characters = Array(text)
    guard let position = characters.firstIndex(where: { "=<>".contains($0) }) else {
      throw DoppelError(
        .invalidArgument,
        "a condition needs the form column=value (or <, <=, >, >= for numbers); got no operator")
    }
    var relation: Relation
    var valueStart = position + 1
    switch characters[position] {
    case "<": relation = .less
    case ">": relation = .greater
    default: relation = .equal
    }
    if relation != .equal, valueStart < characters.count, characters[valueStart] == "=" {
      relation = relation == .less ? .lessOrEqual : .greaterOrEqual
      valueStart += 1
    }
    let column = String(characters[..<position]).trimmingCharacters(in: .whitespaces)
    guard !column.isEmpty else {
      throw DoppelError(.invalidArgument, "a condition has no column name before its operator")
    }
    self.column = column
    self.relation = relation
    self.value = String(characters[valueStart...])
  }

  /// The condition as it would be written on the command line.
  public var text: String { "\(column)\(relation.rawValue)\(value)" }

  /// Checks the column and parses the value against a model's metadata.
  /// - Parameter metadata: The model's columns.
  /// - Returns: The resolved condition.
  /// - Throws: ``DoppelError`` `unknownColumn` for a column the model does not have,
  ///   `invalidArgument` for a column kind that cannot be conditioned on or a comparison that does
  ///   not fit it, and `invalidValue` for a value that cannot be read in the column's format.
  public func resolve(in metadata: TableMetadata) throws -> ResolvedCondition {
    guard let index = metadata.columns.firstIndex(where: { $0.name == column }) else {
      throw DoppelError(
        .unknownColumn,
        "the condition names a column the model does not have; columns: \(metadata.columnNames.joined(separator: ", "))",
        context: .init(column: column))
    }
    let kind = metadata.columns[index].kind
    switch kind {
    case .categorical, .boolean:
      guard relation == .equal else {
        throw DoppelError(
          .invalidArgument,
          "a \(kind.name) column can only be conditioned with =, not \(relation.rawValue)",
          context: .init(column: column))
      }
      return ResolvedCondition(column: index, name: column, test: .label(value))
    case .numerical, .datetime:
      let number: Double?
      if case .datetime(let format) = kind {
        number = format.parse(value) ?? Double(value.trimmingCharacters(in: .whitespaces))
      } else {
        number = Double(value.trimmingCharacters(in: .whitespaces))
      }
      guard let number, number.isFinite else {
        throw DoppelError(
          .invalidValue,
          "the condition's value cannot be read as a \(kind.name) value of this column",
          context: .init(column: column))
      }
      let test: ResolvedCondition.Test
      switch relation {
      case .equal: test = .number(number)
      case .less:
        test = .range(lower: -.infinity, upper: number, includesLower: true, includesUpper: false)
      case .lessOrEqual:
        test = .range(lower: -.infinity, upper: number, includesLower: true, includesUpper: true)
      case .greater:
        test = .range(lower: number, upper: .infinity, includesLower: false, includesUpper: true)
      case .greaterOrEqual:
        test = .range(lower: number, upper: .infinity, includesLower: true, includesUpper: true)
      }
      return ResolvedCondition(column: index, name: column, test: test)
    case .id, .text, .pii:
      throw DoppelError(
        .invalidArgument,
        "\(kind.name) columns are generated afresh and cannot be conditioned on; condition on a categorical, boolean, numerical or datetime column",
        context: .init(column: column))
    }
  }
}

/// A condition checked against a model's columns: which column, and the test a value must pass.
public struct ResolvedCondition: Sendable, Equatable {
  /// What a value must be.
  public enum Test: Sendable, Equatable {
    /// A categorical or boolean value with this label.
    case label(String)
    /// A number (or datetime in seconds) equal to this one.
    case number(Double)
    /// A number within these bounds.
    case range(lower: Double, upper: Double, includesLower: Bool, includesUpper: Bool)
  }

  /// The column's index in the model's metadata.
  public let column: Int
  /// The column's name.
  public let name: String
  /// The test.
  public let test: Test

  /// Creates a resolved condition.
  /// - Parameters:
  ///   - column: The column index.
  ///   - name: The column name.
  ///   - test: The test.
  public init(column: Int, name: String, test: Test) {
    self.column = column
    self.name = name
    self.test = test
  }

  /// Whether a number passes a numeric test (equality allows a relative error of 1e-9).
  /// - Parameter x: A number.
  /// - Returns: `true` if it passes; label tests never pass numbers.
  public func accepts(_ x: Double) -> Bool {
    switch test {
    case .label: return false
    case .number(let target): return abs(x - target) <= 1e-9 * max(1, abs(target))
    case .range(let lower, let upper, let includesLower, let includesUpper):
      let aboveLower = includesLower ? x >= lower : x > lower
      let belowUpper = includesUpper ? x <= upper : x < upper
      return aboveLower && belowUpper
    }
  }

  /// Marks which rows of a column pass the test; missing values never pass.
  /// - Parameter column: The column of a sampled table at ``column``.
  /// - Returns: One flag per row.
  public func matches(_ column: Column) -> [Bool] {
    var result = [Bool](repeating: false, count: column.count)
    switch (test, column.values) {
    case (.label(let label), .categories(let codes, let categories)):
      guard let code = Self.code(of: label, in: categories) else { return result }
      for row in 0..<codes.count where codes[row] == code && !column.missing[row] {
        result[row] = true
      }
    case (.number, .numbers(let values)), (.range, .numbers(let values)):
      for row in 0..<values.count where !column.missing[row] && accepts(values[row]) {
        result[row] = true
      }
    default:
      break
    }
    return result
  }

  /// The code of `label` among `categories`: an exact match, else the only case-insensitive one.
  /// - Parameters:
  ///   - label: The wanted label.
  ///   - categories: A column's labels.
  /// - Returns: The code, or `nil`.
  public static func code(of label: String, in categories: [String]) -> Int32? {
    if let exact = categories.firstIndex(of: label) { return Int32(exact) }
    let lowered = label.lowercased()
    let loose = categories.indices.filter { categories[$0].lowercased() == lowered }
    return loose.count == 1 ? Int32(loose[0]) : nil
  }
}
