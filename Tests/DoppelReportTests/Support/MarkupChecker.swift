import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses a report with libxml2's strict XML parser (Foundation's `XMLParser`) and checks the
/// HTML rules XML does not know: only void elements (and SVG elements) may be self-closed.
///
/// The report is written in the XML-compatible HTML5 syntax, so a real XML parse is a strict
/// well-formedness check: an unclosed or misnested tag, an unquoted attribute or an undefined
/// entity fails it.
final class MarkupChecker: NSObject, XMLParserDelegate {
  /// What a parse found.
  struct Result {
    /// Problems found; empty when the document is well-formed.
    var problems: [String]
    /// How many `<svg>` elements each `<section id>` holds (key `""` for none).
    var svgBySection: [String: Int]
    /// How many elements of each name the document holds.
    var elements: [String: Int]
    /// The ids of the `<section>` elements, in order.
    var sections: [String]

    var isWellFormed: Bool { problems.isEmpty }
  }

  private static let voidElements: Set<String> = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
  ]
  private static let svgElements: Set<String> = [
    "circle", "line", "path", "rect", "stop", "polyline", "polygon", "ellipse", "use", "text",
    "pattern", "linearGradient", "g",
  ]

  private var stack: [(name: String, section: String?)] = []
  private var problems: [String] = []
  private var svgBySection: [String: Int] = [:]
  private var elements: [String: Int] = [:]
  private var sections: [String] = []

  /// Checks a document, or a fragment such as one `<svg>` when `requireDoctype` is false.
  /// - Parameters:
  ///   - html: The document.
  ///   - requireDoctype: Whether the text must start with the HTML5 doctype.
  /// - Returns: What the parse found.
  static func check(_ html: String, requireDoctype: Bool = true) -> Result {
    let checker = MarkupChecker()
    let parser = XMLParser(data: Data(html.utf8))
    parser.delegate = checker
    parser.shouldResolveExternalEntities = false
    let parsed = parser.parse()
    if !parsed || parser.parserError != nil {
      let code = (parser.parserError as NSError?)?.code ?? -1
      checker.problems.append(
        "XML parse failed at line \(parser.lineNumber), column \(parser.columnNumber)"
          + " (libxml2 error \(code))")
    }
    if !checker.stack.isEmpty {
      checker.problems.append("unclosed elements: \(checker.stack.map(\.name))")
    }
    checker.problems += selfClosingProblems(html)
    if requireDoctype && !html.hasPrefix("<!DOCTYPE html>") {
      checker.problems.append("no HTML5 doctype")
    }
    return Result(
      problems: checker.problems, svgBySection: checker.svgBySection, elements: checker.elements,
      sections: checker.sections)
  }

  /// Self-closed tags that HTML would read as open tags (`<div/>`).
  private static func selfClosingProblems(_ html: String) -> [String] {
    var problems: [String] = []
    let bytes = Array(html.utf8)
    var index = 0
    while index < bytes.count {
      guard bytes[index] == UInt8(ascii: "<") else {
        index += 1
        continue
      }
      var end = index + 1
      while end < bytes.count && bytes[end] != UInt8(ascii: ">") { end += 1 }
      guard end < bytes.count else { break }
      if bytes[end - 1] == UInt8(ascii: "/") {
        var nameEnd = index + 1
        while nameEnd < end, bytes[nameEnd] != UInt8(ascii: " "),
          bytes[nameEnd] != UInt8(ascii: "/")
        {
          nameEnd += 1
        }
        let name = String(decoding: bytes[(index + 1)..<nameEnd], as: UTF8.self)
        if !voidElements.contains(name) && !svgElements.contains(name) {
          problems.append("<\(name)/> is self-closed but is not a void element")
        }
      }
      index = end + 1
    }
    return problems
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    elements[elementName, default: 0] += 1
    var section = stack.last?.section
    if elementName == "section" {
      let id = attributes["id"] ?? ""
      sections.append(id)
      section = id
    }
    if elementName == "svg" {
      svgBySection[section ?? "", default: 0] += 1
      if attributes["xmlns"] != nil { problems.append("<svg> carries an xmlns attribute") }
      if attributes["viewBox"] == nil { problems.append("<svg> has no viewBox") }
    }
    stack.append((elementName, section))
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName: String?
  ) {
    guard let open = stack.popLast() else {
      problems.append("</\(elementName)> closes nothing")
      return
    }
    if open.name != elementName {
      problems.append("</\(elementName)> closes <\(open.name)>")
    }
  }

  func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
    problems.append("parse error at line \(parser.lineNumber): \(parseError)")
  }
}
