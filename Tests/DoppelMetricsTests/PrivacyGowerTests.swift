import Doppel
import Foundation
import Testing

@Suite("Gower distance")
struct PrivacyGowerTests {
  /// Two rows: x numeric (range 10 in the reference), c categorical, one text column.
  private func smallTables() throws -> (reference: Table, other: Table) {
    let reference = try Table(columns: [
      Column(name: "x", kind: PrivacyFixtures.decimal, values: .numbers([0, 10, 5])),
      Column(
        name: "c", kind: .categorical,
        values: .categories(codes: [0, 1, 0], categories: ["a", "b"])),
      Column(name: "note", kind: .text, values: .strings(["p", "q", "r"])),
    ])
    let other = try Table(columns: [
      Column(
        name: "x", kind: PrivacyFixtures.decimal, values: .numbers([2.5, 40, 0]),
        missing: MissingMask([false, false, true])),
      Column(
        name: "c", kind: .categorical,
        values: .categories(codes: [0, 1, 0], categories: ["b", "a"]),
        missing: MissingMask([false, false, true])),
      Column(name: "note", kind: .text, values: .strings(["z", "z", "z"])),
    ])
    return (reference, other)
  }

  @Test("a row is at distance 0 from itself and every distance lies in [0, 1]")
  func identityAndRange() throws {
    let pbc = try PrivacyFixtures.pbc().table
    let gower = GowerDistance(reference: pbc)
    for row in stride(from: 0, to: pbc.rowCount, by: 7) {
      #expect(try gower.distance(pbc, row: row, pbc, row: row) == 0)
    }
    for a in 0..<40 {
      for b in 0..<40 {
        let d = try gower.distance(pbc, row: a, pbc, row: b)
        #expect(d >= 0 && d <= 1)
        #expect(d == (try gower.distance(pbc, row: b, pbc, row: a)))
      }
    }
  }

  @Test("identifier, text and personal-data columns are left out")
  func excludedColumns() throws {
    let (reference, _) = try smallTables()
    let gower = GowerDistance(reference: reference)
    #expect(gower.columns == ["x", "c"])
    #expect(gower.rules == [.numeric(minimum: 0, range: 10), .categorical])
  }

  @Test("numbers are scaled by the reference range and capped at 1; labels match by text")
  func numbersAndLabels() throws {
    let (reference, other) = try smallTables()
    let gower = GowerDistance(reference: reference)
    // x: |0 − 2.5| / 10 = 0.25; c: "a" vs "b" (code 0 in both tables, different labels) = 1.
    #expect(abs(try gower.distance(reference, row: 0, other, row: 0) - (0.25 + 1) / 2) < 1e-12)
    // x: |10 − 40| / 10 is capped at 1; c: "b" vs "a" = 1.
    #expect(try gower.distance(reference, row: 1, other, row: 1) == 1)
    // x: |10 − 2.5| / 10 = 0.75; c: "b" (code 1) vs "b" (code 0 in the other table) = 0.
    #expect(abs(try gower.distance(reference, row: 1, other, row: 0) - 0.75 / 2) < 1e-12)
  }

  @Test("two missing values are equal; a missing and a present value differ by 1")
  func missingValues() throws {
    let (reference, other) = try smallTables()
    let gower = GowerDistance(reference: reference)
    #expect(try gower.distance(other, row: 2, other, row: 2) == 0)
    #expect(try gower.distance(reference, row: 2, other, row: 2) == 1)
  }

  @Test("a column constant in the reference counts any difference as 1")
  func constantColumn() throws {
    let reference = try Table(columns: [
      Column(name: "x", kind: PrivacyFixtures.decimal, values: .numbers([3, 3]))
    ])
    let other = try Table(columns: [
      Column(name: "x", kind: PrivacyFixtures.decimal, values: .numbers([3, 3.001]))
    ])
    let gower = GowerDistance(reference: reference)
    #expect(try gower.distance(reference, row: 0, other, row: 0) == 0)
    #expect(try gower.distance(reference, row: 0, other, row: 1) == 1)
  }

  @Test("a table without a compared column, or with it stored differently, is refused")
  func schemaErrors() throws {
    let (reference, _) = try smallTables()
    let gower = GowerDistance(reference: reference)
    let noX = try Table(columns: [reference.columns[1]])
    let error = try #require(throws: DoppelError.self) {
      try gower.distance(reference, row: 0, noX, row: 0)
    }
    #expect(error.code == .unknownColumn)
    let textX = try Table(columns: [
      Column(name: "x", kind: .text, values: .strings(["1", "2", "3"])), reference.columns[1],
    ])
    let mismatch = try #require(throws: DoppelError.self) {
      try gower.distance(reference, row: 0, textX, row: 0)
    }
    #expect(mismatch.code == .schemaMismatch)
  }
}
