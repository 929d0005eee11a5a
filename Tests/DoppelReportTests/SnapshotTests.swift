import DoppelMetrics
import Foundation
import Testing

@testable import DoppelReport

@Suite("Report snapshot")
struct SnapshotTests {
  static let snapshotURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots/small-report.html")

  @Test("a small report matches its snapshot byte for byte (DOPPEL_UPDATE_SNAPSHOTS=1 rewrites it)")
  func smallReportSnapshot() throws {
    let html = HTMLReport.render(SampleEvaluation.small(), title: "Small lab panel")
    let bytes = Data(html.utf8)
    if ProcessInfo.processInfo.environment["DOPPEL_UPDATE_SNAPSHOTS"] == "1" {
      try bytes.write(to: Self.snapshotURL, options: .atomic)
      return
    }
    let expected = try #require(
      try? Data(contentsOf: Self.snapshotURL),
      "no snapshot at \(Self.snapshotURL.path); run with DOPPEL_UPDATE_SNAPSHOTS=1 to create it")
    if bytes != expected {
      let actual = html.split(separator: "\n", omittingEmptySubsequences: false)
      let wanted = String(decoding: expected, as: UTF8.self)
        .split(separator: "\n", omittingEmptySubsequences: false)
      let line =
        zip(actual, wanted).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? Swift.min(actual.count, wanted.count)
      let message =
        "the report differs from Snapshots/small-report.html at line \(line + 1);"
        + " if the change is intended, rerun with DOPPEL_UPDATE_SNAPSHOTS=1"
      Issue.record(Comment(rawValue: message))
    }
    #expect(MarkupChecker.check(html).problems == [])
  }
}
