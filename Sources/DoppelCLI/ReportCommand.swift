import ArgumentParser
import Doppel
import Foundation

/// `doppel report`: turn an evaluation into one self-contained HTML file.
struct ReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Render an evaluation as one self-contained HTML report (and optionally a PDF).",
    discussion: """
      The HTML has no external references: it works offline and prints well. --pdf renders a
      PDF with headless Chromium when it is installed.
      """)

  @Argument(help: "The evaluation JSON written by `doppel evaluate` or `doppel run`.")
  var evaluation: String

  @Option(name: .shortAndLong, help: "Where to write the HTML report.")
  var output: String = "report.html"

  @Option(name: .long, help: "Also render a PDF here (needs Chromium).")
  var pdf: String?

  @Option(name: .long, help: "The report title.")
  var title: String = "Synthetic data report"

  func run() async throws {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: evaluation))
    } catch {
      throw DoppelError(
        .io, "cannot read the evaluation file; check the path", context: .init(file: evaluation))
    }
    let decoded: Evaluation
    do {
      decoded = try Evaluator.decode(data)
    } catch let error as DoppelError {
      throw error.inFile(evaluation)
    }
    try writeFile(Data(HTMLReport.render(decoded, title: title).utf8), to: output)
    print("report written to \(output)")
    if let pdf {
      try ReportRenderer.renderPDF(htmlPath: output, pdfPath: pdf)
      print("PDF written to \(pdf)")
    }
  }
}
