import DoppelCore
import Foundation

/// A regression model `y ~ x1 + x2 + …` that is fitted to a real table and to synthetic tables.
///
/// Numeric and date predictors enter as they are; categorical and boolean predictors are
/// dummy-coded against their first level in sorted order (R's treatment contrasts), with the
/// levels taken from the real table. Rows with a missing value in any used column are dropped,
/// and so are synthetic rows whose category level the real rows never show.
public struct RegressionModel: Sendable, Equatable {
  /// The kind of regression.
  public enum Family: String, Sendable, Codable, CaseIterable {
    /// Ordinary least squares.
    case linear
    /// Logistic regression (binary outcome) by Newton's method.
    case logistic
  }

  /// The outcome column.
  public let outcome: String
  /// The predictor columns, in formula order.
  public let predictors: [String]
  /// The kind of regression.
  public let family: Family

  /// Parses `y ~ x1 + x2 + x3` (`y ~ 1` for an intercept only).
  /// - Parameters:
  ///   - formula: The formula text.
  ///   - family: The kind of regression.
  /// - Throws: ``DoppelError`` `invalidArgument` for a malformed formula.
  public init(formula: String, family: Family) throws {
    let sides = formula.split(separator: "~", omittingEmptySubsequences: false)
    guard sides.count == 2 else {
      throw DoppelError(
        .invalidArgument, "a formula is written y ~ x1 + x2, with exactly one ~")
    }
    let outcome = sides[0].trimmingCharacters(in: .whitespaces)
    let terms = sides[1].split(separator: "+", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard !outcome.isEmpty, !terms.contains(where: \.isEmpty) else {
      throw DoppelError(
        .invalidArgument, "a formula is written y ~ x1 + x2; a name is empty")
    }
    let predictors = terms.filter { $0 != "1" }
    guard Set(predictors).count == predictors.count, !predictors.contains(outcome) else {
      throw DoppelError(
        .invalidArgument, "a formula names a column twice or uses the outcome as a predictor")
    }
    self.outcome = outcome
    self.predictors = predictors
    self.family = family
  }

  /// The family suited to an outcome: logistic for a two-level category or a 0/1 number,
  /// linear otherwise.
  /// - Parameter column: The outcome column.
  /// - Returns: The family.
  public static func family(for column: Column) -> Family {
    switch column.values {
    case .categories: return .logistic
    case .numbers(let values):
      for row in 0..<column.count where !column.missing[row] {
        if values[row] != 0 && values[row] != 1 { return .linear }
      }
      return .logistic
    case .strings: return .linear
    }
  }

  /// How the real table turns into columns of the design matrix.
  public struct Design: Sendable, Equatable {
    /// The coefficient names: `(Intercept)`, numeric columns by name, dummies as `columnlevel`.
    public var names: [String]
    /// For each predictor: the levels of a categorical predictor (first is the reference), or
    /// `nil` for a numeric one.
    public var levels: [[String]?]
    /// For a logistic outcome that is categorical: the level coded 1.
    public var event: String?
    /// For a logistic outcome that is categorical: the level coded 0.
    public var reference: String?
  }

  /// Works out the design from the real table.
  /// - Parameter real: The real table.
  /// - Returns: The design.
  /// - Throws: ``DoppelError`` `unknownColumn` for a missing column, `invalidArgument` for text
  ///   columns or an outcome that does not fit the family.
  public func design(for real: Table) throws -> Design {
    let used = try usedRows(real)
    var names = ["(Intercept)"]
    var levels: [[String]?] = []
    for name in predictors {
      let column = try self.column(real, name)
      switch column.values {
      case .numbers:
        names.append(name)
        levels.append(nil)
      case .categories(let codes, let labels):
        let seen = Set(used.map { Int(codes[$0]) }).compactMap {
          $0 >= 0 && $0 < labels.count ? labels[$0] : nil
        }
        let sorted = seen.sorted()
        names += sorted.dropFirst().map { name + $0 }
        levels.append(sorted)
      case .strings:
        throw DoppelError(
          .invalidArgument, "a text or identifier column cannot be a predictor",
          context: .init(column: name))
      }
    }
    var event: String?
    var reference: String?
    let outcomeColumn = try column(real, outcome)
    switch (family, outcomeColumn.values) {
    case (.logistic, .categories(let codes, let labels)):
      let seen = Set(used.map { Int(codes[$0]) }).compactMap {
        $0 >= 0 && $0 < labels.count ? labels[$0] : nil
      }.sorted()
      guard seen.count == 2 else {
        throw DoppelError(
          .invalidArgument,
          "logistic regression needs an outcome with two levels; this one has \(seen.count)",
          context: .init(column: outcome))
      }
      reference = seen[0]
      event = seen[1]
    case (.logistic, .numbers(let values)):
      guard used.allSatisfy({ values[$0] == 0 || values[$0] == 1 }) else {
        throw DoppelError(
          .invalidArgument, "logistic regression needs a 0/1 or two-level outcome",
          context: .init(column: outcome))
      }
    case (.linear, .numbers):
      break
    case (.linear, _):
      throw DoppelError(
        .invalidArgument,
        "linear regression needs a numeric outcome; use --family logistic for two levels",
        context: .init(column: outcome))
    case (_, .strings):
      throw DoppelError(
        .invalidArgument, "a text or identifier column cannot be the outcome",
        context: .init(column: outcome))
    }
    return Design(names: names, levels: levels, event: event, reference: reference)
  }

  /// Fits the model to one table with a design from the real table.
  /// - Parameters:
  ///   - table: The table.
  ///   - design: The design from ``design(for:)``.
  /// - Returns: The estimates.
  /// - Throws: ``DoppelError`` `fitFailed` when the design is singular or has too few rows.
  public func fit(_ table: Table, design: Design) throws -> RegressionEstimates {
    let (x, y) = try matrix(table, design: design)
    let p = design.names.count
    let n = y.count
    guard n > p else {
      throw DoppelError(
        .fitFailed,
        "the table has \(n) complete rows for \(p) coefficients; a regression needs more rows than coefficients"
      )
    }
    switch family {
    case .linear: return try LeastSquares.ordinary(x: x, y: y, names: design.names)
    case .logistic: return try LeastSquares.logistic(x: x, y: y, names: design.names)
    }
  }

  private func column(_ table: Table, _ name: String) throws -> Column {
    guard let column = table[name] else {
      throw DoppelError(
        .unknownColumn, "a column of the formula is not in the table; check its spelling",
        context: .init(column: name))
    }
    return column
  }

  private func usedRows(_ table: Table) throws -> [Int] {
    let columns = try ([outcome] + predictors).map { try column(table, $0) }
    return (0..<table.rowCount).filter { row in !columns.contains { $0.missing[row] } }
  }

  /// The design matrix (row-major, with the intercept) and outcome of the usable rows.
  func matrix(_ table: Table, design: Design) throws -> (x: [Double], y: [Double]) {
    let columns = try predictors.map { try column(table, $0) }
    let outcomeColumn = try column(table, outcome)
    let p = design.names.count
    var x: [Double] = []
    var y: [Double] = []
    // Per categorical predictor: table code → dummy position (−1 reference, −2 unknown level).
    let maps: [[Int]?] = zip(columns, design.levels).map { column, levels in
      guard let levels, case .categories(_, let labels) = column.values else { return nil }
      return labels.map { label in
        guard let k = levels.firstIndex(of: label) else { return -2 }
        return k - 1
      }
    }
    rows: for row in 0..<table.rowCount {
      if outcomeColumn.missing[row] || columns.contains(where: { $0.missing[row] }) { continue }
      var line = [Double](repeating: 0, count: p)
      line[0] = 1
      var position = 1
      for (k, column) in columns.enumerated() {
        switch column.values {
        case .numbers(let values):
          guard design.levels[k] == nil else { continue rows }
          line[position] = values[row]
          position += 1
        case .categories(let codes, _):
          guard let map = maps[k], let levels = design.levels[k] else { continue rows }
          let code = Int(codes[row])
          guard code >= 0 && code < map.count, map[code] != -2 else { continue rows }
          if map[code] >= 0 { line[position + map[code]] = 1 }
          position += levels.count - 1
        case .strings:
          continue rows
        }
      }
      let outcomeValue: Double
      switch outcomeColumn.values {
      case .numbers(let values): outcomeValue = values[row]
      case .categories(let codes, let labels):
        let code = Int(codes[row])
        guard code >= 0 && code < labels.count else { continue rows }
        guard let event = design.event, labels[code] == event || labels[code] == design.reference
        else { continue rows }
        outcomeValue = labels[code] == event ? 1 : 0
      case .strings: continue rows
      }
      if family == .logistic && outcomeValue != 0 && outcomeValue != 1 { continue rows }
      x += line
      y.append(outcomeValue)
    }
    return (x, y)
  }
}

/// The estimates of one regression fit.
public struct RegressionEstimates: Sendable, Equatable, Codable {
  /// The coefficient names.
  public var names: [String]
  /// The estimates.
  public var coefficients: [Double]
  /// Their standard errors.
  public var standardErrors: [Double]
  /// The rows used.
  public var rows: Int
}
