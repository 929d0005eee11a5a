import DoppelCore

/// The feature columns a utility model reads, and how each is encoded as numbers.
///
/// Numerical and datetime columns become numbers; categorical and boolean columns become
/// category slots; identifiers, free text and personal data are left out, since they carry no
/// pattern a model should learn (an identifier only lets a tree memorise rows).
///
/// Category labels are matched by their text, never by their codes: a synthetic table and a real
/// table may list the same categories in different orders. The schema keeps the union of the
/// labels of every table it was built from, sorted by text, so the encoding does not depend on
/// the order in which any table happened to list its categories.
public struct FeatureSchema: Sendable, Equatable {
  /// How one feature is encoded.
  public enum Encoding: Sendable, Equatable {
    /// A number; a missing value is kept as missing and routed by the tree (see ``DecisionTree``).
    case numeric
    /// One of `labels`; slot 0 means missing, slot `i + 1` means `labels[i]`, and slot
    /// `labels.count + 1` means a label the schema does not know.
    case categorical(labels: [String])
  }

  /// One feature column.
  public struct Feature: Sendable, Equatable {
    /// The column name.
    public var name: String
    /// How its values are encoded.
    public var encoding: Encoding

    /// Creates a feature.
    /// - Parameters:
    ///   - name: The column name.
    ///   - encoding: How its values are encoded.
    public init(name: String, encoding: Encoding) {
      self.name = name
      self.encoding = encoding
    }

    /// The number of slots of a categorical feature (labels, missing and unknown), or `nil` for
    /// a numeric one.
    public var slotCount: Int? {
      if case .categorical(let labels) = encoding { return labels.count + 2 }
      return nil
    }
  }

  /// The most labels a categorical feature may have; more than this is an identifier or text.
  public static let maximumCategoryCount = 65_000

  /// The features, in the column order of the first table the schema was built from.
  public var features: [Feature]

  /// Creates a schema from a list of features.
  /// - Parameter features: The features, with distinct names.
  public init(features: [Feature]) {
    self.features = features
  }

  /// Builds the schema shared by several tables with the same columns.
  ///
  /// The first table sets the column order. Every table must have the same column names (in any
  /// order) and each column the same role (number, category or left out) in every table.
  /// - Parameters:
  ///   - tables: The tables, such as the real training table, the synthetic table and the real
  ///     test table; at least one.
  ///   - excluding: Columns to leave out, such as the label.
  /// - Throws: ``DoppelError`` `schemaMismatch` listing every difference between the tables, or
  ///   `invalidArgument` when a categorical column has more than ``maximumCategoryCount`` labels.
  public init(tables: [Table], excluding: [String] = []) throws {
    precondition(!tables.isEmpty, "FeatureSchema needs at least one table")
    let first = tables[0]
    var problems: [(column: String, text: String)] = []
    for (position, table) in tables.enumerated().dropFirst() {
      let name = FeatureSchema.tableName(position, of: tables.count)
      for column in first.columns where table[column.name] == nil {
        problems.append((column.name, "the \(name) lacks column \"\(column.name)\""))
      }
      for column in table.columns where first[column.name] == nil {
        problems.append((column.name, "the \(name) has an extra column \"\(column.name)\""))
      }
      for column in first.columns {
        guard let other = table[column.name] else { continue }
        let role = FeatureSchema.role(of: column.kind)
        let otherRole = FeatureSchema.role(of: other.kind)
        if role != otherRole {
          problems.append(
            (
              column.name,
              "column \"\(column.name)\" is \(otherRole) in the \(name) but \(role) in the "
                + "\(FeatureSchema.tableName(0, of: tables.count))"
            ))
        }
      }
    }
    if let firstProblem = problems.first {
      throw DoppelError(
        .schemaMismatch,
        problems.map(\.text).joined(separator: "; ")
          + "; give every table the same columns with the same kinds",
        context: .init(column: firstProblem.column))
    }
    var features: [Feature] = []
    for column in first.columns where !excluding.contains(column.name) {
      switch FeatureSchema.role(of: column.kind) {
      case .excluded:
        continue
      case .number:
        features.append(Feature(name: column.name, encoding: .numeric))
      case .category:
        var labels = Set<String>()
        for table in tables {
          if let categories = table[column.name]?.categories {
            labels.formUnion(categories.labels)
          }
        }
        guard labels.count <= FeatureSchema.maximumCategoryCount else {
          throw DoppelError(
            .invalidArgument,
            "a categorical column has more than \(FeatureSchema.maximumCategoryCount) categories; "
              + "mark it as text or id so that it is left out of utility models",
            context: .init(column: column.name))
        }
        features.append(Feature(name: column.name, encoding: .categorical(labels: labels.sorted())))
      }
    }
    self.features = features
  }

  /// The position of the feature called `name`, if there is one.
  /// - Parameter name: A column name.
  /// - Returns: Its index in ``features``.
  public func index(of name: String) -> Int? {
    features.firstIndex { $0.name == name }
  }

  enum Role: String, CustomStringConvertible {
    case number = "numeric"
    case category = "categorical"
    case excluded = "left out (identifier, text or personal data)"

    var description: String { rawValue }
  }

  static func role(of kind: ColumnKind) -> Role {
    switch kind {
    case .numerical, .datetime: return .number
    case .categorical, .boolean: return .category
    case .id, .text, .pii: return .excluded
    }
  }

  private static func tableName(_ position: Int, of count: Int) -> String {
    if count == 3 {
      return ["training table", "synthetic table", "test table"][position]
    }
    return position == 0 ? "first table" : "table \(position + 1)"
  }
}
