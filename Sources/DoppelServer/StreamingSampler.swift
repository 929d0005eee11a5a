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
  private let jsonEncoder: JSONLinesEncoder

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
    jsonEncoder = JSONLinesEncoder(
      columnNames: names, styles: metadata.columns.map(\.jsonStyle))
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
    try jsonEncoder.encode(text, to: &bytes)
    return bytes
  }
}
