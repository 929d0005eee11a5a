/// Escaping of user-provided text (column names, labels, titles) for HTML and SVG.
///
/// The output is also well-formed XML: besides `&`, `<`, `>`, `"` and `'`, control characters that
/// XML forbids are replaced by U+FFFD, so a column name can never break the document.
enum HTMLText {
  /// Escapes text for an element's content or a double-quoted attribute value.
  /// - Parameter text: Any text.
  /// - Returns: The text with markup characters replaced by character references.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      default:
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// Shortens text to at most `limit` characters, ending with an ellipsis when cut.
  /// - Parameters:
  ///   - text: The text.
  ///   - limit: The most characters kept, at least 2.
  /// - Returns: The text or its shortened form (not escaped).
  static func truncate(_ text: String, limit: Int) -> String {
    guard text.count > limit else { return text }
    return String(text.prefix(Swift.max(1, limit - 1))) + "…"
  }
}
