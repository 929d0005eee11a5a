import DoppelCore
import DoppelReport
import Foundation
import Testing

@Suite("Rendering errors")
struct ReportRendererErrorTests {
  @Test("a missing HTML file is an io error that names the file")
  func missingInput() {
    #expect {
      try ReportRenderer.renderPNG(htmlPath: "/nonexistent/report.html", pngPath: "/tmp/x.png")
    } throws: { error in
      guard let error = error as? DoppelError else { return false }
      return error.code == .io && error.context.file == "/nonexistent/report.html"
    }
  }
}
