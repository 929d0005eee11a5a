import DoppelMetrics

extension ReportDocument {
  /// The model-card section: what made the synthetic table.
  var modelCardSection: String {
    let lead = "What made the synthetic table, so the result can be reproduced."
    guard let card = evaluation.modelCard else {
      return section(
        "model-card", lead: lead,
        content: absent(
          "No model card.",
          because: "The synthetic table was evaluated without the model that made it, so its"
            + " synthesizer, hyper-parameters and seed are unknown. Evaluate with the model file"
            + " (or use doppel run) to include them.")
          + modelCardFacts([("Evaluation time", NumberFormat.duration(evaluation.seconds))]))
    }
    var facts: [(String, String)] = [
      ("Synthesizer", card.synthesizer),
      ("Seed", card.seed.map { String($0) } ?? "not recorded"),
      (
        "Differential privacy",
        card.privacyBudget ?? "none: this synthesizer gives no formal privacy guarantee"
      ),
      (
        "Training data",
        counted(card.trainingRows, "row") + " × " + counted(card.trainingColumns, "column")
      ),
      ("Doppel version", card.doppelVersion),
      ("Fit time", card.fitSeconds.map(NumberFormat.duration) ?? "not recorded"),
      ("Sample time", card.sampleSeconds.map(NumberFormat.duration) ?? "not recorded"),
      ("Evaluation time", NumberFormat.duration(evaluation.seconds)),
    ]
    if card.hyperParameters.isEmpty { facts.insert(("Hyper-parameters", "defaults"), at: 1) }
    var content = modelCardFacts(facts)
    if !card.hyperParameters.isEmpty {
      let rows: [[HTMLTable.Cell]] = card.hyperParameters.keys.sorted().map { key in
        [
          HTMLTable.Cell(html: HTMLText.escape(key), header: true),
          HTMLTable.Cell(
            html: "<code>" + HTMLText.escape(card.hyperParameters[key] ?? "") + "</code>"),
        ]
      }
      content +=
        HTMLTable(
          caption: "Hyper-parameters of \(card.synthesizer)", headers: ["Parameter", "Value"],
          numericHeaders: [false, false], rows: rows, className: "data narrow"
        ).html
    }
    return section("model-card", lead: lead, content: content)
  }

  /// A definition list of facts.
  /// - Parameter facts: Names and values, not escaped yet.
  /// - Returns: The `<dl>` markup.
  private func modelCardFacts(_ facts: [(String, String)]) -> String {
    var out = "<dl class=\"model-card\">\n"
    for (name, value) in facts {
      out += "<div><dt>" + HTMLText.escape(name) + "</dt><dd>" + HTMLText.escape(value)
      out += "</dd></div>\n"
    }
    return out + "</dl>\n"
  }
}
