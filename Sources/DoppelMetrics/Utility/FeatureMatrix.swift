import DoppelCore

/// A table's features encoded as numbers under a ``FeatureSchema``, ready for trees.
///
/// Values are stored feature by feature. A numeric feature holds its number, or NaN when the value
/// is missing (or not finite); NaN never comes from data here, since a ``Table`` marks missing
/// values in its mask. A categorical feature holds its slot: 0 for missing, `i + 1` for the
/// schema's `labels[i]`, and `labels.count + 1` for a label the schema does not know. Labels are
/// matched by text, so two tables whose category lists are in different orders encode alike.
public struct FeatureMatrix: Sendable, Equatable {
  /// The schema the values follow.
  public let schema: FeatureSchema
  /// The number of rows.
  public let rowCount: Int
  /// Feature-major values: feature `f`, row `r` is at `f * rowCount + r`.
  private(set) var values: [Double]

  /// Encodes the feature columns of a table.
  /// - Parameters:
  ///   - table: A table with every column the schema names, of a matching kind.
  ///   - schema: The features to encode.
  /// - Throws: ``DoppelError`` `unknownColumn` when a feature column is absent, or
  ///   `schemaMismatch` when its layout does not fit the encoding.
  /// - Complexity: O(rows × features + labels) for the table's category lists.
  public init(table: Table, schema: FeatureSchema) throws {
    let rows = table.rowCount
    var values = [Double](repeating: 0, count: rows * schema.features.count)
    for (index, feature) in schema.features.enumerated() {
      guard let column = table[feature.name] else {
        throw DoppelError(
          .unknownColumn, "the table lacks a feature column; give it the same columns",
          context: .init(column: feature.name))
      }
      let base = index * rows
      switch (feature.encoding, column.values) {
      case (.numeric, .numbers(let numbers)):
        for row in 0..<rows {
          let value = numbers[row]
          values[base + row] = column.missing[row] || !value.isFinite ? .nan : value
        }
      case (.categorical(let labels), .categories(let codes, let columnLabels)):
        var slotOfLabel: [String: Int] = [:]
        for (slot, label) in labels.enumerated() { slotOfLabel[label] = slot + 1 }
        let unknown = Double(labels.count + 1)
        let slots = columnLabels.map { label in slotOfLabel[label].map(Double.init) ?? unknown }
        for row in 0..<rows {
          let code = Int(codes[row])
          if column.missing[row] {
            values[base + row] = 0
          } else {
            values[base + row] = code >= 0 && code < slots.count ? slots[code] : unknown
          }
        }
      default:
        throw DoppelError(
          .schemaMismatch,
          "a feature column is stored as \(column.values.storage.rawValue), which its encoding "
            + "cannot read; give every table the same column kinds",
          context: .init(column: feature.name))
      }
    }
    self.schema = schema
    self.rowCount = rows
    self.values = values
  }

  init(schema: FeatureSchema, rowCount: Int, values: [Double]) {
    precondition(values.count == rowCount * schema.features.count, "Matrix size mismatch")
    self.schema = schema
    self.rowCount = rowCount
    self.values = values
  }

  /// The number of features.
  public var featureCount: Int { schema.features.count }

  /// The encoded value of one cell: a number (NaN when missing) or a category slot.
  /// - Parameters:
  ///   - row: The row, in `0..<rowCount`.
  ///   - feature: The feature, in `0..<featureCount`.
  public subscript(row row: Int, feature feature: Int) -> Double {
    precondition(
      row >= 0 && row < rowCount && feature >= 0 && feature < featureCount,
      "Index out of bounds")
    return values[feature * rowCount + row]
  }

  /// The rows at `indices`, in that order.
  /// - Parameter indices: Row positions to keep.
  /// - Returns: A matrix with one row per index.
  public func selectingRows(_ indices: [Int]) -> FeatureMatrix {
    var selected = [Double](repeating: 0, count: indices.count * featureCount)
    for feature in 0..<featureCount {
      let from = feature * rowCount
      let to = feature * indices.count
      for (position, row) in indices.enumerated() {
        selected[to + position] = values[from + row]
      }
    }
    return FeatureMatrix(schema: schema, rowCount: indices.count, values: selected)
  }

  /// A copy with one feature's values shuffled across rows, as permutation importance needs.
  /// - Parameters:
  ///   - feature: The feature to shuffle.
  ///   - generator: The random stream that chooses the permutation (Fisher–Yates).
  /// - Returns: The matrix with that feature's column permuted and every other column unchanged.
  public func permutingFeature(_ feature: Int, using generator: inout SeededGenerator)
    -> FeatureMatrix
  {
    precondition(feature >= 0 && feature < featureCount, "Index out of bounds")
    var copy = self
    let base = feature * rowCount
    FeatureMatrix.shuffle(&copy.values, range: base..<(base + rowCount), using: &generator)
    return copy
  }

  /// Shuffles `values[range]` in place (Fisher–Yates, from the end).
  static func shuffle<Element>(
    _ values: inout [Element], range: Range<Int>, using generator: inout SeededGenerator
  ) {
    var index = range.count - 1
    while index > 0 {
      let other = generator.nextInt(below: index + 1)
      values.swapAt(range.lowerBound + index, range.lowerBound + other)
      index -= 1
    }
  }
}
