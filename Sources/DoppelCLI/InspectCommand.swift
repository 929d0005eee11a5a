import ArgumentParser
import Doppel
import Foundation

/// `doppel inspect`: detect each column's type, keys, personal data and missing rate.
struct InspectCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Detect column types, primary key, personal data and missing values.",
    discussion: """
      Prints a table of the detected metadata and writes it as editable JSON. Edit the JSON and
      pass it to other commands with --metadata to override detection.
      """)

  @Argument(help: "The input table (CSV, optionally gzip-compressed).")
  var input: String

  @Option(name: .shortAndLong, help: "Where to write the metadata JSON.")
  var output: String = "metadata.json"

  @OptionGroup var inputOptions: InputOptions
  @OptionGroup var style: OutputStyleOptions

  func run() async throws {
    let metadata = try TableSource.inspect(
      path: input, options: inputOptions.csvOptions(), metadataFile: inputOptions.metadata,
      progress: style.progress())
    print(MetadataTable.render(metadata))
    try writeFile(TableSource.encode(metadata), to: output)
    print("metadata written to \(output)")
  }
}

/// Renders metadata as a plain-text table.
enum MetadataTable {
  static func render(_ metadata: TableMetadata) -> String {
    var rows: [[String]] = [["column", "type", "details", "missing", "distinct", "notes"]]
    for column in metadata.columns {
      var details = ""
      var notes: [String] = []
      switch column.kind {
      case .numerical(let format):
        details = format.isInteger ? "integer" : format.decimals.map { "\($0) decimals" } ?? "float"
      case .categorical: details = ""
      case .boolean(let spelling): details = "\(spelling.trueText)/\(spelling.falseText)"
      case .datetime(let format): details = format.pattern
      case .id(let shape):
        switch shape {
        case .integer: details = "integer"
        case .uuid: details = "uuid"
        case .other: details = "text"
        case .prefixed(let prefix, let width): details = "\(prefix)+\(width) digits"
        }
      case .text: details = ""
      case .pii(let kind):
        details = kind.rawValue
        notes.append("personal data: replaced by fake values")
      }
      if metadata.primaryKey == column.name { notes.insert("primary key", at: 0) }
      let missing = column.missingRate.map { String(format: "%.1f%%", $0 * 100) } ?? ""
      let distinct = column.distinctCount.map(String.init) ?? ""
      rows.append([
        column.name, column.kind.name, details, missing, distinct, notes.joined(separator: "; "),
      ])
    }
    return TextGrid.render(rows)
  }
}

/// Lays out rows of text as aligned columns.
enum TextGrid {
  static func render(_ rows: [[String]]) -> String {
    guard let header = rows.first else { return "" }
    var widths = header.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    var lines: [String] = []
    for (index, row) in rows.enumerated() {
      let cells = row.enumerated().map { i, cell in
        cell + String(repeating: " ", count: widths[i] - cell.count)
      }
      lines.append(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
      if index == 0 {
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
      }
    }
    return lines.joined(separator: "\n")
  }
}
