extension TextTable {
  /// Writes a typed table as text fields, the reverse of ``Table/init(text:metadata:)``.
  ///
  /// - `numerical`: whole-number columns without `.0`; with `decimals`, rounded to that many
  ///   digits with trailing zeros dropped (`2.60` → `2.6`); otherwise the shortest text that reads
  ///   back as the same number. Always plain decimal notation, never an exponent (`0.00001`);
  /// - `datetime`: in the column's format, rounded to its resolution;
  /// - `categorical` and `boolean`: the label of each code (for booleans, its spelling);
  /// - `id`, `text`, `pii`: unchanged.
  ///
  /// A missing value, a number that is not finite, a code outside the labels and a datetime whose
  /// format is not valid are written as an empty field. For files whose numbers are written in shortest form without trailing zeros (as
  /// R and pandas write them), converting to a table and back gives the same fields.
  /// - Parameter table: The table.
  /// - Complexity: O(*rows* × *columns*).
  public init(table: Table) {
    let columns = table.columns.map { TextTable.fields(of: $0) }
    self.init(columnNames: table.columnNames, columns: columns)
  }

  private static func fields(of column: Column) -> [String] {
    var fields: [String]
    switch column.values {
    case .numbers(let numbers):
      switch column.kind {
      case .datetime(let format):
        let pattern = DateTimePattern(format.pattern)
        fields = numbers.map { pattern.isValid ? pattern.format($0) : "" }
      case .numerical(let format):
        fields = numbers.map { NumberText.format($0, format) }
      default:
        fields = numbers.map { NumberText.plainDecimal($0) }
      }
    case .categories(let codes, let labels):
      fields = codes.map { code in
        code >= 0 && Int(code) < labels.count ? labels[Int(code)] : ""
      }
    case .strings(let strings):
      fields = strings
    }
    if column.missing.hasMissing {
      for row in fields.indices where column.missing[row] { fields[row] = "" }
    }
    return fields
  }
}
