import DoppelMetrics

extension ReportDocument {
  /// The page header: title, what the report compares, and the shapes of the tables.
  var header: String {
    let dataset = evaluation.dataset
    var facts: [(String, String)] = [
      ("Real rows", NumberFormat.count(dataset.realRows)),
      ("Synthetic rows", NumberFormat.count(dataset.syntheticRows)),
      ("Holdout rows", dataset.holdoutRows.map(NumberFormat.count) ?? "none"),
      ("Columns", columnsFact),
      ("Label column", dataset.label ?? "none"),
    ]
    if let card = evaluation.modelCard {
      facts.append(("Synthesizer", card.synthesizer))
    }
    facts.append(("Evaluation time", NumberFormat.duration(evaluation.seconds)))
    var out =
      "<header class=\"report-header\">\n<p class=\"kicker\">Doppel synthetic data report</p>\n"
    out += "<h1>" + HTMLText.escape(title) + "</h1>\n"
    out +=
      "<p class=\"subtitle\">How closely a synthetic table follows the real one it was made"
      + " from, how useful it is for training models, and how much it reveals about real"
      + " records.</p>\n<dl class=\"facts\">\n"
    for (name, value) in facts {
      out += "<div><dt>" + HTMLText.escape(name) + "</dt><dd>" + HTMLText.escape(value)
      out += "</dd></div>\n"
    }
    return out + "</dl>\n</header>\n"
  }

  /// "6: 3 numerical, 2 categorical, 1 datetime", kinds in order of first appearance.
  private var columnsFact: String {
    var order: [String] = []
    var counts: [String: Int] = [:]
    for column in evaluation.dataset.columns {
      if counts[column.kind] == nil { order.append(column.kind) }
      counts[column.kind, default: 0] += 1
    }
    let parts = order.map { "\(counts[$0] ?? 0) \($0)" }
    let total = NumberFormat.count(evaluation.dataset.columns.count)
    return parts.isEmpty ? total : total + ": " + parts.joined(separator: ", ")
  }

  /// The table of contents.
  var navigation: String {
    var out = "<nav class=\"toc\" aria-label=\"Contents\"><ol>\n"
    for link in Self.sections {
      out += "<li><a href=\"#\(link.id)\">" + HTMLText.escape(link.title) + "</a></li>\n"
    }
    return out + "</ol></nav>\n"
  }

  /// The page footer: where the numbers come from and how the badges are set.
  var footer: String {
    var out = "<footer class=\"report-footer\">\n<p>Made by Doppel from an evaluation file"
    out += " (format version \(evaluation.formatVersion))"
    if let version = evaluation.modelCard?.doppelVersion {
      out += "; synthetic table made with Doppel " + HTMLText.escape(version)
    }
    out +=
      ". This page is self-contained: it loads nothing from the network and runs no script."
      + " Real data is shown in solid blue, synthetic data in hatched orange or as triangles.</p>\n"
    return out + "</footer>\n"
  }
}
