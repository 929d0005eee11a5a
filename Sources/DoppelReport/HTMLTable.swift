/// A data table: header cells, body rows of ready-made cell markup, and a caption.
struct HTMLTable {
  /// One body cell.
  struct Cell {
    /// The cell's markup, already escaped.
    var html: String
    /// Whether the cell holds a number (right-aligned, tabular figures).
    var numeric: Bool = false
    /// How many rows the cell spans.
    var rowSpan: Int = 1
    /// Whether the cell is a row header (`<th scope="row">`).
    var header: Bool = false

    /// A text cell.
    /// - Parameter text: The text, not escaped yet.
    /// - Returns: The cell.
    static func text(_ text: String) -> Cell {
      Cell(html: HTMLText.escape(text))
    }

    /// A number cell.
    /// - Parameter text: The formatted number.
    /// - Returns: The cell.
    static func number(_ text: String) -> Cell {
      Cell(html: HTMLText.escape(text), numeric: true)
    }
  }

  /// The caption, not escaped yet.
  var caption: String
  /// The header cells, not escaped yet.
  var headers: [String]
  /// Which header cells sit over numbers.
  var numericHeaders: [Bool]
  /// The body rows.
  var rows: [[Cell]]
  /// A CSS class for the table.
  var className: String = "data"

  /// The table inside a horizontally scrollable wrapper.
  var html: String {
    var out = "<div class=\"table-wrap\"><table class=\"\(className)\">"
    out += "<caption>" + HTMLText.escape(caption) + "</caption><thead><tr>"
    for (index, header) in headers.enumerated() {
      let numeric = index < numericHeaders.count && numericHeaders[index]
      out += "<th scope=\"col\"" + (numeric ? " class=\"num\"" : "") + ">"
      out += HTMLText.escape(header) + "</th>"
    }
    out += "</tr></thead><tbody>"
    for row in rows {
      out += "<tr>"
      for cell in row {
        let tag = cell.header ? "th" : "td"
        out += "<" + tag
        if cell.header { out += " scope=\"row\"" }
        if cell.numeric { out += " class=\"num\"" }
        if cell.rowSpan > 1 { out += " rowspan=\"\(cell.rowSpan)\"" }
        out += ">" + cell.html + "</" + tag + ">"
      }
      out += "</tr>\n"
    }
    return out + "</tbody></table></div>\n"
  }
}
