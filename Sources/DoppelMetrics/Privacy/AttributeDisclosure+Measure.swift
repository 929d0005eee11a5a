import DoppelCore

extension AttributeDisclosure {
  /// Measures how well the synthetic table lets an attacker who knows some columns of a real
  /// person (the keys) infer another column (the sensitive one).
  ///
  /// For each real row whose key combination occurs in the synthetic table, the correct
  /// attribution probability is the share of the synthetic rows with those keys whose sensitive
  /// value equals the real row's (Taub, Elliot, Pampaka and Smith, "Differential correct
  /// attribution probability for synthetic data: an exploration", Privacy in Statistical
  /// Databases 2018, LNCS 11126, 122–137; computed as by synthpop's `disclosure` measures).
  /// ``tcap`` is its mean over those real rows; ``matchRate`` is the share of real rows that have
  /// one; ``baseline`` is the share of the real table's most frequent sensitive value, what an
  /// attacker gets by always guessing it. (Taub et al.'s *targeted* variant further keeps only key
  /// combinations whose synthetic rows all share one sensitive value; it is not applied here.)
  ///
  /// Keys match by exact value: numbers by value, labels and text by their text, a missing value
  /// only another missing value, so continuous keys should be coarsened first. A numerical or
  /// datetime sensitive column is cut into `bins` quantile bins of the real data (deciles by
  /// default); a missing sensitive value is a value of its own. With no matching real row,
  /// ``tcap`` is 0.
  /// - Parameters:
  ///   - real: The real (training) table.
  ///   - synthetic: The synthetic table, with the same key and sensitive columns.
  ///   - keys: The key (quasi-identifier) columns; at least one.
  ///   - sensitive: The sensitive column; not one of the keys.
  ///   - bins: Quantile bins for a numerical sensitive column; at least 2.
  /// - Throws: ``DoppelError`` `unknownColumn` listing every column missing from either table,
  ///   `schemaMismatch` when a column is stored differently in the two tables, `invalidArgument`
  ///   for no keys, a sensitive column among the keys or fewer than 2 bins, `noRows` for an empty
  ///   table.
  /// - Complexity: O((n + m) · k) expected for n real rows, m synthetic rows and k keys.
  public init(real: Table, synthetic: Table, keys: [String], sensitive: String, bins: Int = 10)
    throws
  {
    guard !keys.isEmpty else {
      throw DoppelError(.invalidArgument, "attribute disclosure needs at least one key column")
    }
    guard !keys.contains(sensitive) else {
      throw DoppelError(
        .invalidArgument, "the sensitive column cannot also be a key column",
        context: .init(column: sensitive))
    }
    guard bins >= 2 else {
      throw DoppelError(.invalidArgument, "a numerical sensitive column needs at least 2 bins")
    }
    let names = keys + [sensitive]
    var unknown: [String] = []
    for name in names where real[name] == nil || synthetic[name] == nil {
      if !unknown.contains(name) { unknown.append(name) }
    }
    guard unknown.isEmpty else {
      throw DoppelError(
        .unknownColumn,
        "no column named \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")) in both tables; "
          + "choose key and sensitive columns the tables share",
        context: .init(column: unknown[0]))
    }
    for name in names {
      if let a = real[name], let b = synthetic[name], a.kind.storage != b.kind.storage {
        throw DoppelError(
          .schemaMismatch, "the column is stored differently in the real and synthetic tables",
          context: .init(column: name))
      }
    }
    guard real.rowCount > 0, synthetic.rowCount > 0 else {
      throw DoppelError(.noRows, "attribute disclosure needs rows in both tables")
    }

    let keyCodes = keys.map { CanonicalCodes(column: $0, tables: [real, synthetic]).codes }
    let sensitiveCodes = AttributeDisclosure.sensitiveCodes(
      sensitive, real: real, synthetic: synthetic, bins: bins)

    // Rows keyed by their key values, and by their key and sensitive values.
    let realKeys = keyCodes.map { $0[0] }
    let syntheticKeys = keyCodes.map { $0[1] }
    let syntheticKeysAndValues = syntheticKeys + [sensitiveCodes[1]]
    var classSizes: [CanonicalRow: Int] = [:]
    var classValueCounts: [CanonicalRow: Int] = [:]
    for row in 0..<synthetic.rowCount {
      classSizes[CanonicalRow(columns: syntheticKeys, row: row), default: 0] += 1
      classValueCounts[CanonicalRow(columns: syntheticKeysAndValues, row: row), default: 0] += 1
    }

    var matched = 0
    var total = 0.0
    var valueCounts: [UInt64: Int] = [:]
    let realKeysAndValues = realKeys + [sensitiveCodes[0]]
    for row in 0..<real.rowCount {
      valueCounts[sensitiveCodes[0][row], default: 0] += 1
      guard let size = classSizes[CanonicalRow(columns: realKeys, row: row)] else { continue }
      matched += 1
      let hits = classValueCounts[CanonicalRow(columns: realKeysAndValues, row: row)] ?? 0
      total += Double(hits) / Double(size)
    }
    let mostFrequent = valueCounts.values.max() ?? 0
    self.init(
      keys: keys, sensitive: sensitive, tcap: matched > 0 ? total / Double(matched) : 0,
      baseline: Double(mostFrequent) / Double(real.rowCount),
      matchRate: Double(matched) / Double(real.rowCount))
  }

  /// Sensitive-value codes for both tables: quantile bins of the real data for numbers, canonical
  /// codes otherwise.
  private static func sensitiveCodes(_ name: String, real: Table, synthetic: Table, bins: Int)
    -> [[UInt64]]
  {
    guard let column = real[name], let values = column.numbers else {
      return CanonicalCodes(column: name, tables: [real, synthetic]).codes
    }
    var present: [Double] = []
    present.reserveCapacity(values.count)
    for row in 0..<values.count where !column.missing[row] && values[row].isFinite {
      present.append(values[row])
    }
    present.sort()
    var edges: [Double] = []
    if !present.isEmpty {
      for k in 1..<bins {
        let edge = present[Swift.min(present.count - 1, k * present.count / bins)]
        if edges.last != edge { edges.append(edge) }
      }
    }
    return [real, synthetic].map { table in
      guard let column = table[name], let values = column.numbers else {
        return Array(repeating: CanonicalCodes.missing, count: table.rowCount)
      }
      return (0..<values.count).map { row in
        let x = values[row]
        guard !column.missing[row], x.isFinite else { return CanonicalCodes.missing }
        // The bin is the number of edges at or below x.
        var low = 0
        var high = edges.count
        while low < high {
          let middle = (low + high) / 2
          if edges[middle] <= x { low = middle + 1 } else { high = middle }
        }
        return UInt64(low)
      }
    }
  }
}
