import DoppelCore
import DoppelStores
import DoppelTesting
import Foundation
import Testing

/// A small table with a missing value in each column, typed by detection.
private func sampleTable() -> (TextTable, TableMetadata) {
  let text = TextTable(
    columnNames: ["id", "age", "score", "city"],
    columns: [
      ["1", "2", "3", "4"], ["34", "", "51", "29"], ["1.5", "2.25", "", "-0.125"],
      ["Oslo", "Lima", "Oslo", ""],
    ])
  return (text, MetadataDetector.detect(text))
}

@Suite("Table stores")
struct TableStoreTests {
  @Test("store locations are recognized by URL scheme, suffix or folder")
  func locations() throws {
    #expect(try StoreLocation("data").kind == "csv")
    #expect(try StoreLocation("lake.sqlite").kind == "sqlite")
    #expect(try StoreLocation("lake.db").kind == "sqlite")
    let location = try StoreLocation("postgres://u:secret@127.0.0.1:5433/lake?schema=sales")
    guard case .postgres(let postgres) = location else {
      Issue.record("not a PostgreSQL location")
      return
    }
    #expect(postgres.port == 5433)
    #expect(postgres.schema == "sales")
    #expect(postgres.database == "lake")
    #expect(!postgres.redacted.contains("secret"))
    #expect(throws: DoppelError.self) { try StoreLocation("postgres://127.0.0.1/lake") }
    #expect(throws: DoppelError.self) { try StoreLocation("postgres://u@h/db?schema=a;drop") }
  }

  @Test("a CSV folder lists, writes and reads tables; names that escape the folder are refused")
  func csvFolder() async throws {
    let scratch = try Scratch()
    let store = try CSVFolderStore(path: scratch.file("lake"), create: true)
    let (text, metadata) = sampleTable()
    try await store.write(text, as: "people", metadata: metadata)
    #expect(try await store.tableNames() == ["people"])
    #expect(try await store.read("people") == text)
    await #expect(throws: DoppelError.self) { try await store.read("../people") }
  }

  @Test("SQLite tables round-trip with NULL as missing and typed columns")
  func sqliteRoundTrip() async throws {
    let scratch = try Scratch()
    let store = try SQLiteStore(path: scratch.file("lake.sqlite"), create: true)
    let (text, metadata) = sampleTable()
    try await store.write(text, as: "people", metadata: metadata)
    // Writing again replaces the table rather than appending to it.
    try await store.write(text, as: "people", metadata: metadata)
    #expect(try await store.tableNames() == ["people"])
    let back = try await store.read("people")
    #expect(back.columnNames == text.columnNames)
    #expect(back.rowCount == 4)
    #expect(back.columns[1] == ["34", "", "51", "29"])
    #expect(back.columns[3] == text.columns[3])
    #expect(back.columns[2].map { Double($0) } == text.columns[2].map { Double($0) })
    await store.close()
  }

  @Test("opening a file that is not SQLite fails with an io error")
  func notSQLite() throws {
    let scratch = try Scratch()
    let path = scratch.file("fake.sqlite")
    try Data("this is not a database, just text that is long enough".utf8).write(
      to: URL(fileURLWithPath: path))
    #expect(throws: DoppelError.self) { try SQLiteStore(path: path) }
  }

  @Test("PostgreSQL tables round-trip in their own schema with NULL as missing")
  func postgresRoundTrip() async throws {
    guard let url = try TestServices.postgresURL() else { return }
    let schema = "store_test_\(UInt32.random(in: 0...UInt32.max))"
    var location = try PostgresLocation(url: url)
    location.schema = schema
    let store = try await PostgresStore(location: location, create: true)
    let (text, metadata) = sampleTable()
    try await store.write(text, as: "people", metadata: metadata)
    try await store.write(text, as: "people", metadata: metadata)
    #expect(try await store.tableNames() == ["people"])
    let back = try await store.read("people")
    #expect(back.columnNames == text.columnNames)
    #expect(back.columns[1] == ["34", "", "51", "29"])
    #expect(back.columns[3] == text.columns[3])
    #expect(back.columns[2].map { Double($0) } == text.columns[2].map { Double($0) })
    await #expect(throws: DoppelError.self) { try await store.read("absent") }
    await store.close()
  }
}
