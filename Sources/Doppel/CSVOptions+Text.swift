import DoppelCore
import DoppelIO

extension CSVDelimiter {
  /// Reads a delimiter as a user types it: `,`, `;`, `|`, `tab` or `\t`.
  /// - Parameter text: The delimiter text.
  /// - Throws: ``DoppelError`` `invalidArgument` for anything else.
  public init(text: String) throws {
    switch text {
    case ",", "comma": self = .comma
    case ";", "semicolon": self = .semicolon
    case "|", "pipe": self = .pipe
    case "\t", "\\t", "tab": self = .tab
    default:
      throw DoppelError(
        .invalidArgument, "the delimiter must be ',', ';', '|' or 'tab'; got '\(text)'")
    }
  }
}

extension CSVOptions {
  /// Options with the delimiter given as text.
  /// - Parameter delimiterText: `,`, `;`, `|`, `tab` or `\t`.
  /// - Throws: ``DoppelError`` `invalidArgument` for an unknown delimiter.
  public init(delimiterText: String) throws {
    self.init(delimiter: try CSVDelimiter(text: delimiterText))
  }
}
