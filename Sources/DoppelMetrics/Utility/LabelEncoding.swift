import DoppelCore

/// The label's classes (matched by text across tables) and how to turn a table into features and
/// targets, dropping rows whose label is missing.
struct LabelEncoding: Sendable {
  /// A table's features and targets.
  struct Encoded: Sendable {
    var features: FeatureMatrix
    var target: TargetValues
  }

  let label: String
  let task: UtilityTask
  /// The class labels, sorted by text (classification only).
  let classes: [String]
  /// The class whose probability ROC AUC ranks: with two classes, the boolean's `true` spelling
  /// or else the second class in text order (as scikit-learn's label encoding chooses).
  let positiveClass: Int?

  /// Collects the classes of every table and checks that each has labelled rows.
  init(tables: [Table], label: String, task: UtilityTask, names: [String]) throws {
    self.label = label
    self.task = task
    var labels = Set<String>()
    for (table, name) in zip(tables, names) {
      guard let column = table[label] else {
        throw DoppelError(
          .unknownColumn, "the label column is not in the \(name)", context: .init(column: label))
      }
      let rows = LabelEncoding.labelledRows(column)
      if rows.isEmpty {
        throw DoppelError(
          .invalidArgument,
          "the label column has no values in the \(name); choose a label with values",
          context: .init(column: label))
      }
      if task == .classification, let categories = column.categories {
        for row in rows { labels.insert(categories.labels[Int(categories.codes[row])]) }
      }
    }
    let classes = labels.sorted()
    self.classes = classes
    if task == .classification && classes.count == 2 {
      if case .boolean(let spelling) = tables[0][label]?.kind,
        let index = classes.firstIndex(of: spelling.trueText)
      {
        positiveClass = index
      } else {
        positiveClass = 1
      }
    } else {
      positiveClass = nil
    }
  }

  /// Rows whose label is present (and, for numbers, finite).
  static func labelledRows(_ column: Column) -> [Int] {
    switch column.values {
    case .numbers(let numbers):
      return (0..<column.count).filter { !column.missing[$0] && numbers[$0].isFinite }
    case .categories(let codes, let labels):
      return (0..<column.count).filter {
        !column.missing[$0] && codes[$0] >= 0 && Int(codes[$0]) < labels.count
      }
    case .strings:
      return (0..<column.count).filter { !column.missing[$0] }
    }
  }

  /// The features and targets of the labelled rows of `table`.
  func encode(_ table: Table, schema: FeatureSchema) throws -> Encoded {
    guard let column = table[label] else {
      throw DoppelError(
        .unknownColumn, "the label column is missing", context: .init(column: label))
    }
    let rows = LabelEncoding.labelledRows(column)
    let kept = rows.count == table.rowCount ? table : table.selectingRows(rows)
    let features = try FeatureMatrix(table: kept, schema: schema)
    switch column.values {
    case .categories(let codes, let labels):
      var index: [String: Int32] = [:]
      for (position, text) in classes.enumerated() { index[text] = Int32(position) }
      // Every label of a labelled row is among the classes, collected from the same tables.
      let classOfCode = labels.map { index[$0] ?? 0 }
      let target = rows.map { classOfCode[Int(codes[$0])] }
      return Encoded(features: features, target: .classes(target, classCount: classes.count))
    case .numbers(let numbers):
      return Encoded(features: features, target: .numbers(rows.map { numbers[$0] }))
    case .strings:
      throw DoppelError(
        .invalidArgument, "a text label cannot be predicted", context: .init(column: label))
    }
  }
}
