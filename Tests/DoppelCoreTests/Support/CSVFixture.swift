import DoppelCore
import Foundation

/// Reads small CSV files for the tests, without DoppelIO (which this test target does not
/// import): RFC 4180 quoting, LF or CRLF line ends, one header row.
enum CSVFixture {
  /// The repository's `Examples/data` folder, which holds the shared data files with their
  /// licences (see its README.md).
  static let examples = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Examples/data")

  /// Reads a file of `Examples/data`.
  static func load(_ name: String) throws -> TextTable {
    parse(try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8))
  }

  /// The text of a file of `Examples/data`.
  static func text(of name: String) throws -> String {
    try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
  }

  /// Parses CSV text.
  static func parse(_ text: String) -> TextTable {
    var rows: [[String]] = []
    var row: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    var afterQuote = false
    let bytes = Array(text.utf8)
    var index = 0
    func endField() {
      row.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
    }
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      if inQuotes {
        if byte == UInt8(ascii: "\"") {
          if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
            field.append(byte)
            index += 1
          } else {
            inQuotes = false
            afterQuote = true
          }
        } else {
          field.append(byte)
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        inQuotes = true
      case UInt8(ascii: ","):
        endField()
        afterQuote = false
      case UInt8(ascii: "\r"):
        break
      case UInt8(ascii: "\n"):
        endField()
        rows.append(row)
        row.removeAll()
        afterQuote = false
      default:
        field.append(byte)
      }
    }
    if !field.isEmpty || !row.isEmpty || afterQuote {
      endField()
      rows.append(row)
    }
    let header = rows.first ?? []
    let body = rows.dropFirst()
    let columns = header.indices.map { column in body.map { $0[column] } }
    return TextTable(columnNames: header, columns: columns)
  }

  /// Writes a text table back to CSV, quoting only fields that need it.
  static func write(_ table: TextTable) -> String {
    func quoted(_ field: String) -> String {
      guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
        return field
      }
      return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    var lines = [table.columnNames.map(quoted).joined(separator: ",")]
    for row in 0..<table.rowCount {
      lines.append(table.columns.map { quoted($0[row]) }.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
