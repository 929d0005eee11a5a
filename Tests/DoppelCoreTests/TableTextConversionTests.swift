import DoppelCore
import Testing

@Suite("Converting between text and typed tables")
struct TableTextConversionTests {
  private let metadata = TableMetadata(columns: [
    ColumnMetadata(name: "n", kind: .numerical(.init(isInteger: false, decimals: 2))),
    ColumnMetadata(name: "d", kind: .datetime(.isoDate)),
    ColumnMetadata(name: "c", kind: .categorical),
    ColumnMetadata(name: "b", kind: .boolean(.init(trueText: "yes", falseText: "no"))),
    ColumnMetadata(name: "s", kind: .pii(.email)),
  ])

  private func text(_ columns: [[String]], firstLine: Int = 2) -> TextTable {
    TextTable(columnNames: ["n", "d", "c", "b", "s"], columns: columns, firstLine: firstLine)
  }

  @Test("each kind is stored in its layout, with empty fields missing")
  func layouts() throws {
    let table = try Table(
      text: text([
        ["1.5", "", "-2"], ["2024-01-02", "1970-01-01", ""], ["b", "a", "b"], ["no", "YES", ""],
        ["a@example.com", "", "b@example.org"],
      ]),
      metadata: metadata)
    #expect(table["n"]?.numbers == [1.5, 0, -2])
    #expect(table["n"]?.missing == MissingMask([false, true, false]))
    #expect(table["d"]?.numbers == [19_724 * 86_400, 0, 0])
    let categories = try #require(table["c"]?.categories)
    #expect(categories.labels == ["b", "a"])
    #expect(categories.codes == [0, 1, 0])
    let booleans = try #require(table["b"]?.categories)
    #expect(booleans.labels == ["no", "yes"])
    #expect(booleans.codes == [0, 1, 0])
    #expect(table["b"]?.missing[2] == true)
    #expect(table["s"]?.strings == ["a@example.com", "", "b@example.org"])
    #expect(table["s"]?.missing == MissingMask([false, true, false]))
  }

  @Test("a value that cannot be converted names the column and line but not the value")
  func invalidValue() throws {
    let secret = "Jane-Doe-1234"
    let bad = text(
      [
        ["1", "2", secret, "4", "x"], Array(repeating: "2024-01-01", count: 5),
        ["a", "a", "a", "a", "a"],
        ["no", "no", "no", "no", "no"], ["", "", "", "", ""],
      ],
      firstLine: 40)
    let error = try #require(throws: DoppelError.self) { try Table(text: bad, metadata: metadata) }
    #expect(error.code == .invalidValue)
    #expect(error.context.column == "n")
    #expect(error.context.line == 42)
    #expect(error.message.contains("2 values"))
    #expect(!error.description.contains(secret))
    #expect(!error.description.contains("\"x\""))
  }

  @Test("impossible dates and unknown boolean spellings are invalid values")
  func invalidDateAndBoolean() throws {
    var columns = [["1"], ["2024-02-30"], ["a"], ["no"], [""]]
    var error = try #require(throws: DoppelError.self) {
      try Table(text: text(columns), metadata: metadata)
    }
    #expect(error.code == .invalidValue)
    #expect(error.context.column == "d")
    #expect(error.context.line == 2)
    columns[1] = ["2024-02-29"]
    columns[3] = ["maybe"]
    error = try #require(throws: DoppelError.self) {
      try Table(text: text(columns), metadata: metadata)
    }
    #expect(error.context.column == "b")
  }

  @Test("metadata must describe exactly the text's columns")
  func columnMismatch() throws {
    let short = TextTable(columnNames: ["n", "c"], columns: [["1"], ["a"]])
    let unknown = try #require(throws: DoppelError.self) {
      try Table(text: short, metadata: metadata)
    }
    #expect(unknown.code == .unknownColumn)
    #expect(unknown.message.contains("\"d\", \"b\", \"s\""))
    let extra = TextTable(columnNames: ["n", "other"], columns: [["1"], ["a"]])
    let partial = TableMetadata(columns: [metadata.columns[0]])
    let undescribed = try #require(throws: DoppelError.self) {
      try Table(text: extra, metadata: partial)
    }
    #expect(undescribed.code == .invalidMetadata)
    #expect(undescribed.message.contains("\"other\""))
  }

  @Test("numbers are written as plain decimals in their column's format")
  func numberText() throws {
    func written(_ values: [Double], _ format: NumericalFormat) throws -> [String] {
      let column = try Column(name: "x", kind: .numerical(format), values: .numbers(values))
      return TextTable(table: try Table(columns: [column])).columns[0]
    }
    #expect(
      try written([12, -3.4, 1e16, 0], .init(isInteger: true)) == [
        "12", "-3", "10000000000000000", "0",
      ])
    #expect(
      try written([2.6, 2.604, 0.5, -0.001, 1718], .init(isInteger: false, decimals: 2)) == [
        "2.6", "2.6", "0.5", "0", "1718",
      ])
    #expect(
      try written(
        [0.00001, 1.5e-7, 123.0, 58.76522929500342, 2e21, -0.25], .init(isInteger: false)) == [
          "0.00001", "0.00000015", "123", "58.76522929500342", "2000000000000000000000", "-0.25",
        ])
    #expect(try written([.nan, .infinity], .init(isInteger: false)) == ["", ""])
  }

  @Test("typed values come back as text: datetimes in their format, booleans in their spelling")
  func reverse() throws {
    let source = text([
      ["1.25", "", "3"], ["2024-01-02", "", "1905-04-02"], ["b", "a", ""], ["yes", "no", "yes"],
      ["x@example.com", "", "y@example.net"],
    ])
    let back = TextTable(table: try Table(text: source, metadata: metadata))
    #expect(back == source)
  }
}
