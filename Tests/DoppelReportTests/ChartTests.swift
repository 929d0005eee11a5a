import DoppelMetrics
import Foundation
import Testing

@testable import DoppelReport

@Suite("SVG charts and formatting")
struct ChartTests {
  @Test(
    "numeric ticks fall on 1-2-5 steps and cover the range",
    arguments: [(0.0, 97.0), (-3.2, 4.9), (0.0012, 0.0187), (18.0, 90.0), (0.0, 183_456.0)])
  func niceTicks(lower: Double, upper: Double) throws {
    let axis = Axis.numeric(lower: lower, upper: upper)
    #expect(axis.ticks.count >= 3 && axis.ticks.count <= 12)
    #expect(axis.lower <= lower && axis.upper >= upper)
    let first = try #require(axis.ticks.first)
    let second = try #require(axis.ticks.dropFirst().first)
    let step = second.value - first.value
    let mantissa = step / pow(10, floor(log10(step)))
    #expect([1.0, 2.0, 5.0].contains { Swift.abs($0 - mantissa) < 1e-6 }, "step \(step)")
  }

  @Test("tick labels are compact and free of floating-point dust")
  func tickLabels() {
    let unit = Axis.numeric(lower: 0, upper: 1).ticks.map(\.label)
    #expect(unit == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    let large = Axis.numeric(lower: 0, upper: 183_456).ticks.map(\.label)
    #expect(large == ["0", "50k", "100k", "150k", "200k"])
    #expect(Axis.share(maximum: 0.27).ticks.map(\.label) == ["0%", "10%", "20%", "30%"])
    #expect(NumberFormat.compact(2_500_000, step: 500_000) == "2.5M")
  }

  @Test("numbers are formatted without locale: separators, decimals, scientific")
  func numbers() {
    #expect(NumberFormat.count(1_234_567) == "1,234,567")
    #expect(NumberFormat.count(-12_000) == "-12,000")
    #expect(NumberFormat.number(1_234.5678) == "1,235")
    #expect(NumberFormat.number(12.345678) == "12.35")
    #expect(NumberFormat.number(0.000012) == "1.2e-5")
    #expect(NumberFormat.number(-0.5) == "-0.5")
    #expect(NumberFormat.fixed(-0.004, decimals: 2) == "0.00")
    #expect(NumberFormat.percent(0.8766) == "87.7%")
    #expect(NumberFormat.pValue(0.0002) == "< 0.001")
    #expect(NumberFormat.duration(0.27) == "270 ms")
    #expect(NumberFormat.duration(125) == "2 min 5 s")
    #expect(NumberFormat.number(.nan) == "–")
  }

  @Test("dates are converted in UTC without the local calendar")
  func dates() {
    #expect(NumberFormat.date(0) == "1970-01-01")
    #expect(NumberFormat.date(1_420_070_400) == "2015-01-01")
    #expect(NumberFormat.date(1_709_164_800 + 13 * 3600 + 5 * 60) == "2024-02-29 13:05")
    #expect(NumberFormat.date(-86_400) == "1969-12-31")
    #expect(CivilTime.seconds(year: 2024, month: 2, day: 29) == 1_709_164_800)
    #expect(CivilTime.seconds(year: 2023, month: 13, day: 1) == 1_704_067_200)
  }

  @Test("date axes tick on whole years, months or days")
  func dateTicks() {
    let years = Axis.dates(lower: 1_420_070_400, upper: 1_703_980_800)
    #expect(years.ticks.map(\.label).contains("2016"))
    #expect(years.ticks.allSatisfy { $0.label.count == 4 })
    let months = Axis.dates(lower: 1_704_067_200, upper: 1_704_067_200 + 200 * 86_400)
    #expect(months.ticks.first?.label == "2024-01")
    let days = Axis.dates(lower: 1_704_067_200, upper: 1_704_067_200 + 10 * 86_400)
    #expect(days.ticks.count >= 3)
    #expect(days.ticks.allSatisfy { $0.label.hasPrefix("2024-01-") && $0.label.count == 10 })
  }

  @Test("the diverging palette runs blue through white to orange")
  func palette() {
    #expect(Palette.diverging(-1) == "#0072B2")
    #expect(Palette.diverging(0) == "#FFFFFF")
    #expect(Palette.diverging(1) == "#E69F00")
    #expect(Palette.diverging(7) == "#E69F00")
    #expect(Palette.diverging(.nan) == "#BBBBBB")
  }

  @Test("text is escaped for HTML and XML, control characters replaced")
  func escaping() {
    #expect(HTMLText.escape("a<b>&\"c\"'") == "a&lt;b&gt;&amp;&quot;c&quot;&#39;")
    #expect(HTMLText.escape("x\u{0}y") == "x\u{FFFD}y")
    #expect(HTMLText.truncate("abcdefgh", limit: 5) == "abcd…")
  }

  @Test("every chart builder returns a well-formed, self-contained svg with a legend")
  func builders() throws {
    let box = ChartData.BoxStats(lowerWhisker: 1, q1: 3, median: 4, q3: 6, upperWhisker: 9)
    let charts = [
      SVGChart.histogram(
        id: "h", edges: [0, 1, 2, 3], real: [0.2, 0.5, 0.3], synthetic: [0.25, 0.45, 0.3],
        title: "x", isDate: false),
      SVGChart.bars(
        id: "b", labels: ["a", "b & c"], real: [0.4, 0.6], synthetic: [0.5, 0.5], title: "kind"),
      SVGChart.boxPlot(id: "p", real: box, synthetic: nil, title: "x", isDate: false),
      SVGChart.scatter(
        id: "s",
        panels: [
          .init(points: [[1, 2], [2, 3]], caption: "Real", isSynthetic: false),
          .init(points: [[1, 2.5]], caption: "Synthetic", isSynthetic: true),
        ], xTitle: "x", yTitle: "y", xIsDate: false, yIsDate: false),
      SVGChart.heatmap(
        id: "m", columns: ["a", "b"], values: [1, 0.3, 0.3, 1], limit: 1, title: "Real",
        scaleTitle: "r", showValues: true),
      SVGChart.horizontalBars(
        id: "i", groups: [.init(label: "a", real: 0.2, synthetic: -0.01)], realName: "TRTR",
        syntheticName: "TSTR", title: "importance"),
    ]
    for chart in charts {
      #expect(chart.hasPrefix("<svg class=\"chart\""))
      #expect(MarkupChecker.check(chart, requireDoctype: false).problems == [])
      #expect(chart.contains("<g class=\"legend\">"))
      #expect(!chart.contains("http"))
    }
    #expect(charts[0].contains("url(#h-hatch)"))
    #expect(charts[4].contains("<title>a × b: 0.30</title>"))
  }

  @Test("charts survive empty and non-finite input")
  func degenerateInput() {
    let charts = [
      SVGChart.histogram(id: "h", edges: [], real: [], synthetic: [], title: "x", isDate: false),
      SVGChart.histogram(
        id: "n", edges: [1, 1], real: [.nan], synthetic: [.infinity], title: "x", isDate: true),
      SVGChart.bars(id: "b", labels: [], real: [], synthetic: [], title: "x"),
      SVGChart.scatter(
        id: "s", panels: [], xTitle: "x", yTitle: "y", xIsDate: false, yIsDate: false),
      SVGChart.heatmap(
        id: "m", columns: ["a"], values: [.nan], limit: 1, title: "t", scaleTitle: "r",
        showValues: true),
    ]
    for chart in charts {
      #expect(MarkupChecker.check(chart, requireDoctype: false).problems == [])
      #expect(!chart.contains("nan") && !chart.contains("inf"))
    }
  }
}
