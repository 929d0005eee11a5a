import Foundation

/// The index page of a pipeline run: one row per table linking its report.
public enum PipelineIndex {
  /// Renders the index as one self-contained HTML page (no script, no external resources).
  /// - Parameters:
  ///   - outcomes: The tables' outcomes, in the order to list them.
  ///   - source: The source store's description.
  ///   - destination: The destination store's description.
  /// - Returns: The HTML document.
  public static func render(_ outcomes: [TableOutcome], source: String, destination: String)
    -> String
  {
    func number(_ value: Double?) -> String {
      value.map { String(format: "%.3f", $0) } ?? "–"
    }
    var rows = ""
    for outcome in outcomes {
      let name = escape(outcome.table)
      let link =
        (outcome.state == .done || outcome.state == .reused)
        ? "<a href=\"\(escape(percentEncoded(outcome.table)))/report.html\">\(name)</a>" : name
      let detail =
        outcome.error.map { "<span class=\"error\">\(escape($0))</span>" }
        ?? escape(outcome.choice?.reason ?? "")
      rows += """
        <tr class="\(outcome.state.rawValue)"><td>\(link)</td><td>\(outcome.state.rawValue)</td>\
        <td>\(escape(outcome.choice?.synthesizer ?? "–"))</td>\
        <td>\(outcome.realRows.map(String.init) ?? "–")</td>\
        <td>\(outcome.columns.map(String.init) ?? "–")</td>\
        <td>\(number(outcome.quality))</td>\
        <td>\(escape(outcome.label ?? "–"))</td>\
        <td>\(number(outcome.utilitySynthetic)) / \(number(outcome.utilityReal))</td>\
        <td>\(detail)</td></tr>

        """
    }
    let failed = outcomes.filter { $0.state == .failed }.count
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <title>Doppel pipeline</title>
      <style>
      body{font-family:system-ui,sans-serif;margin:2rem;color:#111}
      table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
      tr.failed td{background:#fde8e8}.error{font-family:monospace}
      </style></head><body>
      <h1>Doppel pipeline</h1>
      <p>Source: \(escape(source))<br>Destination: \(escape(destination))<br>
      \(outcomes.count) tables, \(failed) failed.</p>
      <p>Synthesizer rule: \(escape(SynthesizerChoice.ruleText)). A configuration file overrides it per table.</p>
      <p>Quality is the overall score in [0, 1]; utility is the decision tree's macro F1 (or R²) on
      real held-out rows, trained on synthetic / on real rows.</p>
      <table><thead><tr><th>table</th><th>state</th><th>synthesizer</th><th>rows</th><th>columns</th>\
      <th>quality</th><th>label</th><th>utility synthetic / real</th><th>why / error</th></tr></thead>
      <tbody>
      \(rows)</tbody></table>
      </body></html>

      """
  }

  static func escape(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      default: result.append(character)
      }
    }
    return result
  }

  static func percentEncoded(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? text
  }
}
