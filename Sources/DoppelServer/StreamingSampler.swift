import Doppel
import Foundation
import HTTPTypes

/// Encodes a model's sample chunk by chunk as CSV or JSON Lines, optionally keeping only rows
/// that meet `column = value` conditions.
///
/// Conditions are met by rejection sampling: rows are drawn from the model's deterministic stream
/// in order and kept when every condition holds, so the same model, seed and conditions give the
/// same rows. A condition that too few drawn rows meet is refused rather than looped on.
struct StreamingSampler: Sendable {
  /// Rows generated at a time.
  static let chunkRows = 4_096
  /// The most rows drawn for a conditional request, per row asked for.
  static let drawsPerRow = 200
  /// The most rows drawn for a conditional request in all.
  static let maximumDraws = 2_000_000

  let model: any FittedModel
  let rows: Int
  let seed: UInt64
  let conditions: [(column: Int, value: String)]
  let jsonLines: Bool
  private let names: [String]
  private let numberColumns: [Bool]
  private let trueTexts: [String?]

  init(
    model: any FittedModel, rows: Int, seed: UInt64, conditions: [String: String],
    jsonLines: Bool
  ) throws {
    self.model = model
    self.rows = rows
    self.seed = seed
    self.jsonLines = jsonLines
    let metadata = model.metadata
    names = metadata.columnNames
    var parsed: [(Int, String)] = []
    for name in conditions.keys.sorted() {
      guard let index = names.firstIndex(of: name), let value = conditions[name] else {
        throw APIError(
          .badRequest, "unknown_column", "a condition names a column the model does not have")
      }
      parsed.append((index, value))
    }
    self.conditions = parsed
    numberColumns = metadata.columns.map {
      if case .numerical = $0.kind { return true }
      return false
    }
    trueTexts = metadata.columns.map {
      if case .boolean(let spelling) = $0.kind { return spelling.trueText }
      return nil
    }
  }

  /// The CSV header line, or nothing for JSON Lines.
  func header() -> [UInt8] {
    guard !jsonLines else { return [] }
    return CSVWriter.encode(TextTable(columnNames: names, columns: names.map { _ in [] }))
  }

  /// The encoded rows of a range of the unconditional sample.
  func chunk(_ range: Range<Int>) throws -> [UInt8] {
    try encode(TextTable(table: model.sample(range: range, seed: seed)))
  }

  /// Draws rows until `rows` meet the conditions.
  /// - Throws: ``APIError`` 422 when too few drawn rows meet them.
  func conditionalRows() throws -> TextTable {
    let budget = min(StreamingSampler.maximumDraws, rows * StreamingSampler.drawsPerRow)
    var kept = names.map { _ in [String]() }
    var keptCount = 0
    var start = 0
    while keptCount < rows && start < budget {
      let end = min(start + StreamingSampler.chunkRows, budget)
      let text = TextTable(table: try model.sample(range: start..<end, seed: seed))
      for row in 0..<text.rowCount where keptCount < rows {
        if conditions.allSatisfy({ text.columns[$0.column][row] == $0.value }) {
          for column in kept.indices { kept[column].append(text.columns[column][row]) }
          keptCount += 1
        }
      }
      start = end
    }
    guard keptCount == rows else {
      throw APIError(
        .unprocessableContent, "conditions_unmet",
        "only \(keptCount) of \(budget) sampled rows meet the conditions; ask for fewer rows or "
          + "loosen the conditions")
    }
    return TextTable(columnNames: names, columns: kept)
  }

  /// Encodes rows as CSV (without header) or JSON Lines.
  func encode(_ text: TextTable) throws -> [UInt8] {
    guard jsonLines else { return CSVWriter.encodeRows(text) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.rowCount * names.count * 16)
    for row in 0..<text.rowCount {
      bytes.append(UInt8(ascii: "{"))
      for column in names.indices {
        if column > 0 { bytes.append(UInt8(ascii: ",")) }
        StreamingSampler.appendString(names[column], to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        let value = text.columns[column][row]
        if value.isEmpty {
          bytes.append(contentsOf: "null".utf8)
        } else if let trueText = trueTexts[column] {
          bytes.append(contentsOf: (value == trueText ? "true" : "false").utf8)
        } else if numberColumns[column], let number = Double(value), number.isFinite {
          bytes.append(
            contentsOf: (Int64(value) != nil ? value : String(number)).utf8)
        } else {
          StreamingSampler.appendString(value, to: &bytes)
        }
      }
      bytes.append(contentsOf: "}\n".utf8)
    }
    return bytes
  }

  static func appendString(_ text: String, to bytes: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    bytes.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
      case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
      case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
      case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
      case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
      case 0..<0x20:
        bytes.append(contentsOf: #"\u00"#.utf8)
        bytes.append(hex[Int(byte >> 4)])
        bytes.append(hex[Int(byte & 0x0F)])
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
