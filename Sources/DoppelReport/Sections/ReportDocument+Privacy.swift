import DoppelMetrics

extension ReportDocument {
  /// One row of the privacy table.
  private struct PrivacyRow {
    /// The verdict key, such as `exactCopyRate`.
    var measure: String
    /// The name shown.
    var name: String
    /// The value shown, or why it is missing.
    var value: String
    /// The ideal value.
    var ideal: String
    /// The judgement when the evaluation gives no verdict, or `nil` when there is no rule.
    var fallback: Badge?
    /// What the measure means, when no verdict text replaces it.
    var meaning: String
  }

  /// The privacy section: every measure with its value, ideal and verdict.
  var privacySection: String {
    let privacy = evaluation.privacy
    let noHoldout = "not computed: no holdout"
    var rows: [PrivacyRow] = [
      PrivacyRow(
        measure: "exactCopyRate", name: "Exact-copy rate",
        value: NumberFormat.percent(privacy.exactCopyRate, decimals: 2), ideal: "0%",
        fallback: Badge.lowerIsBetter(privacy.exactCopyRate, good: 0.01, caution: 0.05),
        meaning: "Share of synthetic rows identical to a training row."),
      PrivacyRow(
        measure: "dcrMedianTrain", name: "Median distance to closest training row",
        value: text(privacy.dcrMedianTrain) { NumberFormat.fixed($0, decimals: 3) },
        ideal: "like the holdout's", fallback: privacy.dcrMedianTrain == nil ? .notComputed : nil,
        meaning: "Gower distance from each synthetic row to its nearest training row."),
      PrivacyRow(
        measure: "dcrMedianHoldout", name: "Median distance to closest holdout row",
        value: privacy.dcrMedianHoldout.map { NumberFormat.fixed($0, decimals: 3) } ?? noHoldout,
        ideal: "like the training one",
        fallback: privacy.dcrMedianHoldout == nil ? .notComputed : nil,
        meaning: "The same distance to rows the synthesizer never saw."),
      PrivacyRow(
        measure: "dcrShareCloserToTrain", name: "DCR share closer to training",
        value: privacy.dcrShareCloserToTrain.map { NumberFormat.percent($0) } ?? noHoldout,
        ideal: "50%",
        fallback: privacy.dcrShareCloserToTrain.map {
          Badge.lowerIsBetter($0, good: 0.6, caution: 0.7)
        } ?? .notComputed,
        meaning: "Near 100% means synthetic rows sit closer to training rows than chance allows."),
      PrivacyRow(
        measure: "nndrMedian", name: "Median nearest-neighbour distance ratio",
        value: text(privacy.nndrMedian) { NumberFormat.fixed($0, decimals: 3) },
        ideal: "well above 0", fallback: privacy.nndrMedian == nil ? .notComputed : nil,
        meaning: "Closest over second-closest training row; near 0 means rows copy single records."),
      PrivacyRow(
        measure: "membershipInferenceAUC", name: "Membership-inference AUC",
        value: privacy.membershipInferenceAUC.map { NumberFormat.fixed($0, decimals: 3) }
          ?? noHoldout,
        ideal: "0.5",
        fallback: privacy.membershipInferenceAUC.map {
          Badge.lowerIsBetter($0, good: 0.6, caution: 0.7)
        } ?? .notComputed,
        meaning: "How well a distance-based attacker tells training rows from holdout rows."),
    ]
    if let disclosure = privacy.attributeDisclosure {
      rows.append(
        PrivacyRow(
          measure: "attributeDisclosure",
          name: "Attribute disclosure (TCAP) of \(disclosure.sensitive)",
          value: NumberFormat.percent(disclosure.tcap) + " (baseline "
            + NumberFormat.percent(disclosure.baseline) + ", keys matched "
            + NumberFormat.percent(disclosure.matchRate) + ")",
          ideal: "near the baseline", fallback: nil,
          meaning: "How often knowing " + disclosure.keys.joined(separator: ", ")
            + " of a real person reveals their \(disclosure.sensitive)."))
    } else {
      rows.append(
        PrivacyRow(
          measure: "attributeDisclosure", name: "Attribute disclosure (TCAP)",
          value: "not computed", ideal: "near the baseline", fallback: .notComputed,
          meaning: "No key and sensitive columns were chosen for this evaluation."))
    }
    var cells: [[HTMLTable.Cell]] = []
    var used: [Int] = []
    for row in rows {
      let index = privacy.verdicts.firstIndex { $0.measure == row.measure }
      if let index { used.append(index) }
      let verdict = index.map { privacy.verdicts[$0] }
      let stated = verdict.map { Badge(level: $0.level) }
      let badge = stated == nil || stated == .notComputed ? row.fallback : stated
      let verdictHTML = badge?.html ?? "<span class=\"muted\">no verdict</span>"
      cells.append([
        HTMLTable.Cell(html: HTMLText.escape(row.name), header: true),
        row.value.hasPrefix("not computed") ? .text(row.value) : .number(row.value),
        .number(row.ideal),
        HTMLTable.Cell(html: verdictHTML),
        .text(verdict?.text ?? row.meaning),
      ])
    }
    for (index, verdict) in privacy.verdicts.enumerated() where !used.contains(index) {
      cells.append([
        HTMLTable.Cell(html: HTMLText.escape(verdict.measure), header: true),
        .number(NumberFormat.missing), .number(NumberFormat.missing),
        HTMLTable.Cell(html: Badge(level: verdict.level).html), .text(verdict.text),
      ])
    }
    let table = HTMLTable(
      caption: "Privacy measures and verdicts",
      headers: ["Measure", "Value", "Ideal", "Verdict", "What it means"],
      numericHeaders: [false, true, true, false, false], rows: cells)
    var lead =
      "How much the synthetic table reveals about the real rows it was made from: copies,"
      + " distances to the closest real rows, and simulated attacks."
    if let sample = privacy.distanceSampleSize {
      lead += " Distances were computed on samples of \(NumberFormat.count(sample)) rows."
    }
    var content = table.html
    if privacy.dcrShareCloserToTrain == nil && privacy.membershipInferenceAUC == nil {
      content += note(
        "The distance-to-holdout share and the membership-inference attack need rows the"
          + " synthesizer never saw; pass --holdout FILE to doppel evaluate to compute them.")
    }
    return section("privacy", lead: lead, content: content)
  }
}
