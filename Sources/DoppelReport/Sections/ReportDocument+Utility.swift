import DoppelMetrics

extension ReportDocument {
  /// The utility section: TSTR against TRTR scores and variable importance.
  var utilitySection: String {
    guard let utility = evaluation.utility else {
      return section(
        "utility",
        lead: "Whether a model trained on the synthetic table predicts real data as well as one"
          + " trained on the real table.",
        content: absent("Utility was not computed.", because: missingUtilityReason))
    }
    let lead =
      "A \(utility.model) \(utility.task) model predicting \(utility.label) was trained on the"
      + " synthetic table (TSTR) and on the real table (TRTR); both were tested on the same "
      + NumberFormat.count(utility.testRows) + " real rows that neither saw."
      + (utility.sampledTrainingRows.map {
        " Each model was trained on a seeded sample of " + NumberFormat.count($0)
          + " rows of its table."
      } ?? "")
    var content = scoreTable(utility).html
    content += importanceContent(utility)
    return section("utility", lead: lead, content: content)
  }

  /// TSTR and TRTR scores, one metric per row.
  private func scoreTable(_ utility: UtilityResult) -> HTMLTable {
    let metrics: [(String, Double?, Double?, Bool)] = [
      ("Accuracy", utility.tstr.accuracy, utility.trtr.accuracy, true),
      ("Macro F1", utility.tstr.f1Macro, utility.trtr.f1Macro, true),
      ("ROC AUC", utility.tstr.rocAUC, utility.trtr.rocAUC, true),
      ("R²", utility.tstr.r2, utility.trtr.r2, true),
      ("Mean absolute error (lower is better)", utility.tstr.mae, utility.trtr.mae, false),
    ]
    var rows: [[HTMLTable.Cell]] = []
    for (name, tstr, trtr, higherIsBetter) in metrics where tstr != nil || trtr != nil {
      let format = { (value: Double) in
        higherIsBetter ? NumberFormat.fixed(value, decimals: 3) : NumberFormat.number(value)
      }
      var ratio = NumberFormat.missing
      var badge = ""
      if let tstr, let trtr, trtr != 0, tstr.isFinite, trtr.isFinite {
        let share = higherIsBetter ? tstr / trtr : trtr / tstr
        ratio = NumberFormat.percent(share, decimals: 0)
        badge = " " + Badge.higherIsBetter(share, good: 0.9, caution: 0.75).html
      }
      rows.append([
        HTMLTable.Cell(html: HTMLText.escape(name), header: true),
        .number(text(tstr, format)),
        .number(text(trtr, format)),
        HTMLTable.Cell(html: HTMLText.escape(ratio) + badge, numeric: true),
      ])
    }
    return HTMLTable(
      caption: "Scores on \(NumberFormat.count(utility.testRows)) real test rows",
      headers: [
        "Metric", "TSTR (trained on synthetic)", "TRTR (trained on real)", "TSTR as share of TRTR",
      ], numericHeaders: [false, true, true, true], rows: rows)
  }

  /// The importance chart and table.
  private func importanceContent(_ utility: UtilityResult) -> String {
    guard !utility.importance.isEmpty else {
      return absent(
        "No variable importance.", because: "The utility result holds no feature importances.")
    }
    let ranked = utility.importance.enumerated().sorted { left, right in
      let a = left.element.trtrPermutation
      let b = right.element.trtrPermutation
      if a != b && a.isFinite && b.isFinite { return a > b }
      return left.offset < right.offset
    }.map(\.element)
    let shown = ranked.prefix(options.maxImportanceFeatures)
    let chart = SVGChart.horizontalBars(
      id: "importance",
      groups: shown.map {
        SVGChart.BarGroup(label: $0.column, real: $0.trtrPermutation, synthetic: $0.tstrPermutation)
      }, realName: "Trained on real (TRTR)", syntheticName: "Trained on synthetic (TSTR)",
      title: "Permutation importance on the real test set")
    var caption = "<strong>Variable importance</strong> · permutation importance, "
    caption += "\(shown.count) of \(counted(ranked.count, "feature")), TRTR order"
    if let rank = utility.importanceRankCorrelation {
      caption += " · Spearman rank correlation of TSTR and TRTR importance "
      caption += NumberFormat.fixed(rank, decimals: 2)
    }
    var out = figure(caption: caption, chart: chart, wide: true)
    let rows: [[HTMLTable.Cell]] = shown.map { feature in
      [
        HTMLTable.Cell(html: HTMLText.escape(feature.column), header: true),
        .number(NumberFormat.fixed(feature.trtrPermutation, decimals: 4)),
        .number(NumberFormat.fixed(feature.tstrPermutation, decimals: 4)),
        .number(NumberFormat.fixed(feature.trtrImpurity, decimals: 4)),
        .number(NumberFormat.fixed(feature.tstrImpurity, decimals: 4)),
      ]
    }
    out +=
      HTMLTable(
        caption: "Variable importance (showing \(shown.count) of"
          + " \(counted(ranked.count, "feature")))",
        headers: [
          "Feature", "Permutation, TRTR", "Permutation, TSTR", "Impurity, TRTR", "Impurity, TSTR",
        ], numericHeaders: [false, true, true, true, true], rows: rows
      ).html
    return out
  }
}
