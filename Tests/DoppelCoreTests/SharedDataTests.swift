import DoppelCore
import Testing

private let integer = ColumnKind.numerical(.init(isInteger: true))
private func decimal(_ digits: Int?) -> ColumnKind {
  .numerical(.init(isInteger: false, decimals: digits))
}
private let zeroOne = ColumnKind.boolean(.init(trueText: "1", falseText: "0"))
private let isoDate = ColumnKind.datetime(.isoDate)

/// The kinds detected for every column of the shared data files (`Examples/data`).
private let pinned: [(file: String, primaryKey: String?, kinds: [(String, ColumnKind)])] = [
  (
    "adult.csv", nil,
    [
      ("age", integer), ("workclass", .categorical), ("fnlwgt", integer),
      ("education", .categorical), ("education-num", integer), ("marital-status", .categorical),
      ("occupation", .categorical), ("relationship", .categorical), ("race", .categorical),
      ("sex", .categorical), ("capital-gain", integer), ("capital-loss", integer),
      ("hours-per-week", integer), ("native-country", .categorical), ("income", .categorical),
    ]
  ),
  (
    "pbc.csv", "id",
    [
      ("id", .id(.integer)), ("time", integer), ("status", .categorical), ("trt", .categorical),
      ("age", decimal(nil)), ("sex", .categorical), ("ascites", zeroOne), ("hepato", zeroOne),
      ("spiders", zeroOne), ("edema", decimal(1)), ("bili", decimal(1)), ("chol", integer),
      ("albumin", decimal(2)), ("copper", integer), ("alk.phos", decimal(1)), ("ast", decimal(2)),
      ("trig", integer), ("platelet", integer), ("protime", decimal(1)),
      ("stage", .categorical),
    ]
  ),
  (
    "arthritis.csv", "ID",
    [
      ("ID", .id(.integer)), ("Treatment", .categorical), ("Sex", .categorical), ("Age", integer),
      ("Improved", .categorical),
    ]
  ),
  (
    "jasa.csv", nil,
    [
      ("birth.dt", isoDate), ("accept.dt", isoDate), ("tx.date", isoDate), ("fu.date", isoDate),
      ("fustat", zeroOne), ("surgery", zeroOne), ("age", decimal(nil)), ("futime", integer),
      ("wait.time", integer), ("transplant", zeroOne), ("mismatch", .categorical),
      ("hla.a2", zeroOne), ("mscore", decimal(2)), ("reject", zeroOne),
    ]
  ),
]

@Suite("The shared data files")
struct SharedDataTests {
  @Test("every column gets its pinned kind", arguments: pinned.indices)
  func pinnedKinds(index: Int) throws {
    let expected = pinned[index]
    let text = try CSVFixture.load(expected.file)
    let metadata = MetadataDetector.detect(text)
    #expect(metadata.columnNames == expected.kinds.map(\.0))
    for (name, kind) in expected.kinds {
      #expect(metadata[name]?.kind == kind, "\(expected.file): \(name)")
    }
    #expect(metadata.primaryKey == expected.primaryKey)
    #expect(metadata.rowCount == text.rowCount)
  }

  @Test("missing rates and distinct counts match the data README")
  func profiles() throws {
    let pbc = MetadataDetector.detect(try CSVFixture.load("pbc.csv"))
    #expect(pbc["trt"]?.missingRate == 106.0 / 418.0)
    #expect(pbc["chol"]?.missingRate == 134.0 / 418.0)
    #expect(pbc["id"]?.distinctCount == 418)
    let adult = MetadataDetector.detect(try CSVFixture.load("adult.csv"))
    #expect(adult["native-country"]?.distinctCount == 41)
    #expect(adult["occupation"]?.missingRate == 1_843.0 / 32_561.0)
  }

  @Test(
    "converting to a typed table and back reproduces every field and the file's bytes",
    arguments: ["adult.csv", "pbc.csv", "arthritis.csv", "jasa.csv"])
  func roundTrip(file: String) throws {
    let original = try CSVFixture.text(of: file)
    let text = CSVFixture.parse(original)
    let table = try Table(text: text, metadata: MetadataDetector.detect(text))
    #expect(table.rowCount == text.rowCount)
    let back = TextTable(table: table)
    #expect(back.columnNames == text.columnNames)
    for (index, name) in text.columnNames.enumerated() {
      #expect(back.columns[index] == text.columns[index], "\(file): \(name)")
    }
    #expect(CSVFixture.write(back) == original)
  }

  @Test("typed columns use the storage of their kind")
  func storage() throws {
    let text = try CSVFixture.load("jasa.csv")
    let table = try Table(text: text, metadata: MetadataDetector.detect(text))
    let birth = try #require(table["birth.dt"]?.numbers)
    #expect(birth.first == DateTimeFormat.isoDate.parse("1937-01-10"))
    let txDate = try #require(table["tx.date"])
    #expect(txDate.missing.missingCount == 34)
    let fustat = try #require(table["fustat"]?.categories)
    #expect(fustat.labels == ["0", "1"])
    #expect(fustat.codes.prefix(3) == [1, 1, 1])
  }
}
