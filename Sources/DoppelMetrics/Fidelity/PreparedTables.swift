import DoppelCore

/// A real and a synthetic table checked against each other and turned into the plain arrays the
/// fidelity metrics read: continuous columns as numbers (NaN where missing), discrete columns as
/// codes into one shared, sorted list of keys (−1 where missing).
///
/// Preparing once lets the quality scores, the fidelity details and the charts share the same
/// view of the data.
struct PreparedTables: Sendable {
  /// One column's prepared values.
  enum Values: Sendable {
    /// Numbers of each table; NaN marks a missing or non-finite value.
    case continuous(real: [Double], synthetic: [Double])
    /// Codes of each table into `keys`; −1 marks a missing value.
    case discrete(real: [Int32], synthetic: [Int32], keys: [DiscreteKey])
    /// Not compared.
    case ignored
  }

  /// One column of both tables.
  struct Entry: Sendable {
    /// The column name.
    var name: String
    /// The real column's kind.
    var kind: ColumnKind
    /// How the column is compared.
    var role: ColumnRole
    /// The prepared values.
    var values: Values
    /// Missing values in the real column.
    var realMissing: Int
    /// Missing values in the synthetic column.
    var syntheticMissing: Int
  }

  /// Every column, in the real table's order.
  var columns: [Entry]
  /// The real table.
  var real: Table
  /// The synthetic table with its columns in the real table's order.
  var synthetic: Table

  /// Checks and prepares two tables.
  /// - Parameters:
  ///   - real: The real table.
  ///   - synthetic: The synthetic table, with the same column names and kinds in any order.
  ///   - roles: Role overrides by column name.
  /// - Throws: ``DoppelError`` `schemaMismatch` (see ``align(real:synthetic:)``),
  ///   `unknownColumn` for an override naming no column, `invalidArgument` when no column is
  ///   compared or a continuous column holds text.
  init(real: Table, synthetic: Table, roles: [String: ColumnRole]) throws {
    let aligned = try PreparedTables.align(real: real, synthetic: synthetic)
    let roleList = try ColumnRole.roles(for: real, overrides: roles)
    guard roleList.contains(where: { $0 != .ignored }) else {
      throw DoppelError(
        .invalidArgument,
        "no column can be compared: every column is an id, text or personal-data column; "
          + "give at least one column the continuous or discrete role")
    }
    var entries: [Entry] = []
    entries.reserveCapacity(real.columns.count)
    for (index, role) in roleList.enumerated() {
      let r = real.columns[index]
      let s = aligned.columns[index]
      switch role {
      case .continuous:
        let a = try PreparedTables.numbers(r)
        let b = try PreparedTables.numbers(s)
        entries.append(
          Entry(
            name: r.name, kind: r.kind, role: role, values: .continuous(real: a, synthetic: b),
            realMissing: a.reduce(0) { $1.isNaN ? $0 + 1 : $0 },
            syntheticMissing: b.reduce(0) { $1.isNaN ? $0 + 1 : $0 }))
      case .discrete:
        let (a, b, keys) = PreparedTables.codes(r, s)
        entries.append(
          Entry(
            name: r.name, kind: r.kind, role: role,
            values: .discrete(real: a, synthetic: b, keys: keys),
            realMissing: a.reduce(0) { $1 < 0 ? $0 + 1 : $0 },
            syntheticMissing: b.reduce(0) { $1 < 0 ? $0 + 1 : $0 }))
      case .ignored:
        entries.append(
          Entry(
            name: r.name, kind: r.kind, role: role, values: .ignored,
            realMissing: r.missing.missingCount, syntheticMissing: s.missing.missingCount))
      }
    }
    self.columns = entries
    self.real = real
    self.synthetic = aligned
  }

  /// Checks that two tables can be compared and returns the synthetic one in the real order.
  ///
  /// Every problem is listed in one error: empty tables, columns missing from the synthetic
  /// table, extra columns, and columns whose kinds differ (`categorical` and `boolean` count as
  /// the same, since both hold labels). Only column names appear in the message, never values.
  /// - Parameters:
  ///   - real: The real table.
  ///   - synthetic: The synthetic table.
  /// - Returns: The synthetic table with its columns in the real table's order.
  /// - Throws: ``DoppelError`` `schemaMismatch`, naming the first column involved.
  static func align(real: Table, synthetic: Table) throws -> Table {
    var problems: [String] = []
    var firstColumn: String?
    if real.columns.isEmpty { problems.append("the real table has no columns") }
    if real.rowCount == 0 { problems.append("the real table has no rows") }
    if synthetic.rowCount == 0 { problems.append("the synthetic table has no rows") }
    let syntheticNames = Set(synthetic.columnNames)
    let realNames = Set(real.columnNames)
    let missing = real.columnNames.filter { !syntheticNames.contains($0) }
    let extra = synthetic.columnNames.filter { !realNames.contains($0) }
    if !missing.isEmpty {
      problems.append("the synthetic table lacks column(s) \(quoted(missing))")
      firstColumn = firstColumn ?? missing.first
    }
    if !extra.isEmpty {
      problems.append("the synthetic table has extra column(s) \(quoted(extra))")
      firstColumn = firstColumn ?? extra.first
    }
    for column in real.columns {
      guard let other = synthetic[column.name], !sameKind(column.kind, other.kind) else {
        continue
      }
      problems.append(
        "column \"\(column.name)\" is \(column.kind.name) in the real table but "
          + "\(other.kind.name) in the synthetic table")
      firstColumn = firstColumn ?? column.name
    }
    guard problems.isEmpty else {
      throw DoppelError(
        .schemaMismatch,
        problems.joined(separator: "; ")
          + "; compare tables with rows and the same columns and kinds (load the synthetic table "
          + "with the real table's metadata)",
        context: .init(column: firstColumn))
    }
    if synthetic.columnNames == real.columnNames { return synthetic }
    return try Table(columns: real.columns.compactMap { synthetic[$0.name] })
  }

  private static func sameKind(_ a: ColumnKind, _ b: ColumnKind) -> Bool {
    if a.name == b.name { return true }
    let labels = ["categorical", "boolean"]
    return labels.contains(a.name) && labels.contains(b.name)
  }

  private static func quoted(_ names: [String]) -> String {
    names.map { "\"\($0)\"" }.joined(separator: ", ")
  }

  /// A column's values as numbers, NaN where missing or not finite.
  /// - Parameter column: A column; labels or strings must all be numbers.
  /// - Returns: One number per row.
  /// - Throws: ``DoppelError`` `invalidArgument` when a present label is not a number.
  static func numbers(_ column: Column) throws -> [Double] {
    let notNumbers = DoppelError(
      .invalidArgument,
      "the column has the continuous role but holds values that are not numbers; "
        + "give it the discrete role",
      context: .init(column: column.name))
    var result = [Double](repeating: .nan, count: column.count)
    switch column.values {
    case .numbers(let values):
      for row in 0..<values.count where !column.missing[row] && values[row].isFinite {
        result[row] = values[row]
      }
    case .categories(let codes, let labels):
      let parsed = labels.map { finiteNumber($0) }
      for row in 0..<codes.count where !column.missing[row] {
        guard let value = parsed[Int(codes[row])] else { throw notNumbers }
        result[row] = value
      }
    case .strings(let values):
      for row in 0..<values.count where !column.missing[row] {
        guard let value = finiteNumber(values[row]) else { throw notNumbers }
        result[row] = value
      }
    }
    return result
  }

  /// The codes of a discrete column in both tables, into one sorted list of keys.
  ///
  /// Labels are compared as numbers when every present label of both columns is a number (the
  /// way pandas reads such a column), otherwise as text; numeric columns compare by value.
  /// - Parameters:
  ///   - real: The real column.
  ///   - synthetic: The synthetic column.
  /// - Returns: Codes of each table (−1 where missing) and the shared keys, ascending.
  static func codes(_ real: Column, _ synthetic: Column) -> (
    real: [Int32], synthetic: [Int32], keys: [DiscreteKey]
  ) {
    let a = LocalCodes(real)
    let b = LocalCodes(synthetic)
    let asNumbers = a.labelsAreNumbers && b.labelsAreNumbers
    let aKeys = a.keys(numeric: asNumbers)
    let bKeys = b.keys(numeric: asNumbers)
    let keys = Set(aKeys).union(bKeys).sorted()
    var position: [DiscreteKey: Int32] = [:]
    for (index, key) in keys.enumerated() { position[key] = Int32(index) }
    func remap(_ local: LocalCodes, _ localKeys: [DiscreteKey]) -> [Int32] {
      let map = localKeys.map { position[$0] ?? -1 }
      return local.codes.map { $0 < 0 ? -1 : map[Int($0)] }
    }
    return (remap(a, aKeys), remap(b, bKeys), keys)
  }

  static func finiteNumber(_ text: String) -> Double? {
    guard let value = Double(text), value.isFinite else { return nil }
    return value
  }
}

/// One column's values as codes into its own list of distinct present values.
private struct LocalCodes {
  enum Labels {
    case numbers([Double])
    case texts([String])
  }

  var codes: [Int32]
  var labels: Labels

  init(_ column: Column) {
    switch column.values {
    case .numbers(let values):
      var position: [Double: Int32] = [:]
      var distinct: [Double] = []
      codes = [Int32](repeating: -1, count: values.count)
      for row in 0..<values.count where !column.missing[row] && values[row].isFinite {
        let value = values[row]
        if let code = position[value] {
          codes[row] = code
        } else {
          let code = Int32(distinct.count)
          position[value] = code
          distinct.append(value)
          codes[row] = code
        }
      }
      labels = .numbers(distinct)
    case .categories(let columnCodes, let columnLabels):
      var used = [Int32](repeating: -1, count: columnLabels.count)
      var distinct: [String] = []
      codes = [Int32](repeating: -1, count: columnCodes.count)
      for row in 0..<columnCodes.count where !column.missing[row] {
        let label = Int(columnCodes[row])
        if used[label] < 0 {
          used[label] = Int32(distinct.count)
          distinct.append(columnLabels[label])
        }
        codes[row] = used[label]
      }
      labels = .texts(distinct)
    case .strings(let values):
      var position: [String: Int32] = [:]
      var distinct: [String] = []
      codes = [Int32](repeating: -1, count: values.count)
      for row in 0..<values.count where !column.missing[row] {
        if let code = position[values[row]] {
          codes[row] = code
        } else {
          let code = Int32(distinct.count)
          position[values[row]] = code
          distinct.append(values[row])
          codes[row] = code
        }
      }
      labels = .texts(distinct)
    }
  }

  var labelsAreNumbers: Bool {
    switch labels {
    case .numbers: return true
    case .texts(let texts): return texts.allSatisfy { PreparedTables.finiteNumber($0) != nil }
    }
  }

  func keys(numeric: Bool) -> [DiscreteKey] {
    switch labels {
    case .numbers(let values): return values.map { .number($0) }
    case .texts(let texts):
      return texts.map { text in
        if numeric, let value = PreparedTables.finiteNumber(text) { return .number(value) }
        return .text(text)
      }
    }
  }
}
