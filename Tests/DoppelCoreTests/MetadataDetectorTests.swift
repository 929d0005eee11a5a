import DoppelCore
import Foundation
import Testing

/// A table of one column.
private func kind(_ name: String, _ values: [String]) -> ColumnKind? {
  MetadataDetector.detect(TextTable(columnNames: [name], columns: [values])).columns.first?.kind
}

/// `values` repeated to `count` rows.
private func cycle(_ values: [String], _ count: Int) -> [String] {
  (0..<count).map { values[$0 % values.count] }
}

private let countries = [
  "Canada", "Mexico", "Peru", "Chile", "Brazil", "Japan", "China", "India", "France", "Spain",
  "Italy", "Greece", "Poland", "Norway", "Sweden", "Kenya", "Egypt", "Ghana", "Cuba", "Haiti",
  "Iran", "Laos", "Nepal", "Oman", "Qatar", "Yemen", "Chad", "Mali", "Togo", "Fiji", "Tonga",
  "Samoa", "Palau", "Malta", "Cyprus", "Latvia", "Serbia", "Bosnia", "Kosovo", "Moldova",
  "Estonia",
]

@Suite("MetadataDetector on crafted columns")
struct MetadataDetectorTests {
  @Test("a column with no values is categorical")
  func empty() {
    #expect(kind("notes", ["", "", ""]) == .categorical)
  }

  @Test(
    "two boolean spellings are detected in any case and keep their spelling",
    arguments: [
      (["Yes", "No", "No", "Yes"], BooleanSpelling(trueText: "Yes", falseText: "No")),
      (["false", "true", "true"], BooleanSpelling(trueText: "true", falseText: "false")),
      (["N", "Y", "N"], BooleanSpelling(trueText: "Y", falseText: "N")),
      (["t", "f"], BooleanSpelling(trueText: "t", falseText: "f")),
      (["1", "0", "", "1"], BooleanSpelling(trueText: "1", falseText: "0")),
      (["TRUE", "TRUE", ""], BooleanSpelling(trueText: "TRUE", falseText: "FALSE")),
      (["No", "No"], BooleanSpelling(trueText: "Yes", falseText: "No")),
    ])
  func booleans(values: [String], spelling: BooleanSpelling) {
    #expect(kind("flag", values) == .boolean(spelling))
  }

  @Test("mixed-case or three-valued yes/no columns are not boolean")
  func notBoolean() {
    #expect(kind("answer", cycle(["yes", "no", "maybe"], 30)) == .categorical)
    #expect(kind("answer", cycle(["yes", "Yes", "no"], 30)) == .categorical)
    #expect(kind("sex", cycle(["f", "m"], 30)) == .categorical)
  }

  @Test("numbers keep their integer flag and decimals")
  func numerical() {
    #expect(
      kind("x", ["1.5", "2.25", "3", "-4.125", ""])
        == .numerical(.init(isInteger: false, decimals: 3)))
    #expect(kind("x", ["1e-5", "2.5", "3"]) == .numerical(.init(isInteger: false, decimals: nil)))
    #expect(
      kind("x", ["0.1234567890123", "1"]) == .numerical(.init(isInteger: false, decimals: nil)))
    let wide = (1...60).map { String($0 * 7 % 61 * 13) }
    #expect(kind("amount", wide) == .numerical(.init(isInteger: true)))
  }

  @Test("whole numbers with few distinct values are categorical codes (SDV's rule)")
  func integerCodes() {
    #expect(kind("grade", cycle(["1", "2", "3"], 40)) == .categorical)
    // 10 distinct values need at least 95 rows: min(round(rows / 10), 10).
    let ten = (0..<10).map(String.init)
    #expect(kind("grade", cycle(ten, 100)) == .categorical)
    #expect(kind("grade", cycle(ten, 80)) == .numerical(.init(isInteger: true)))
    #expect(kind("delta", cycle(["-1", "0", "2"], 40)) == .numerical(.init(isInteger: true)))
    #expect(
      kind("level", cycle(["0.5", "1", "0"], 40))
        == .numerical(.init(isInteger: false, decimals: 1)))
  }

  @Test("unique whole numbers are integer ids when named so or numbered 1…n")
  func integerIDs() {
    let scattered = (1...30).map { String(1_000 + $0 * 37 % 31) }
    #expect(kind("customer_id", scattered) == .id(.integer))
    #expect(kind("customerID", scattered) == .id(.integer))
    #expect(kind("measurement", scattered) == .numerical(.init(isInteger: true)))
    let permutation = (1...30).map { String($0 * 7 % 31) }
    #expect(kind("row", permutation) == .id(.integer))
    var withMissing = scattered
    withMissing[3] = ""
    #expect(kind("customer_id", withMissing) == .numerical(.init(isInteger: true)))
  }

  @Test(
    "dates and times are detected with the format that reads every value",
    arguments: [
      (["2024-01-31", "", "1999-12-01"], "%Y-%m-%d"),
      (["2013-01-01T10:00:00Z", "2013-06-30T23:59:59Z"], "%Y-%m-%dT%H:%M:%SZ"),
      (["2013-01-01 10:00:00", "2013-06-30 23:59:59"], "%Y-%m-%d %H:%M:%S"),
      (["2024-01-01T10:00:00.123Z", "2024-01-01T10:00:01.500Z"], "%Y-%m-%dT%H:%M:%S.%3fZ"),
      (["2024-01-01T10:00:00.1Z", "2024-01-01T10:00:01.500Z"], "%Y-%m-%dT%H:%M:%S.%fZ"),
      (["01/02/2024", "12/25/2024"], "%m/%d/%Y"),
      (["13/02/2024", "01/12/2024"], "%d/%m/%Y"),
      (["01/02/2024", "02/03/2024"], "%m/%d/%Y"),
      (["1/5/2024", "12/25/2024"], "%-m/%-d/%Y"),
      (["31.12.1999", "01.01.2000"], "%d.%m.%Y"),
      (["2024/01/31", "2024/02/29"], "%Y/%m/%d"),
      (["12/31/1999 23:59", "01/01/2000 00:00"], "%m/%d/%Y %H:%M"),
    ])
  func datetimes(values: [String], pattern: String) {
    #expect(kind("when", values) == .datetime(DateTimeFormat(pattern)))
  }

  @Test("an impossible date keeps a column from being datetime")
  func impossibleDate() {
    #expect(kind("when", ["2024-02-28", "2024-02-30", "2024-03-01"]) != .datetime(.isoDate))
  }

  @Test("unique UUIDs and prefixed numbers are identifiers")
  func stringIDs() {
    let uuids = (0..<20).map { String(format: "%08x-0000-4000-8000-%012x", $0 * 7_919, $0) }
    #expect(kind("ref", uuids) == .id(.uuid))
    let prefixed = (1...20).map { "P-" + String(repeating: "0", count: $0 < 10 ? 5 : 4) + "\($0)" }
    #expect(kind("patient", prefixed) == .id(.prefixed(prefix: "P-", width: 6)))
    #expect(
      kind("code", ["007", "012", "345", "999", "100", "050"])
        == .id(.prefixed(prefix: "", width: 3)))
    let other = (0..<20).map { "k\($0)x" }
    #expect(kind("order_key", other) == .id(.other))
    #expect(kind("label", other) == .text)
  }

  @Test("e-mail, phone, national id and postcode columns are personal data")
  func contactData() {
    let emails = (0..<20).map { "user\($0).name@mail\($0 % 3).example.org" }
    #expect(kind("contact", emails) == .pii(.email))
    let phones = (0..<20).map { "(555) 010-\(1_000 + $0 * 37)" }
    #expect(kind("contact", phones) == .pii(.phone))
    let international = (0..<20).map { "+44 20 7946 \(1_000 + $0)" }
    #expect(kind("contact", international) == .pii(.phone))
    let plainPhones = (0..<20).map { "555\(1_000_000 + $0 * 4_321)" }
    #expect(kind("phone", plainPhones) == .pii(.phone))
    #expect(kind("reading", plainPhones) == .numerical(.init(isInteger: true)))
    let ssns = (0..<20).map { "9\(10 + $0)-4\($0 % 10)-\(1_000 + $0 * 3)" }
    #expect(kind("x", ssns) == .pii(.nationalID))
    let zips = (0..<20).map { String(format: "%05d", 2_134 + $0 * 4_567) }
    #expect(kind("zip", zips) == .pii(.postcode))
    let numericZips = (0..<20).map { String(10_001 + $0 * 4_567) }
    #expect(kind("zip_code", numericZips) == .pii(.postcode))
    let ukPostcodes = ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB"]
    #expect(kind("where", cycle(ukPostcodes, 30)) == .pii(.postcode))
  }

  @Test("names and street addresses are personal data")
  func namesAndAddresses() {
    let people = (0..<30).map {
      "\(NameLists.firstNames[$0 * 7 % NameLists.firstNames.count]) \(NameLists.lastNames[$0])"
    }
    #expect(kind("customer", people) == .pii(.personName))
    let firsts = (0..<30).map { NameLists.firstNames[$0 * 3] }
    #expect(kind("given", firsts) == .pii(.firstName))
    let lasts = (0..<30).map { NameLists.lastNames[$0 * 5] }
    #expect(kind("surname", lasts) == .pii(.lastName))
    #expect(kind("colour", lasts) != .pii(.lastName))
    let streets = ["Street", "St.", "Road", "Ave", "Lane", "Drive"]
    let addresses = (0..<30).map {
      "\($0 * 17 + 1) \(["Oak", "High", "Mill"][$0 % 3]) \(streets[$0 % 6])"
    }
    #expect(kind("home", addresses) == .pii(.streetAddress))
    #expect(
      kind("product_name", cycle(["Blue Widget", "Red Gadget", "Green Gizmo"], 30)) == .categorical)
  }

  @Test("repeated labels are categorical and rarely repeated notes are text")
  func categoricalOrText() {
    #expect(kind("native-country", cycle(countries, 500)) == .categorical)
    #expect(kind("colour", cycle(["red", "green"], 4)) == .categorical)
    let notes = (0..<40).map { "patient reported symptom number \($0) after the visit" }
    #expect(kind("notes", notes) == .text)
    var fewRepeats = notes
    fewRepeats[1] = fewRepeats[0]
    #expect(kind("notes", fewRepeats) == .text)
    #expect(kind("notes", Array(notes.prefix(15))) == .text)
    #expect(kind("city", cycle(countries, 60)) == .text)
  }

  @Test("missing rate, distinct count, row count and primary key are filled")
  func profile() {
    let table = TextTable(
      columnNames: ["row", "customer_id", "city"],
      columns: [
        (1...6).map(String.init), ["11", "12", "13", "14", "15", "16"],
        ["Oslo", "", "Rome", "Oslo", "", "Rome"],
      ])
    let metadata = MetadataDetector.detect(table)
    #expect(metadata.rowCount == 6)
    #expect(metadata.primaryKey == "customer_id")
    #expect(metadata["city"]?.missingRate == 2.0 / 6.0)
    #expect(metadata["city"]?.distinctCount == 2)
    #expect(metadata["row"]?.kind == .id(.integer))
  }

  @Test("adding chunks gives the same metadata as one table")
  func chunked() throws {
    let text = try CSVFixture.load("pbc.csv")
    var detector = MetadataDetector(columnNames: text.columnNames)
    var start = 0
    while start < text.rowCount {
      let end = min(start + 97, text.rowCount)
      let chunk = TextTable(
        columnNames: text.columnNames, columns: text.columns.map { Array($0[start..<end]) },
        firstLine: 2 + start)
      detector.add(chunk)
      start = end
    }
    #expect(detector.finish() == MetadataDetector.detect(text))
  }

  @Test("the distinct-value cap bounds memory and makes a column text")
  func distinctCap() {
    let values = (0..<500).map { "value \($0 * 13 % 500) of many" }
    let table = TextTable(columnNames: ["v"], columns: [values + values])
    let metadata = MetadataDetector.detect(
      table, options: .init(maxDistinct: 100, sampleSize: 50))
    #expect(metadata["v"]?.distinctCount == 100)
    #expect(metadata["v"]?.kind == .text)
    #expect(MetadataDetector.detect(table)["v"]?.kind == .categorical)
  }
}
