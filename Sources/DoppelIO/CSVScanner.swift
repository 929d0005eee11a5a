/// The RFC 4180 state machine that splits records into fields, over raw bytes.
///
/// Rules: a field that starts with `"` is quoted and may hold delimiters, line breaks and doubled
/// quotes; text after its closing quote is kept as is (as Python's `csv` module does). A quote
/// inside an unquoted field is an ordinary character. Records end at LF or CRLF, or at the end of
/// the input; a CR not followed by LF is an ordinary character.
enum CSVScanner {
  static let quote = UInt8(ascii: "\"")
  static let lineFeed = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")

  /// Scans one record that starts at `position`.
  /// - Parameters:
  ///   - bytes: The buffer.
  ///   - position: The first byte of the record (not a blank line).
  ///   - end: One past the last valid byte.
  ///   - atEnd: Whether the input ends at `end`; if not, a record reaching `end` needs more data.
  ///   - delimiter: The field separator.
  ///   - spans: Where to store the fields' spans.
  ///   - spanCapacity: How many spans fit; further fields are counted but not stored.
  /// - Returns: What was found.
  @inline(__always)
  static func scanRecord(
    _ bytes: UnsafePointer<UInt8>, at position: Int, end: Int, atEnd: Bool, delimiter: UInt8,
    spans: UnsafeMutablePointer<FieldSpan>, spanCapacity: Int
  ) -> ScanResult {
    var i = position
    var fieldCount = 0
    var lineBreaks = 0
    var seen: UInt8 = 0
    while true {
      var spanStart = i
      var spanEnd = i
      var needsUnescape = false
      if i < end && bytes[i] == quote {
        let opening = i
        let breaksBefore = lineBreaks
        i += 1
        while true {
          guard i < end else {
            if atEnd {
              return .unterminatedQuote(
                quoteOffset: opening, lineBreaks: breaksBefore, fieldIndex: fieldCount)
            }
            return .needMoreData
          }
          let c = bytes[i]
          if c == quote {
            if i + 1 < end {
              if bytes[i + 1] != quote { break }
              needsUnescape = true
              i += 2
              continue
            }
            if atEnd { break }
            return .needMoreData
          }
          if c == lineFeed { lineBreaks += 1 }
          seen |= c
          i += 1
        }
        let closing = i
        i += 1
        let tailStart = i
        // Text after the closing quote (not RFC 4180, but common) is kept literally.
        guard scanUnquoted(bytes, &i, end: end, atEnd: atEnd, delimiter: delimiter, seen: &seen)
        else { return .needMoreData }
        if needsUnescape || i > tailStart {
          needsUnescape = true
          spanStart = opening
          spanEnd = i
        } else {
          spanStart = opening + 1
          spanEnd = closing
        }
      } else {
        guard scanUnquoted(bytes, &i, end: end, atEnd: atEnd, delimiter: delimiter, seen: &seen)
        else { return .needMoreData }
        spanEnd = i
      }
      if fieldCount < spanCapacity {
        spans[fieldCount] = FieldSpan(start: spanStart, end: spanEnd, needsUnescape: needsUnescape)
      }
      fieldCount += 1
      guard i < end else {
        return .record(
          next: i, fieldCount: fieldCount, lineBreaks: lineBreaks, hasNonASCII: seen >= 0x80)
      }
      let c = bytes[i]
      if c == delimiter {
        i += 1
        continue
      }
      // A line feed, or a carriage return before a line feed or at the end of the input.
      let next = c == lineFeed ? i + 1 : min(i + 2, end)
      return .record(
        next: next, fieldCount: fieldCount, lineBreaks: lineBreaks + 1, hasNonASCII: seen >= 0x80)
    }
  }

  /// Advances `i` over unquoted field text, up to a delimiter, an LF, a CR before an LF, or the
  /// end of the input.
  ///
  /// Eight bytes are tested at a time (SWAR: a word is compared with the delimiter, LF and CR
  /// in every byte at once), then the byte found is handled on its own.
  /// - Parameters:
  ///   - bytes: The buffer.
  ///   - i: The position to start at; on return, the first byte after the text.
  ///   - end: One past the last valid byte.
  ///   - atEnd: Whether the input ends at `end`.
  ///   - delimiter: The field separator.
  ///   - seen: Accumulates the OR of the bytes passed over (at least their high bits).
  /// - Returns: `false` when the text may continue past `end` and more data is needed.
  @inline(__always)
  static func scanUnquoted(
    _ bytes: UnsafePointer<UInt8>, _ i: inout Int, end: Int, atEnd: Bool, delimiter: UInt8,
    seen: inout UInt8
  ) -> Bool {
    let raw = UnsafeRawPointer(bytes)
    let delimiters = UInt64(delimiter) &* everyByte
    var j = i
    var seenWords: UInt64 = 0
    defer {
      i = j
      if seenWords & highBits != 0 { seen |= 0x80 }
    }
    while true {
      while j &+ 8 <= end {
        let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self))
        let hits =
          zeroBytes(word ^ delimiters) | zeroBytes(word ^ lineFeeds)
          | zeroBytes(word ^ carriageReturns)
        if hits != 0 {
          let skipped = hits.trailingZeroBitCount &>> 3
          seenWords |= word & ((1 &<< UInt64(truncatingIfNeeded: skipped &* 8)) &- 1)
          j &+= skipped
          break
        }
        seenWords |= word
        j &+= 8
      }
      guard j < end else { return atEnd }
      let c = bytes[j]
      if c == delimiter || c == lineFeed { return true }
      if c == carriageReturn {
        if j + 1 < end {
          if bytes[j + 1] == lineFeed { return true }
        } else if atEnd {
          return true
        } else {
          return false
        }
      }
      seen |= c
      j += 1
    }
  }

  private static let everyByte: UInt64 = 0x0101_0101_0101_0101
  private static let highBits: UInt64 = 0x8080_8080_8080_8080
  private static let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
  private static let lineFeeds = UInt64(lineFeed) &* everyByte
  private static let carriageReturns = UInt64(carriageReturn) &* everyByte

  /// The high bit of every byte of `word` that is zero, and no other bit.
  @inline(__always)
  private static func zeroBytes(_ word: UInt64) -> UInt64 {
    ~(((word & lowBits) &+ lowBits) | word | lowBits)
  }

  /// Rebuilds the value of a quoted field whose span needs unescaping: the text between the quotes
  /// with each doubled quote made single, then any text after the closing quote.
  /// - Parameters:
  ///   - bytes: The buffer.
  ///   - span: A span with `needsUnescape` set; `start` is the opening quote.
  ///   - scratch: A reusable byte array.
  /// - Returns: The field's value.
  static func unescape(_ bytes: UnsafePointer<UInt8>, _ span: FieldSpan, scratch: inout [UInt8])
    -> String
  {
    scratch.removeAll(keepingCapacity: true)
    var i = span.start + 1
    while i < span.end {
      let c = bytes[i]
      if c == quote {
        if i + 1 < span.end && bytes[i + 1] == quote {
          scratch.append(quote)
          i += 2
          continue
        }
        i += 1
        break
      }
      scratch.append(c)
      i += 1
    }
    while i < span.end {
      scratch.append(bytes[i])
      i += 1
    }
    return String(decoding: scratch, as: UTF8.self)
  }
}
