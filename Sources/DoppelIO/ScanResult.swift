/// Where one field's text lies in the reader's buffer.
struct FieldSpan {
  /// The first byte of the field's text (after an opening quote when `needsUnescape` is false).
  var start: Int
  /// One past the last byte of the field's text.
  var end: Int
  /// Whether `start..<end` is a raw quoted field (opening quote included) that has doubled quotes
  /// or text after its closing quote, so its value must be rebuilt by ``CSVScanner/unescape``.
  var needsUnescape: Bool
}

/// What scanning one record found.
enum ScanResult {
  /// A whole record: its fields are in the span buffer.
  /// - `next`: the position after the record's line break.
  /// - `fieldCount`: the number of fields (spans beyond the buffer's capacity are not stored).
  /// - `lineBreaks`: LF bytes consumed, inside quotes and at the end.
  /// - `hasNonASCII`: whether any field byte is 0x80 or above, so UTF-8 must be checked.
  case record(next: Int, fieldCount: Int, lineBreaks: Int, hasNonASCII: Bool)
  /// The record continues past the bytes in the buffer; read more and scan it again.
  case needMoreData
  /// The input ended inside a quoted field.
  /// - `quoteOffset`: the position of the opening quote.
  /// - `lineBreaks`: LF bytes in the record before the opening quote.
  /// - `fieldIndex`: the 0-based field the quote opens.
  case unterminatedQuote(quoteOffset: Int, lineBreaks: Int, fieldIndex: Int)
}
