import DoppelCore
import DoppelTransforms

/// Identifier, text and personal-data columns for synthesizers that model only numbers and
/// categories: fresh identifiers, fake personal data and shape-preserving random text, never a
/// copied training value.
public enum StringColumns {
  /// Learns what is needed to generate a string column: its missing rate and value shapes.
  /// - Parameter column: A training column stored as strings.
  /// - Returns: A column model holding the missing rate and shapes.
  public static func model(of column: Column) -> CopulaColumnModel {
    let n = column.count
    var model = CopulaColumnModel(
      name: column.name,
      missingProbability: n == 0 ? 0 : Double(column.missing.missingCount) / Double(n))
    if case .id = column.kind { return model }
    if let values = column.strings {
      var texts: [String] = []
      for row in 0..<n where !column.missing[row] { texts.append(values[row]) }
      model.shapes = TextShape.learnShapes(from: texts, limit: CopulaFitter.maximumShapes)
    }
    return model
  }

  /// Generates rows `range` of a string column; each block of rows has its own random stream.
  /// - Parameters:
  ///   - kind: The column kind.
  ///   - model: The model from ``model(of:)``.
  ///   - range: Row positions.
  ///   - seed: The sampling seed.
  ///   - columnIndex: The column's position in the table (separates streams).
  /// - Returns: The column.
  /// - Throws: ``DoppelError`` when the column cannot be built.
  public static func generate(
    kind: ColumnKind, model: CopulaColumnModel, range: Range<Int>, seed: UInt64, columnIndex: Int
  ) throws -> Column {
    var missing = MissingMask(count: range.count)
    var random = SeededGenerator(seed: seed, label: "strings", index: UInt64(columnIndex))
    let values = try StringValues.generate(
      kind: kind, model: model, range: range, seed: seed, columnIndex: columnIndex,
      missing: &missing, random: &random)
    return try Column(name: model.name, kind: kind, values: .strings(values), missing: missing)
  }
}
