import DoppelMetrics

extension ReportDocument {
  /// One column's summaries in both tables.
  private struct SummaryPair {
    var column: String
    var real: ColumnSummary?
    var synthetic: ColumnSummary?

    /// Whether the column has moments and percentiles (numbers and dates).
    var isNumeric: Bool {
      real?.mean != nil || synthetic?.mean != nil || real?.p50 != nil || synthetic?.p50 != nil
    }
  }

  /// The summary-statistics section: numbers and dates in one table, categories in another,
  /// each column's real row above its synthetic row.
  var summarySection: String {
    let summary = evaluation.summary
    let lead =
      "Counts, moments and percentiles of every column, computed on all "
      + NumberFormat.count(evaluation.dataset.realRows) + " real and "
      + NumberFormat.count(evaluation.dataset.syntheticRows)
      + " synthetic rows. Dates are shown in UTC."
    guard !summary.real.isEmpty || !summary.synthetic.isEmpty else {
      return section(
        "summary", lead: lead,
        content: absent(
          "No summary statistics.", because: "The evaluation holds no column summaries."))
    }
    var names = summary.real.map(\.column)
    for entry in summary.synthetic where !names.contains(entry.column) {
      names.append(entry.column)
    }
    let pairs = names.map { name in
      SummaryPair(
        column: name, real: summary.real.first { $0.column == name },
        synthetic: summary.synthetic.first { $0.column == name })
    }
    let numeric = pairs.filter(\.isNumeric)
    let categorical = pairs.filter { !$0.isNumeric }
    var content = ""
    if !numeric.isEmpty {
      content += numericTable(numeric).html
    }
    if !categorical.isEmpty {
      content += categoricalTable(categorical).html
    }
    return section("summary", lead: lead, content: content, landscape: true)
  }

  /// The first cells of a column's two rows: name and kind (spanning both), then the table.
  private func leadingCells(_ pair: SummaryPair, real: Bool) -> [HTMLTable.Cell] {
    var cells: [HTMLTable.Cell] = []
    if real {
      cells.append(HTMLTable.Cell(html: HTMLText.escape(pair.column), rowSpan: 2, header: true))
      let kind = pair.real?.kind ?? pair.synthetic?.kind ?? kind(of: pair.column)
      cells.append(HTMLTable.Cell(html: HTMLText.escape(kind), rowSpan: 2))
    }
    cells.append(
      HTMLTable.Cell(
        html: real
          ? "<span class=\"series real\">Real</span>"
          : "<span class=\"series synthetic\">Synthetic</span>"))
    return cells
  }

  /// Rows, missing values (with their share) and distinct values.
  private func countCells(_ entry: ColumnSummary) -> [HTMLTable.Cell] {
    let share =
      entry.count > 0
      ? " (" + NumberFormat.percent(Double(entry.missing) / Double(entry.count)) + ")" : ""
    return [
      .number(NumberFormat.count(entry.count)),
      .number(NumberFormat.count(entry.missing) + share),
      .number(NumberFormat.count(entry.distinct)),
    ]
  }

  private func numericTable(_ pairs: [SummaryPair]) -> HTMLTable {
    var rows: [[HTMLTable.Cell]] = []
    for pair in pairs {
      let isDate = isDate(pair.column)
      let values = [pair.real, pair.synthetic].compactMap { $0 }
      let low = values.compactMap(\.min).min() ?? 0
      let high = values.compactMap(\.max).max() ?? 0
      let withTime = high - low < 2 * 86_400
      let show = { (value: Double) -> String in
        guard isDate else { return NumberFormat.number(value) }
        return withTime ? NumberFormat.date(value) : CivilTime(seconds: value).dateText
      }
      for (index, entry) in [pair.real, pair.synthetic].enumerated() {
        var row = leadingCells(pair, real: index == 0)
        guard let entry else {
          row += Array(repeating: .number(NumberFormat.missing), count: 12)
          rows.append(row)
          continue
        }
        row += countCells(entry)
        row.append(.number(text(entry.mean, show)))
        row.append(
          .number(text(entry.std) { isDate ? NumberFormat.span($0) : NumberFormat.number($0) }))
        for value in [entry.min, entry.p5, entry.p25, entry.p50, entry.p75, entry.p95, entry.max] {
          row.append(.number(text(value, show)))
        }
        rows.append(row)
      }
    }
    return HTMLTable(
      caption: "Numbers and dates (\(counted(pairs.count, "column")))",
      headers: [
        "Column", "Kind", "Table", "Rows", "Missing", "Distinct", "Mean", "Std", "Min", "P5", "P25",
        "Median", "P75", "P95", "Max",
      ],
      numericHeaders: [false, false, false] + Array(repeating: true, count: 12), rows: rows,
      className: "data summary")
  }

  private func categoricalTable(_ pairs: [SummaryPair]) -> HTMLTable {
    var rows: [[HTMLTable.Cell]] = []
    for pair in pairs {
      for (index, entry) in [pair.real, pair.synthetic].enumerated() {
        var row = leadingCells(pair, real: index == 0)
        guard let entry else {
          row += Array(repeating: .number(NumberFormat.missing), count: 3)
          row.append(.text("not in this table"))
          rows.append(row)
          continue
        }
        row += countCells(entry)
        let top = entry.topCategories.prefix(5).map {
          $0.label + " " + NumberFormat.percent($0.share, decimals: 0)
        }.joined(separator: " · ")
        row.append(.text(top.isEmpty ? NumberFormat.missing : top))
        rows.append(row)
      }
    }
    return HTMLTable(
      caption: "Categories and other columns (\(counted(pairs.count, "column")))",
      headers: ["Column", "Kind", "Table", "Rows", "Missing", "Distinct", "Most frequent values"],
      numericHeaders: [false, false, false, true, true, true, false], rows: rows,
      className: "data summary")
  }
}
