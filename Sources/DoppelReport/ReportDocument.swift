import DoppelMetrics

/// The report page being built: the evaluation, its title and options, and the parts every
/// section needs. Each section is written by a `ReportDocument+Section.swift` extension.
struct ReportDocument {
  /// One entry of the table of contents.
  struct SectionLink {
    /// The section's `id`.
    var id: String
    /// The section's heading.
    var title: String
  }

  /// The evaluation shown.
  let evaluation: Evaluation
  /// The report's title, not escaped yet.
  let title: String
  /// Display limits.
  let options: ReportOptions
  /// Column kinds by name, for lookups only (never iterated into the output).
  private let kinds: [String: String]

  /// The sections in page order.
  static let sections: [SectionLink] = [
    SectionLink(id: "headline", title: "Headline scores"),
    SectionLink(id: "distributions", title: "Column distributions"),
    SectionLink(id: "box-plots", title: "Box plots"),
    SectionLink(id: "scatter", title: "Most correlated pairs"),
    SectionLink(id: "correlations", title: "Correlation heatmaps"),
    SectionLink(id: "quality", title: "Quality by column and pair"),
    SectionLink(id: "summary", title: "Summary statistics"),
    SectionLink(id: "utility", title: "Machine-learning utility"),
    SectionLink(id: "privacy", title: "Privacy"),
    SectionLink(id: "model-card", title: "Model card"),
  ]

  /// Prepares a report.
  /// - Parameters:
  ///   - evaluation: The evaluation.
  ///   - title: The title.
  ///   - options: Display limits.
  init(evaluation: Evaluation, title: String, options: ReportOptions) {
    self.evaluation = evaluation
    self.title = title
    self.options = options
    var kinds: [String: String] = [:]
    for column in evaluation.dataset.columns where kinds[column.name] == nil {
      kinds[column.name] = column.kind
    }
    for summary in evaluation.summary.real where kinds[summary.column] == nil {
      kinds[summary.column] = summary.kind
    }
    self.kinds = kinds
  }

  /// The kind of a column (`numerical`, `categorical`, `datetime`, …), or `unknown`.
  /// - Parameter column: The column name.
  /// - Returns: The kind name.
  func kind(of column: String) -> String {
    kinds[column] ?? "unknown"
  }

  /// Whether a column holds dates (seconds since 1970 UTC).
  /// - Parameter column: The column name.
  /// - Returns: `true` for datetime columns.
  func isDate(_ column: String) -> Bool {
    kind(of: column) == "datetime"
  }

  /// The whole page.
  var html: String {
    var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
    out += "<meta name=\"generator\" content=\"Doppel\"/>\n"
    out += "<title>" + HTMLText.escape(title) + " · Doppel report</title>\n"
    out += "<style>\n" + ReportStyle.css + "</style>\n</head>\n<body>\n"
    out += header
    out += navigation
    out += "<main>\n"
    out += headlineSection
    out += distributionSection
    out += boxPlotSection
    out += scatterSection
    out += correlationSection
    out += qualitySection
    out += summarySection
    out += utilitySection
    out += privacySection
    out += modelCardSection
    out += "</main>\n"
    out += footer
    out += "</body>\n</html>\n"
    return out
  }

  /// Wraps a section's content with its heading.
  /// - Parameters:
  ///   - id: The section's `id`, from ``sections``.
  ///   - lead: A sentence under the heading saying what the section shows, not escaped yet.
  ///   - content: The section's markup.
  ///   - landscape: Whether the section prints on landscape pages (wide tables).
  /// - Returns: The `<section>` markup.
  func section(_ id: String, lead: String, content: String, landscape: Bool = false) -> String {
    let index = Self.sections.firstIndex { $0.id == id } ?? 0
    let heading = Self.sections.indices.contains(index) ? Self.sections[index].title : id
    return "<section id=\"\(id)\" class=\"report-section" + (landscape ? " landscape" : "")
      + "\">\n<h2><span class=\"number\">"
      + "\(index + 1).</span> " + HTMLText.escape(heading) + "</h2>\n<p class=\"lead\">"
      + HTMLText.escape(lead) + "</p>\n" + content + "</section>\n"
  }

  /// A plain statement that a part was not computed, and why.
  /// - Parameters:
  ///   - what: What is missing, such as `Utility was not computed`; not escaped yet.
  ///   - why: Why, and how to compute it; not escaped yet.
  /// - Returns: The markup.
  func absent(_ what: String, because why: String) -> String {
    "<div class=\"absent\"><p>" + Badge.notComputed.html + " <strong>" + HTMLText.escape(what)
      + "</strong> " + HTMLText.escape(why) + "</p></div>\n"
  }

  /// A figure: a caption above a chart.
  /// - Parameters:
  ///   - caption: The caption's markup, already escaped.
  ///   - chart: The chart's markup.
  ///   - wide: Whether the figure spans the whole width.
  /// - Returns: The `<figure>` markup.
  func figure(caption: String, chart: String, wide: Bool = false) -> String {
    "<figure class=\"chart-card" + (wide ? " wide" : "") + "\"><figcaption>" + caption
      + "</figcaption>" + chart + "</figure>\n"
  }

  /// A note in small type under a table or chart.
  /// - Parameter text: The note, not escaped yet.
  /// - Returns: The markup.
  func note(_ text: String) -> String {
    "<p class=\"note\">" + HTMLText.escape(text) + "</p>\n"
  }

  /// A value or the missing-value dash.
  /// - Parameters:
  ///   - value: The value.
  ///   - format: How to show a present value.
  /// - Returns: The text.
  func text(_ value: Double?, _ format: (Double) -> String) -> String {
    guard let value else { return NumberFormat.missing }
    return format(value)
  }

  /// "1 column", "2 columns": a count with its noun.
  /// - Parameters:
  ///   - count: The count.
  ///   - singular: The noun for one.
  ///   - plural: The noun for several; `singular + "s"` when `nil`.
  /// - Returns: The phrase.
  func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    NumberFormat.count(count) + " " + (count == 1 ? singular : (plural ?? singular + "s"))
  }
}
