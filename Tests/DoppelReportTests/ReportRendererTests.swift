import DoppelCore
import DoppelMetrics
import Foundation
import Testing

@testable import DoppelReport

/// Chromium tests run when Chromium is installed, and always when `CI` is set (where a missing
/// Chromium fails them); elsewhere they are skipped with this message.
private let chromiumAvailable =
  ReportRenderer.chromiumPath != nil || ProcessInfo.processInfo.environment["CI"] != nil

@Suite(
  "Rendering with headless Chromium", .serialized,
  .enabled(
    if: chromiumAvailable,
    "Chromium is not installed (apt-get install chromium); skipped outside CI, required when CI is set"
  ))
struct ReportRendererTests {
  /// A fresh directory holding the sample report; kept in `DOPPEL_REPORT_ARTIFACTS` if set.
  private func sampleReport() throws -> URL {
    let environment = ProcessInfo.processInfo.environment
    let directory: URL
    if let kept = environment["DOPPEL_REPORT_ARTIFACTS"], !kept.isEmpty {
      directory = URL(fileURLWithPath: kept)
    } else {
      directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("doppel-report-\(UInt64.random(in: 0...UInt64.max))")
    }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let html = HTMLReport.render(SampleEvaluation.full(), title: "Hospital admissions")
    let path = directory.appendingPathComponent("report.html")
    try Data(html.utf8).write(to: path)
    if environment["DOPPEL_REPORT_ARTIFACTS"]?.isEmpty == false {
      let minimal = HTMLReport.render(SampleEvaluation.minimal(), title: "Admissions, no label")
      try Data(minimal.utf8).write(to: directory.appendingPathComponent("minimal-report.html"))
    }
    return path
  }

  private func cleanUp(_ html: URL) {
    if ProcessInfo.processInfo.environment["DOPPEL_REPORT_ARTIFACTS"]?.isEmpty ?? true {
      try? FileManager.default.removeItem(at: html.deletingLastPathComponent())
    }
  }

  @Test("the sample report renders to a non-blank PNG showing both data colours")
  func png() throws {
    let html = try sampleReport()
    defer { cleanUp(html) }
    let png = html.deletingLastPathComponent().appendingPathComponent("report.png")
    try ReportRenderer.renderPNG(htmlPath: html.path, pngPath: png.path)
    let data = try Data(contentsOf: png)
    #expect(data.count > 50_000, "a screenshot of the report should not be tiny")
    #expect(Array(data.prefix(8)) == PNGImage.signature)
    let image = try PNGImage(data: data)
    #expect(image.width == 1280)
    #expect(image.height == 2000)
    var colours = Set<Int>()
    var blue = 0
    var orange = 0
    for y in stride(from: 0, to: image.height, by: 4) {
      for x in stride(from: 0, to: image.width, by: 4) {
        let (r, g, b) = image.rgb(x: x, y: y)
        colours.insert(r << 16 | g << 8 | b)
        if Swift.abs(r - 0x00) + Swift.abs(g - 0x72) + Swift.abs(b - 0xB2) < 30 { blue += 1 }
        if Swift.abs(r - 0xE6) + Swift.abs(g - 0x9F) + Swift.abs(b - 0x00) < 30 { orange += 1 }
      }
    }
    #expect(colours.count > 50, "the screenshot looks blank")
    #expect(blue > 100, "no real-data blue in the first screen")
    #expect(orange > 100, "no synthetic-data orange in the first screen")
  }

  @Test("the sample report prints to a PDF with a page per section")
  func pdf() throws {
    let html = try sampleReport()
    defer { cleanUp(html) }
    let pdf = html.deletingLastPathComponent().appendingPathComponent("report.pdf")
    try ReportRenderer.renderPDF(htmlPath: html.path, pdfPath: pdf.path)
    let data = try Data(contentsOf: pdf)
    #expect(data.starts(with: Array("%PDF-".utf8)))
    let text = String(decoding: data, as: UTF8.self)
    let pages =
      text.components(separatedBy: "/Type /Page").count
      - text.components(separatedBy: "/Type /Pages").count
    #expect(pages >= 10, "each of the 10 sections starts a page; found \(pages) pages")
  }
}
