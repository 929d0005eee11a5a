import DoppelMetrics
import Foundation
import Testing

@testable import DoppelReport

@Suite("HTML report")
struct HTMLReportTests {
  static let full = HTMLReport.render(SampleEvaluation.full(), title: "Hospital admissions")
  static let minimal = HTMLReport.render(SampleEvaluation.minimal(), title: "Admissions, no label")

  @Test("the full report parses as well-formed markup")
  func fullReportIsWellFormed() {
    let result = MarkupChecker.check(Self.full)
    #expect(result.problems == [])
    #expect(result.elements["html"] == 1)
    #expect(result.elements["main"] == 1)
  }

  @Test("the markup checker rejects broken documents")
  func checkerRejectsBrokenMarkup() throws {
    let unclosed = Self.full.replacingOccurrences(of: "</figure>", with: "")
    #expect(!MarkupChecker.check(unclosed).isWellFormed)
    let misnested = "<!DOCTYPE html><html><body><p>a <b>bold</p></b></body></html>"
    #expect(!MarkupChecker.check(misnested).isWellFormed)
    let unquoted = "<!DOCTYPE html><html><body><p class=x>a</p></body></html>"
    #expect(!MarkupChecker.check(unquoted).isWellFormed)
    let htmlEntity = "<!DOCTYPE html><html><body><p>a&nbsp;b</p></body></html>"
    #expect(!MarkupChecker.check(htmlEntity).isWellFormed)
    let selfClosedDiv = "<!DOCTYPE html><html><body><div/></body></html>"
    #expect(!MarkupChecker.check(selfClosedDiv).isWellFormed)
    let good = "<!DOCTYPE html><html><body><p>a &amp; b</p><svg viewBox=\"0 0 1 1\"><rect/></svg>"
    #expect(MarkupChecker.check(good + "</body></html>").isWellFormed)
  }

  @Test("sections appear in the documented order")
  func sectionOrder() {
    let result = MarkupChecker.check(Self.full)
    #expect(
      result.sections == [
        "headline", "distributions", "box-plots", "scatter", "correlations", "quality", "summary",
        "utility", "privacy", "model-card",
      ])
  }

  @Test("every expected chart is present in its section")
  func chartsPerSection() {
    let charts = MarkupChecker.check(Self.full).svgBySection
    #expect(charts["distributions"] == 6)
    #expect(charts["box-plots"] == 4)
    #expect(charts["scatter"] == 2)
    #expect(charts["correlations"] == 3)
    #expect(charts["utility"] == 1)
    #expect(charts[""] == nil)
  }

  @Test("every chart has a legend, axis titles and a responsive viewBox")
  func chartsAreComplete() {
    let svgCount = Self.full.components(separatedBy: "<svg ").count - 1
    #expect(svgCount == 16)
    #expect(Self.full.components(separatedBy: "<g class=\"legend\">").count - 1 == svgCount)
    #expect(Self.full.components(separatedBy: " viewBox=\"0 0 ").count - 1 == svgCount)
    #expect(Self.full.contains("Share of rows"))
    #expect(Self.full.contains("Permutation importance on the real test set"))
    #expect(!Self.full.contains("width=\"480\""))
  }

  @Test("the report makes no network reference of any kind")
  func noNetwork() {
    for html in [Self.full, Self.minimal] {
      #expect(!html.contains("http://"))
      #expect(!html.contains("https://"))
      #expect(!html.contains("xmlns"))
      #expect(!html.contains("<script"))
      #expect(!html.contains("<link"))
      #expect(!html.contains("<img"))
      #expect(!html.contains("@import"))
      #expect(!html.contains("url(http"))
    }
  }

  @Test("column names and titles with markup characters are escaped")
  func escaping() {
    let names = ["a<b", "x & y", "\"quoted\"", "<script>", "it's", "tab\u{1}"]
    let html = HTMLReport.render(
      SampleEvaluation.full(names: names, rows: 300), title: "<h1>Title & \"more\"</h1>")
    #expect(MarkupChecker.check(html).problems == [])
    #expect(!html.contains("<script>"))
    #expect(!html.contains("a<b"))
    #expect(html.contains("a&lt;b"))
    #expect(html.contains("x &amp; y"))
    #expect(html.contains("&quot;quoted&quot;"))
    #expect(html.contains("it&#39;s"))
    #expect(html.contains("&lt;h1&gt;Title &amp; &quot;more&quot;&lt;/h1&gt;"))
    #expect(!html.contains("\u{1}"))
  }

  @Test("an evaluation without utility, holdout or model card says what was not computed and why")
  func absentParts() {
    let html = Self.minimal
    #expect(MarkupChecker.check(html).problems == [])
    #expect(html.contains("Utility was not computed."))
    #expect(html.contains("no label column was given (pass --label COLUMN"))
    #expect(html.contains("no holdout table was given (pass --holdout FILE)"))
    #expect(html.contains("No model card."))
    #expect(html.contains("Propensity score (pMSE) not computed."))
    #expect(html.contains("not computed: no holdout<"))
    #expect(html.contains("pass --holdout FILE to doppel evaluate"))
    let charts = MarkupChecker.check(html).svgBySection
    #expect(charts["utility"] == nil)
    #expect(charts["distributions"] == 6)
  }

  @Test("rendering the same evaluation twice gives the same bytes")
  func deterministic() {
    let again = HTMLReport.render(SampleEvaluation.full(), title: "Hospital admissions")
    #expect(Array(again.utf8) == Array(Self.full.utf8))
  }

  @Test("headline scores come first, each with a word-and-symbol badge and a meaning")
  func headline() throws {
    let html = Self.full
    let headline = try #require(html.range(of: "<section id=\"headline\""))
    let next = try #require(html.range(of: "<section id=\"distributions\""))
    let part = String(html[headline.lowerBound..<next.lowerBound])
    for name in [
      "Overall quality", "Column shapes", "Column pair trends", "Utility, macro F1 (TSTR / TRTR)",
      "Exact-copy rate", "DCR share closer to training", "Membership-inference AUC",
    ] {
      #expect(part.contains(name), "missing headline \(name)")
    }
    #expect(part.components(separatedBy: "<p class=\"meaning\">").count - 1 == 7)
    #expect(part.contains("✓</span> Good"))
    #expect(part.contains("!</span> Caution"))
    #expect(part.contains("0.64 / 0.70"))
  }

  @Test("scatter plots and tables state their sample sizes")
  func sampleSizes() {
    #expect(Self.full.contains("Real: 300 points sampled of 1,200"))
    #expect(Self.full.contains("Synthetic: 300 points sampled of 1,200"))
    #expect(Self.full.contains("computed on all 1,200 real and 1,200 synthetic rows"))
    #expect(Self.full.contains("Distances were computed on samples of 1,200 rows."))
    #expect(Self.full.contains("showing 14 of 14 pairs"))
  }

  @Test("datetime columns are labelled with dates, not seconds")
  func dateAxes() {
    #expect(Self.full.contains(">2016</text>"))
    #expect(!Self.full.contains("1,420,070,400"))
    #expect(Self.full.contains("2015-01-"))
  }

  @Test("privacy verdicts from the evaluation are shown with their badges")
  func privacyVerdicts() {
    #expect(Self.full.contains("58% of synthetic rows are closer to training rows"))
    #expect(Self.full.contains("Attribute disclosure (TCAP) of diagnosis"))
    #expect(Self.full.contains("✕</span> Risk"))
  }

  @Test("the model card lists hyper-parameters in key order")
  func modelCard() throws {
    let html = Self.full
    let first = try #require(html.range(of: ">defaultDistribution<"))
    let second = try #require(html.range(of: ">enforceMinMax<"))
    let third = try #require(html.range(of: ">numericalDistributions<"))
    #expect(first.lowerBound < second.lowerBound && second.lowerBound < third.lowerBound)
    #expect(html.contains("gaussian-copula"))
    #expect(html.contains(">42<"))
  }

  @Test("the print style starts sections on new pages and keeps charts whole")
  func printStyle() {
    let css = ReportStyle.css
    #expect(css.contains("@media print"))
    #expect(css.contains("break-before: page"))
    #expect(css.contains("break-inside: avoid"))
    #expect(css.contains("system-ui"))
    #expect(!css.contains("<") && !css.contains("&"))
  }

  @Test("options limit charts and pairs and say how many were left out")
  func options() {
    let html = HTMLReport.render(
      SampleEvaluation.full(), title: "Limited",
      options: ReportOptions(maxDistributionCharts: 2, maxCategories: 3, maxPairRows: 5))
    let charts = MarkupChecker.check(html).svgBySection
    #expect(charts["distributions"] == 2)
    #expect(html.contains("Showing 2 of 6 columns"))
    #expect(html.contains("showing 5 of 14 pairs"))
  }
}
