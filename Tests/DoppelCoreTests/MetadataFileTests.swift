import DoppelCore
import Foundation
import Testing

private func decode(_ json: String) throws -> TableMetadata {
  try TableMetadata.decode(from: Data(json.utf8))
}

private let sdvSingleTable = #"""
  {
    "METADATA_SPEC_VERSION": "SINGLE_TABLE_V1",
    "primary_key": "k",
    "columns": {
      "k": {"sdtype": "id", "regex_format": "P-\\d{6}"},
      "age": {"sdtype": "numerical", "computer_representation": "Int64"},
      "score": {"sdtype": "numerical", "computer_representation": "Float"},
      "d": {"sdtype": "datetime", "datetime_format": "%Y-%m-%d"},
      "e": {"sdtype": "email", "pii": true},
      "grade": {"sdtype": "categorical"},
      "ok": {"sdtype": "boolean"},
      "tel": {"sdtype": "phone_number"},
      "ssn": {"sdtype": "ssn"},
      "who": {"sdtype": "name"},
      "first": {"sdtype": "first_name"},
      "last": {"sdtype": "last_name"},
      "home": {"sdtype": "address"},
      "zip": {"sdtype": "postcode"},
      "city": {"sdtype": "city", "pii": false}
    }
  }
  """#

@Suite("Metadata files")
struct MetadataFileTests {
  @Test("SDV single-table metadata maps every sdtype, in the file's column order")
  func sdvSingleTableImport() throws {
    let metadata = try decode(sdvSingleTable)
    #expect(
      metadata.columnNames == [
        "k", "age", "score", "d", "e", "grade", "ok", "tel", "ssn", "who", "first", "last", "home",
        "zip", "city",
      ])
    let kinds = metadata.columns.map(\.kind)
    #expect(
      kinds == [
        .id(.prefixed(prefix: "P-", width: 6)), .numerical(.init(isInteger: true)),
        .numerical(.init(isInteger: false)), .datetime(.isoDate), .pii(.email), .categorical,
        .boolean(.init(trueText: "True", falseText: "False")), .pii(.phone), .pii(.nationalID),
        .pii(.personName), .pii(.firstName), .pii(.lastName), .pii(.streetAddress), .pii(.postcode),
        .text,
      ])
    #expect(metadata.primaryKey == "k")
  }

  @Test("SDV's V1 multi-table wrapper is read when it holds one table")
  func sdvMultiTable() throws {
    let json = #"""
      {"METADATA_SPEC_VERSION": "V1", "relationships": [],
       "tables": {"patients": {"primary_key": "pid", "columns": {
         "pid": {"sdtype": "id"}, "uid": {"sdtype": "id", "regex_format": "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"},
         "n": {"sdtype": "id", "regex_format": "^[0-9]{5}$"}}}}}
      """#
    let metadata = try decode(json)
    #expect(
      metadata.columns.map(\.kind) == [
        .id(.other), .id(.uuid), .id(.prefixed(prefix: "", width: 5)),
      ])
    #expect(metadata.primaryKey == "pid")
    let two =
      #"{"tables": {"a": {"columns": {}}, "b": {"columns": {}}}, "METADATA_SPEC_VERSION": "V1"}"#
    let error = try #require(throws: DoppelError.self) { try decode(two) }
    #expect(error.code == .invalidMetadata)
    #expect(error.message.contains("2 tables"))
  }

  @Test("sdtypes Doppel cannot fake are refused together unless marked not personal")
  func unknownSDTypes() throws {
    let json = #"""
      {"columns": {"c": {"sdtype": "city"}, "x": {"sdtype": "numerical"},
                   "cc": {"sdtype": "country_code", "pii": true}, "u": {"sdtype": "unknown", "pii": false}}}
      """#
    let error = try #require(throws: DoppelError.self) { try decode(json) }
    #expect(error.code == .invalidMetadata)
    #expect(error.message.contains("\"c\", \"cc\""))
    #expect(error.message.contains("city, country_code"))
  }

  @Test("Doppel's own JSON is written with sorted keys and read back unchanged")
  func doppelRoundTrip() throws {
    let text = try CSVFixture.load("jasa.csv")
    var metadata = MetadataDetector.detect(text)
    metadata.columns.append(
      ColumnMetadata(name: "k", kind: .id(.prefixed(prefix: "P-", width: 4))))
    metadata.columns.append(ColumnMetadata(name: "e", kind: .pii(.email)))
    let data = try metadata.jsonData()
    let json = String(decoding: data, as: UTF8.self)
    #expect(json.contains("\"formatVersion\" : 1"))
    #expect(try TableMetadata.decode(from: data) == metadata)
  }

  @Test("corrupt or foreign JSON fails with invalidMetadata and a clear message")
  func corrupt() throws {
    let cases: [(String, String)] = [
      (#"{"columns": [ {"name": "a", "type": "numerical"} "#, "not valid JSON"),
      ("", "not valid JSON"),
      ("[1, 2]", "must be a JSON object"),
      (#"{"fields": []}"#, "has no \"columns\""),
      (#"{"columns": [{"name": "a"}]}"#, "columns[0].type is missing"),
      (#"{"columns": [{"name": "a", "type": "blob"}]}"#, "unknown column type"),
      (
        #"{"columns": [{"name": "a", "type": "text"}, {"name": "a", "type": "text"}]}"#,
        "described twice"
      ),
      (#"{"columns": {"a": {"sdtype": "datetime", "datetime_format": "%d %b %Y"}}}"#, "%b"),
      (#"{"columns": {"a": {"sdtype": "numerical"}}, "primary_key": "a"}"#, "must be an id column"),
      (#"{"columns": {"a": {"type": "numerical"}}}"#, "needs an object with a string \"sdtype\""),
    ]
    for (json, fragment) in cases {
      let error = try #require(throws: DoppelError.self) { try decode(json) }
      #expect(error.code == .invalidMetadata, "\(json)")
      #expect(error.message.contains(fragment), "\(error.message)")
    }
    let newer = #"{"formatVersion": 2, "columns": []}"#
    let versionError = try #require(throws: DoppelError.self) { try decode(newer) }
    #expect(versionError.code == .unsupportedVersion)
  }

  @Test("file columns override detected ones; the rest keep detection")
  func override() throws {
    let text = try CSVFixture.load("pbc.csv")
    let detected = MetadataDetector.detect(text)
    let file = try decode(
      #"""
      {"primary_key": "id", "columns": {
        "stage": {"sdtype": "numerical", "computer_representation": "Int64"},
        "ascites": {"sdtype": "boolean"},
        "id": {"sdtype": "id"},
        "sex": {"sdtype": "categorical"}}}
      """#)
    let merged = try file.overriding(detected: detected)
    #expect(merged.columnNames == detected.columnNames)
    #expect(merged["stage"]?.kind == .numerical(.init(isInteger: true)))
    #expect(merged["stage"]?.missingRate == detected["stage"]?.missingRate)
    #expect(merged["ascites"]?.kind == .boolean(.init(trueText: "1", falseText: "0")))
    #expect(merged["id"]?.kind == .id(.integer))
    #expect(merged["bili"] == detected["bili"])
    #expect(merged.primaryKey == "id")
    #expect(merged.rowCount == 418)
    #expect(try Table(text: text, metadata: merged).rowCount == 418)
  }

  @Test("a datetime without a format takes the detected one")
  func datetimeWithoutFormat() throws {
    let text = try CSVFixture.load("jasa.csv")
    let file = try decode(#"{"columns": {"fu.date": {"sdtype": "datetime"}}}"#)
    let merged = try file.overriding(detected: MetadataDetector.detect(text))
    #expect(merged["fu.date"]?.kind == .datetime(.isoDate))
    let wrong = try decode(#"{"columns": {"age": {"sdtype": "datetime"}}}"#)
    let error = try #require(throws: DoppelError.self) {
      try wrong.overriding(detected: MetadataDetector.detect(text))
    }
    #expect(error.code == .invalidMetadata)
    #expect(error.message.contains("\"age\""))
  }

  @Test("every column the file names that the data lacks is listed in one error")
  func unknownColumns() throws {
    let text = try CSVFixture.load("arthritis.csv")
    let file = try decode(
      #"""
      {"primary_key": "patient", "columns": {"Age": {"sdtype": "numerical"},
        "Weight": {"sdtype": "numerical"}, "Sex": {"sdtype": "categorical"},
        "Height": {"sdtype": "numerical"}}}
      """#)
    let error = try #require(throws: DoppelError.self) {
      try file.overriding(detected: MetadataDetector.detect(text))
    }
    #expect(error.code == .unknownColumn)
    #expect(error.message.contains("\"Weight\", \"Height\", \"patient\""))
  }

  @Test("the file's primary key wins, and must be an id column")
  func primaryKey() throws {
    let table = TextTable(
      columnNames: ["a_id", "b_id", "x"],
      columns: [["1", "2", "3"], ["7", "8", "9"], ["u", "v", "w"]])
    let detected = MetadataDetector.detect(table)
    #expect(detected.primaryKey == "a_id")
    let file = try decode(#"{"columns": {}, "primary_key": "b_id"}"#)
    #expect(try file.overriding(detected: detected).primaryKey == "b_id")
    let demote = try decode(#"{"columns": {"a_id": {"sdtype": "categorical"}}}"#)
    #expect(try demote.overriding(detected: detected).primaryKey == nil)
    let bad = try decode(#"{"columns": {}, "primary_key": "x"}"#)
    let error = try #require(throws: DoppelError.self) { try bad.overriding(detected: detected) }
    #expect(error.code == .invalidMetadata)
  }
}
