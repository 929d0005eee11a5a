import Doppel
import Foundation
import Testing

@Suite("Identifiers, personal data and dates in synthetic tables")
struct StringColumnTests {
  /// A table with personal data, a prefixed id and a date column.
  static func people(rows: Int = 300) throws -> Table {
    var random = SeededGenerator(seed: 99)
    let first = ["Alice", "Bruno", "Chen", "Dana", "Elif", "Farah", "Goran", "Hana"]
    let last = ["Smith", "Okafor", "Larsen", "Moreau", "Tanaka", "Silva", "Novak", "Rossi"]
    var names: [String] = []
    var emails: [String] = []
    var phones: [String] = []
    var ids: [String] = []
    var days: [Double] = []
    for row in 0..<rows {
      let f = first[random.nextInt(below: first.count)]
      let l = last[random.nextInt(below: last.count)]
      names.append("\(f) \(l)")
      emails.append("\(f.lowercased()).\(l.lowercased())\(row)@hospital.org")
      phones.append(
        String(format: "(%03d) %03d-%04d", 200 + row % 700, row % 1000, row * 7 % 10000))
      ids.append(String(format: "P-%05d", 10_000 + row * 3))
      days.append(Double(18_000 + random.nextInt(below: 2000)) * 86_400)
    }
    return try Table(columns: [
      Column(name: "patient", kind: .id(.prefixed(prefix: "P-", width: 5)), values: .strings(ids)),
      Column(name: "name", kind: .pii(.personName), values: .strings(names)),
      Column(name: "email", kind: .pii(.email), values: .strings(emails)),
      Column(name: "phone", kind: .pii(.phone), values: .strings(phones)),
      Column(name: "admitted", kind: .datetime(.isoDate), values: .numbers(days)),
    ])
  }

  @Test("personal data is replaced, never copied, and ids are fresh and unique")
  func personalDataIsNeverCopied() async throws {
    let table = try StringColumnTests.people()
    let metadata = TableMetadata(
      columns: table.columns.map { ColumnMetadata(name: $0.name, kind: $0.kind) })
    let model = try await GaussianCopulaSynthesizer().fit(
      table, metadata: metadata, seed: 1, progress: nil)
    let sample = try model.sample(rows: 2000, seed: 2)
    for name in ["name", "email", "phone"] {
      let real = Set(try #require(table[name]?.strings))
      let fake = try #require(sample[name]?.strings)
      #expect(real.isDisjoint(with: fake), "\(name) copied a real value")
      #expect(Set(fake).count > 50, "\(name) is not varied")
    }
    let phones = try #require(sample["phone"]?.strings)
    #expect(phones.allSatisfy { TextShape(of: $0).pattern == "(999) 999-9999" })
    let ids = try #require(sample["patient"]?.strings)
    #expect(Set(ids).count == ids.count)
    #expect(ids.allSatisfy { $0.hasPrefix("P-") && $0.count >= 7 })
    // The model file holds no real value of any personal-data column.
    let file = String(decoding: try ModelFile.encode(model), as: UTF8.self)
    for name in ["name", "email", "phone"] {
      for value in try #require(table[name]?.strings) {
        #expect(!file.contains(value), "the model file contains a \(name) value")
      }
    }
  }

  @Test("dates stay whole days inside the observed range and keep their format")
  func datesKeepFormat() async throws {
    let table = try StringColumnTests.people()
    let metadata = TableMetadata(
      columns: table.columns.map { ColumnMetadata(name: $0.name, kind: $0.kind) })
    let model = try await GaussianCopulaSynthesizer().fit(
      table, metadata: metadata, seed: 1, progress: nil)
    let sample = try model.sample(rows: 1000, seed: 2)
    let days = try #require(sample["admitted"]?.numbers)
    let real = try #require(table["admitted"]?.numbers)
    let low = try #require(real.min())
    let high = try #require(real.max())
    #expect(
      days.allSatisfy { $0.truncatingRemainder(dividingBy: 86_400) == 0 && $0 >= low && $0 <= high }
    )
    let text = TextTable(table: sample)
    let column = try #require(text.columnNames.firstIndex(of: "admitted"))
    #expect(
      text.columns[column].allSatisfy { DateTimeFormat.isoDate.parse($0) != nil && $0.count == 10 })
  }
}
