/// Why a data row could not be read, with its place relative to the start of a part.
enum CSVPartFailure {
  /// A record with the wrong number of fields.
  case ragged(lineBreaks: Int, offset: Int, found: Int)
  /// The input ended inside the quoted field that opens at `offset`.
  case unterminatedQuote(lineBreaks: Int, offset: Int, field: Int)
  /// An ill-formed UTF-8 sequence starts at `offset`.
  case invalidUTF8(lineBreaks: Int, offset: Int, field: Int)
}

/// What parsing one part of the buffer produced.
struct CSVPartResult {
  /// Why parsing stopped.
  enum Stop {
    /// The next record starts at or after the part's stop position.
    case reachedStop
    /// The row limit was reached.
    case rowLimit
    /// A record runs past the valid bytes; more input is needed.
    case needData
    /// Every byte of the input has been parsed.
    case endOfInput
  }

  /// Why parsing stopped.
  var stop = Stop.reachedStop
  /// The number of rows parsed.
  var rows = 0
  /// The position after the last record or blank line consumed.
  var next: Int
  /// Line feeds consumed from the part's start up to `next`.
  var lineBreaks = 0
  /// Line feeds (blank lines) before the part's first row.
  var breaksBeforeFirstRow = 0
  /// The error that stopped parsing, if any.
  var failure: CSVPartFailure?
}

/// A field whose `String` is made after a parallel parse, on the reader's thread.
struct DeferredField {
  /// The field's column.
  var column: Int
  /// The field's row in the columns it was written to.
  var row: Int
  /// Where the field's bytes are.
  var span: FieldSpan
}
