extension Table {
  /// Converts text fields into typed columns as the metadata says.
  ///
  /// Columns are matched by name and keep the text's order. An empty field is a missing value.
  ///
  /// - `numerical`: a number with an optional sign, point and exponent (`inf`/`nan` are refused)
  ///   → `.numbers`;
  /// - `datetime`: read with the column's format → `.numbers` in seconds since
  ///   1970-01-01T00:00:00Z;
  /// - `categorical`: `.categories` with labels in order of first appearance in this chunk, so
  ///   equal input gives equal codes (``Table/append(_:)`` merges the labels of later chunks);
  /// - `boolean`: `.categories` with labels `[falseText, trueText]` — code 0 is false and 1 is
  ///   true — accepting either spelling in any letter case;
  /// - `id`, `text`, `pii`: `.strings`, unchanged.
  ///
  /// - Parameters:
  ///   - text: Rows of text fields, such as one chunk of a CSV file.
  ///   - metadata: The kind of every column of `text`.
  /// - Throws: ``DoppelError`` with `unknownColumn` when the metadata names columns the text lacks,
  ///   `invalidMetadata` when a column has no metadata or a datetime format is unusable, and
  ///   `invalidValue` when a field cannot be converted; that error names the column and the file
  ///   line of the first bad field, and counts the bad fields, but never shows a value.
  /// - Complexity: O(*rows* × *columns*).
  public init(text: TextTable, metadata: TableMetadata) throws {
    let names = Set(text.columnNames)
    let unknown = metadata.columnNames.filter { !names.contains($0) }
    if !unknown.isEmpty {
      throw DoppelError(
        .unknownColumn,
        "the metadata names \(unknown.count == 1 ? "a column" : "columns") that the data does not "
          + "have: \(Table.quotedList(unknown)); remove \(unknown.count == 1 ? "it" : "them") "
          + "from the metadata or fix the names",
        context: .init(column: unknown.count == 1 ? unknown.first : nil))
    }
    var entries: [ColumnMetadata] = []
    var undescribed: [String] = []
    for name in text.columnNames {
      if let entry = metadata[name] {
        entries.append(entry)
      } else {
        undescribed.append(name)
      }
    }
    if !undescribed.isEmpty {
      throw DoppelError(
        .invalidMetadata,
        "the metadata does not describe \(Table.quotedList(undescribed)); add "
          + "\(undescribed.count == 1 ? "it" : "them") or detect the metadata again",
        context: .init(column: undescribed.count == 1 ? undescribed.first : nil))
    }
    var columns: [Column] = []
    columns.reserveCapacity(entries.count)
    for (entry, fields) in zip(entries, text.columns) {
      columns.append(try Table.convert(fields, entry, firstLine: text.firstLine))
    }
    try self.init(columns: columns)
  }

  private static func convert(_ fields: [String], _ entry: ColumnMetadata, firstLine: Int) throws
    -> Column
  {
    var missing = MissingMask(count: fields.count)
    var failures = 0
    var firstFailure = 0
    func fail(_ row: Int) {
      if failures == 0 { firstFailure = row }
      failures += 1
    }
    let values: ColumnValues
    switch entry.kind {
    case .numerical:
      var numbers = [Double](repeating: 0, count: fields.count)
      for (row, field) in fields.enumerated() {
        if field.isEmpty {
          missing[row] = true
        } else if let number = NumberText.parse(field) {
          numbers[row] = number
        } else {
          fail(row)
        }
      }
      values = .numbers(numbers)
    case .datetime(let format):
      let pattern = DateTimePattern(format.pattern)
      guard pattern.isValid else {
        throw DoppelError(
          .invalidMetadata,
          "the datetime format \"\(format.pattern)\" is not usable"
            + (pattern.unsupportedDirective.map { " (\($0) is not supported)" } ?? "")
            + "; use %Y, %m, %d, %H, %M, %S, %f, %z and literal characters",
          context: .init(column: entry.name))
      }
      var numbers = [Double](repeating: 0, count: fields.count)
      for (row, field) in fields.enumerated() {
        if field.isEmpty {
          missing[row] = true
        } else if let seconds = pattern.parse(field) {
          numbers[row] = seconds
        } else {
          fail(row)
        }
      }
      values = .numbers(numbers)
    case .categorical:
      var labels: [String] = []
      var position: [String: Int32] = [:]
      var codes = [Int32](repeating: 0, count: fields.count)
      for (row, field) in fields.enumerated() {
        if field.isEmpty {
          missing[row] = true
        } else if let code = position[field] {
          codes[row] = code
        } else {
          let code = Int32(labels.count)
          labels.append(field)
          position[field] = code
          codes[row] = code
        }
      }
      values = .categories(codes: codes, categories: labels)
    case .boolean(let spelling):
      var codes = [Int32](repeating: 0, count: fields.count)
      let yes = spelling.trueText.lowercased()
      let no = spelling.falseText.lowercased()
      for (row, field) in fields.enumerated() {
        if field.isEmpty {
          missing[row] = true
        } else if field == spelling.trueText {
          codes[row] = 1
        } else if field == spelling.falseText {
          codes[row] = 0
        } else {
          let lower = field.lowercased()
          if lower == yes && yes != no {
            codes[row] = 1
          } else if lower == no && yes != no {
            codes[row] = 0
          } else {
            fail(row)
          }
        }
      }
      values = .categories(codes: codes, categories: [spelling.falseText, spelling.trueText])
    case .id, .text, .pii:
      for (row, field) in fields.enumerated() where field.isEmpty { missing[row] = true }
      values = .strings(fields)
    }
    if failures > 0 {
      let what: String
      switch entry.kind {
      case .numerical: what = "a number"
      case .datetime(let format): what = "a datetime in the format \"\(format.pattern)\""
      case .boolean: what = "one of the column's two boolean spellings"
      default: what = "a value of its kind"
      }
      throw DoppelError(
        .invalidValue,
        "\(failures == 1 ? "a value" : "\(failures) values") cannot be read as \(what) (the first "
          + "is on this line); fix the data or declare the column's kind in a metadata file",
        context: .init(line: firstLine + firstFailure, column: entry.name))
    }
    return try Column(name: entry.name, kind: entry.kind, values: values, missing: missing)
  }

  /// Names in quotes, separated by commas: `"a", "b"`.
  static func quotedList(_ names: [String]) -> String {
    names.map { "\"\($0)\"" }.joined(separator: ", ")
  }
}
