import Doppel
import Foundation
import HTTPTypes

/// Encodes a model's sample chunk by chunk as CSV or JSON Lines, optionally keeping only rows
/// that meet `column = value` conditions.
///
/// Conditions go through ``ConditionalSampler``: models that can condition natively (Gaussian
/// copula, Bayesian networks) draw matching rows directly, others keep matching rows of their
/// sample; either way the same model, seed and conditions give the same rows, and a condition the
/// model cannot meet is refused rather than looped on.
struct StreamingSampler: Sendable {
  /// Rows generated at a time.
  static let chunkRows = 4_096

  let model: any FittedModel
  let rows: Int
  let seed: UInt64
  let conditions: [SamplingCondition]
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
    var parsed: [SamplingCondition] = []
    for name in conditions.keys.sorted() {
      guard names.contains(name), let value = conditions[name] else {
        throw APIError(
          .badRequest, "unknown_column", "a condition names a column the model does not have")
      }
      parsed.append(SamplingCondition(column: name, value: value))
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

  /// Samples `rows` rows that meet the conditions.
  /// - Throws: ``APIError`` 422 when the model cannot meet them (or meets them too rarely), 400
  ///   when a condition does not fit its column.
  func conditionalRows() throws -> TextTable {
    do {
      var sampler = try ConditionalSampler(model: model, conditions: conditions, seed: seed)
      return TextTable(table: try sampler.next(rows))
    } catch let error as DoppelError {
      switch error.code {
      case .impossibleCondition:
        throw APIError(.unprocessableContent, "conditions_unmet", error.description)
      default:
        throw APIError(.badRequest, "invalid_condition", error.description)
      }
    }
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
