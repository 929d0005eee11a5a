import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the few values Doppel needs from S3's XML answers.
enum XMLValues {
  /// The text of every element with this name.
  static func parse(_ data: Data, element: String) -> [String] {
    let collector = Collector(names: [element])
    let parser = XMLParser(data: data)
    parser.delegate = collector
    parser.parse()
    return collector.values.map(\.1)
  }

  /// A ListObjectsV2 page.
  static func parseListing(_ data: Data) -> (
    objects: [S3Object], truncated: Bool, nextToken: String?
  ) {
    let collector = Collector(names: [
      "Key", "Size", "ETag", "IsTruncated", "NextContinuationToken",
    ])
    let parser = XMLParser(data: data)
    parser.delegate = collector
    parser.parse()
    var objects: [S3Object] = []
    var truncated = false
    var token: String?
    var current: S3Object?
    for (name, value) in collector.values {
      switch name {
      case "Key":
        if let current { objects.append(current) }
        current = S3Object(key: value, size: 0, etag: "")
      case "Size": current?.size = Int(value) ?? 0
      case "ETag": current?.etag = value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
      case "IsTruncated": truncated = value == "true"
      case "NextContinuationToken": token = value
      default: break
      }
    }
    if let current { objects.append(current) }
    return (objects, truncated, token)
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  private final class Collector: NSObject, XMLParserDelegate {
    let names: Set<String>
    var values: [(String, String)] = []
    private var current: String?
    private var text = ""

    init(names: Set<String>) { self.names = names }

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName: String?, attributes: [String: String] = [:]
    ) {
      if names.contains(elementName) {
        current = elementName
        text = ""
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if current != nil { text += string }
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
      qualifiedName: String?
    ) {
      if elementName == current {
        values.append((elementName, text))
        current = nil
      }
    }
  }
}
