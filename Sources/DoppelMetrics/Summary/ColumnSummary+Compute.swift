import DoppelCore

extension ColumnSummary {
  /// The most categories listed in ``topCategories``.
  public static let maximumTopCategories = 10

  /// Summarizes one column.
  ///
  /// Every column gets its row, missing and distinct counts. Numerical and datetime columns
  /// (datetimes as seconds since 1970-01-01T00:00:00Z) also get the mean, the sample standard
  /// deviation (n − 1), the minimum, the 5th, 25th, 50th, 75th and 95th percentiles (type 7) and
  /// the maximum; a non-finite number counts as missing. Categorical and boolean columns get their
  /// ``maximumTopCategories`` most frequent labels with their shares of the present values (ties
  /// by label). Identifier, text and personal-data columns list no values, so the summary never
  /// repeats one.
  /// - Parameter column: The column.
  public init(describing column: Column) {
    switch column.values {
    case .numbers(let values):
      var present: [Double] = []
      present.reserveCapacity(values.count)
      for row in 0..<values.count where !column.missing[row] && values[row].isFinite {
        present.append(values[row])
      }
      present.sort()
      var distinct = 0
      for index in present.indices where index == 0 || present[index] != present[index - 1] {
        distinct += 1
      }
      self.init(
        column: column.name, kind: column.kind.name, count: column.count,
        missing: column.count - present.count, distinct: distinct)
      guard !present.isEmpty else { return }
      let mean = present.reduce(0, +) / Double(present.count)
      self.mean = mean
      if present.count >= 2 {
        let squares = present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        std = (squares / Double(present.count - 1)).squareRoot()
      }
      min = present.first
      p5 = Quantile.type7(present, 0.05)
      p25 = Quantile.type7(present, 0.25)
      p50 = Quantile.type7(present, 0.5)
      p75 = Quantile.type7(present, 0.75)
      p95 = Quantile.type7(present, 0.95)
      max = present.last
    case .categories(let codes, let labels):
      var counts = [Int](repeating: 0, count: labels.count)
      for row in 0..<codes.count where !column.missing[row] { counts[Int(codes[row])] += 1 }
      let present = counts.reduce(0, +)
      // Two codes may share a label only in a hand-built column; merge them by label.
      var byLabel: [String: Int] = [:]
      for (code, count) in counts.enumerated() where count > 0 {
        byLabel[labels[code], default: 0] += count
      }
      self.init(
        column: column.name, kind: column.kind.name, count: column.count,
        missing: column.count - present, distinct: byLabel.count)
      let top = byLabel.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
      topCategories = top.prefix(ColumnSummary.maximumTopCategories).map {
        CategoryShare(label: $0.key, share: Double($0.value) / Double(present))
      }
    case .strings(let values):
      var distinct = Set<String>()
      for row in 0..<values.count where !column.missing[row] { distinct.insert(values[row]) }
      self.init(
        column: column.name, kind: column.kind.name, count: column.count,
        missing: column.missing.missingCount, distinct: distinct.count)
    }
  }

  /// The header of ``csvRow``: `column`, `kind`, `count`, `missing`, `distinct`, `mean`, `std`,
  /// `min`, `p5`, `p25`, `p50`, `p75`, `p95`, `max`, `top_categories`.
  public static let csvHeader = [
    "column", "kind", "count", "missing", "distinct", "mean", "std", "min", "p5", "p25", "p50",
    "p75", "p95", "max", "top_categories",
  ]

  /// The summary as one CSV row under ``csvHeader``.
  ///
  /// Numbers are written in their shortest exact form (whole numbers without `.0`), a statistic
  /// that does not apply is an empty cell, and the top categories are one cell of
  /// `label=share` entries joined by `; `, most frequent first.
  public var csvRow: [String] {
    func text(_ value: Double?) -> String { value.map(NumberLabel.text) ?? "" }
    return [
      column, kind, String(count), String(missing), String(distinct), text(mean), text(std),
      text(min), text(p5), text(p25), text(p50), text(p75), text(p95), text(max),
      topCategories.map { "\($0.label)=\(NumberLabel.text($0.share))" }.joined(separator: "; "),
    ]
  }
}
