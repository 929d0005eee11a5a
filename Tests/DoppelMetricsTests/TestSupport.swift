import Doppel
import DoppelCore
import Foundation

/// Paths and small table builders shared by the metric tests.
enum TestSupport {
  /// The repository root, found from this file's path.
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// A file under the repository root.
  static func path(_ relative: String) -> String {
    root.appendingPathComponent(relative).path
  }

  /// The real pbc table (`Examples/data/pbc.csv`) with detected metadata.
  static func pbc() throws -> Table {
    try TableSource.load(path: path("Examples/data/pbc.csv")).table
  }

  /// The SDV synthetic pbc table of the SDMetrics parity fixture.
  static func pbcSynthetic() throws -> Table {
    try TableSource.load(path: path("Tests/Fixtures/sdmetrics/pbc_gc_synth.csv")).table
  }

  /// A numerical column; `nil` entries are missing.
  static func numbers(_ name: String, _ values: [Double?]) throws -> Column {
    try Column(
      name: name, kind: .numerical(.init(isInteger: false)),
      values: .numbers(values.map { $0 ?? 0 }), missing: MissingMask(values.map { $0 == nil }))
  }

  /// A categorical column; `nil` entries are missing.
  static func labels(_ name: String, _ values: [String?]) throws -> Column {
    var categories: [String] = []
    var codes: [Int32] = []
    for value in values {
      guard let value else {
        codes.append(0)
        continue
      }
      if let code = categories.firstIndex(of: value) {
        codes.append(Int32(code))
      } else {
        codes.append(Int32(categories.count))
        categories.append(value)
      }
    }
    if categories.isEmpty { categories = [""] }
    return try Column(
      name: name, kind: .categorical, values: .categories(codes: codes, categories: categories),
      missing: MissingMask(values.map { $0 == nil }))
  }

  /// An identifier column.
  static func ids(_ name: String, count: Int) throws -> Column {
    try Column(name: name, kind: .id(.integer), values: .strings((0..<count).map(String.init)))
  }

  /// A table of `rows` rows with a normal column `x`, a column `y` correlated with it, a
  /// categorical `group` that depends on `x`, and an id, drawn with `seed`.
  static func correlated(rows: Int, seed: UInt64, shift: Double = 0) throws -> Table {
    var generator = SeededGenerator(seed: seed)
    var x: [Double?] = []
    var y: [Double?] = []
    var group: [String?] = []
    for row in 0..<rows {
      let a = generator.nextNormal() + shift
      let b = 0.8 * a + 0.6 * generator.nextNormal()
      x.append(row % 17 == 3 ? nil : a)
      y.append(b)
      group.append(a > 0.5 ? "high" : (a < -0.5 ? "low" : (row % 29 == 0 ? nil : "mid")))
    }
    return try Table(columns: [
      ids("id", count: rows), numbers("x", x), numbers("y", y), labels("group", group),
    ])
  }
}
