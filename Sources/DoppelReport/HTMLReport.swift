import DoppelMetrics

/// Renders an ``Evaluation`` as one self-contained HTML page that a reviewer can open, print or
/// archive.
///
/// The page needs nothing but itself: charts are inline SVG, styles are inline CSS, there is no
/// script, no web font and no link to any other site. It reads in greyscale and for colour-blind
/// readers (Okabe–Ito colours plus hatching and distinct marks), prints with one section per page,
/// and holds no timestamp of its own, so the same evaluation always gives the same bytes.
///
/// ```swift
/// let html = HTMLReport.render(evaluation, title: "Lab panel, synthetic v2")
/// try html.write(toFile: "report.html", atomically: true, encoding: .utf8)
/// ```
public enum HTMLReport {
  /// Renders the report.
  ///
  /// Sections, in order: header, headline scores, column distributions, box plots, scatter plots
  /// of the most correlated pairs, correlation heatmaps, quality by column and pair, summary
  /// statistics, machine-learning utility, privacy, and the model card. A part the evaluation
  /// lacks (no label, no holdout, no model card) gets a section that says what was not computed
  /// and how to compute it.
  /// - Parameters:
  ///   - evaluation: The evaluation to show.
  ///   - title: The report's title, such as the table's name; escaped for HTML.
  ///   - options: Limits on how many charts, categories and rows to show.
  /// - Returns: The HTML document, UTF-8 text starting with `<!DOCTYPE html>`.
  /// - Complexity: O(c² + p + s) for c correlated columns, p pairs and s scatter points.
  public static func render(
    _ evaluation: Evaluation, title: String, options: ReportOptions = .init()
  ) -> String {
    ReportDocument(evaluation: evaluation, title: title, options: options).html
  }
}
