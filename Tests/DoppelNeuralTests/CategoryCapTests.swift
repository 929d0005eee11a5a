import Doppel
import Foundation
import Testing

@testable import DoppelNeural

/// A table with a 20,000-level category: every level once, then 4,000 rows spread over the first
/// ten levels, and a number column.
private func wideCategoryTable() throws -> (Table, TableMetadata) {
  let levels = 20_000
  var random = SeededGenerator(seed: 11)
  var codes = (0..<levels).map { Int32($0) }
  for _ in 0..<4000 { codes.append(Int32(random.nextInt(below: 10))) }
  let x = codes.map { Double($0 % 7) + random.nextNormal() }
  let labels = (0..<levels).map { String(format: "L%05d", $0) }
  let table = try Table(columns: [
    Column(
      name: "level", kind: .categorical, values: .categories(codes: codes, categories: labels)),
    Column(
      name: "x", kind: .numerical(NumericalFormat(isInteger: false, decimals: 2)),
      values: .numbers(x)),
  ])
  let metadata = TableMetadata(
    columns: table.columns.map { ColumnMetadata(name: $0.name, kind: $0.kind) })
  return (table, metadata)
}

@Suite("high-cardinality categories")
struct CategoryCapTests {
  @Test("the default cap bounds a 20,000-level column to 1,000 slots plus one for the rest")
  func defaultCapBoundsWidth() throws {
    let (table, _) = try wideCategoryTable()
    let encoder = TabularEncoder.fit(table)
    let column = encoder.columns[0]
    #expect(column.categories?.count == TabularEncoder.defaultMaximumCategories)
    #expect(column.pooled?.labels.count == 20_000 - TabularEncoder.defaultMaximumCategories)
    #expect(column.slotCount == TabularEncoder.defaultMaximumCategories + 1)
    // The ten frequent levels keep their slots.
    #expect(
      Array(column.categories?.prefix(10) ?? []) == (0..<10).map { String(format: "L%05d", $0) })
  }

  @Test("encoding maps pooled levels to the other slot; decoding draws them by frequency")
  func roundTrip() throws {
    let labels = ["a", "b", "c", "d", "e"]
    // a ×6, b ×3, c ×1, d ×2, e ×0: with a cap of 2, a and b keep slots, c and d are pooled.
    let codes: [Int32] = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 3, 3]
    let table = try Table(columns: [
      Column(name: "g", kind: .categorical, values: .categories(codes: codes, categories: labels))
    ])
    let metadata = TableMetadata(
      columns: table.columns.map { ColumnMetadata(name: $0.name, kind: $0.kind) })
    let encoder = TabularEncoder.fit(table, maximumCategories: 2)
    #expect(encoder.columns[0].categories == ["a", "b"])
    #expect(encoder.columns[0].pooled == PooledCategories(labels: ["c", "d"], counts: [1, 2]))
    let data = encoder.encode(table, seed: 1)
    #expect(data.slots[0] == [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
    // Decode 3,000 rows that all chose "other": c and d come out 1 : 2.
    let n = 3000
    var output = Tensor(rows: n, cols: encoder.width)
    for row in 0..<n { output[row, 2] = 1 }
    let decoded = try encoder.decode(output, metadata: metadata, range: 0..<n, seed: 4)
    let column = try #require(decoded.columns[0].categories)
    let names = column.codes.map { column.labels[Int($0)] }
    let dShare = Double(names.filter { $0 == "d" }.count) / Double(n)
    #expect(Set(names) == ["c", "d"])
    // Binomial(3000, 2/3): the standard deviation of the share is 0.0086; 5 of them is 0.043.
    #expect(abs(dShare - 2.0 / 3) < 0.043)
    // Kept slots decode to themselves, and any range of rows reproduces the same draws.
    let again = try encoder.decode(
      Tensor(rows: 10, cols: encoder.width, data: Array(output.data[(100 * 3)..<(110 * 3)])),
      metadata: metadata, range: 100..<110, seed: 4)
    #expect(again.columns[0] == decoded.slice(100..<110).columns[0])
  }

  @Test("TVAE trains on a 20,000-level column with bounded width and samples only real levels")
  func tvaeOnWideColumn() async throws {
    let (table, metadata) = try wideCategoryTable()
    let model = try await TVAESynthesizer(
      epochs: 1, batchSize: 1000, embeddingDimension: 8, hiddenWidth: 8, threads: 1,
      maxCategories: 100
    ).fit(table, metadata: metadata, seed: 1, progress: nil)
    #expect(model.encoder.width == 101 + model.encoder.columns[1].width)
    let sample = try model.sample(rows: 2000, seed: 2)
    let column = try #require(sample.columns[0].categories)
    let real = Set(table.columns[0].categories?.labels ?? [])
    #expect(column.codes.allSatisfy { real.contains(column.labels[Int($0)]) })
    #expect(sample.columns[0].missing.missingCount == 0)
    // The file holds the pooled labels and counts, but weights only for 101 slots.
    let data = try ModelFile.encode(model)
    #expect(data.count < 1_000_000, "model file is \(data.count) bytes")
    let decoded = try ModelFile.decodeModel(TVAEModel.self, from: data)
    #expect(decoded == model)
  }

  @Test("TabDDPM pools levels beyond the cap into an other class and samples them by frequency")
  func tabddpmEncoderPools() throws {
    let labels = ["a", "b", "c", "d", "e"]
    // a ×6, b ×3, c ×1, d ×2, e ×0, and one missing row: a and b keep classes, c and d share one.
    let codes: [Int32] = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 3, 3, 0]
    var missing = MissingMask(count: codes.count)
    missing[12] = true
    let table = try Table(columns: [
      Column(
        name: "g", kind: .categorical, values: .categories(codes: codes, categories: labels),
        missing: missing)
    ])
    let metadata = TableMetadata(
      columns: table.columns.map { ColumnMetadata(name: $0.name, kind: $0.kind) })
    let encoder = TabDDPMEncoder.fit(table, maximumCategories: 2)
    #expect(encoder.columns[0].categories == ["a", "b"])
    #expect(encoder.columns[0].pooled == PooledCategories(labels: ["c", "d"], counts: [1, 2]))
    // Classes: a, b, other, missing.
    #expect(encoder.features.map(\.size) == [4])
    #expect(encoder.encode(table).classes[0] == [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3])
    // 3,000 rows that all came out "other": c and d 1 : 2, none missing.
    let n = 3000
    let decoded = try encoder.decode(
      numbers: [], classes: [[Int32](repeating: 2, count: n)], metadata: metadata,
      range: 0..<n, seed: 4)
    let column = try #require(decoded.columns[0].categories)
    let names = column.codes.map { column.labels[Int($0)] }
    #expect(Set(names) == ["c", "d"])
    #expect(decoded.columns[0].missing.missingCount == 0)
    // Binomial(3000, 2/3): the standard deviation of the share is 0.0086; 5 of them is 0.043.
    let dShare = Double(names.filter { $0 == "d" }.count) / Double(n)
    #expect(abs(dShare - 2.0 / 3) < 0.043)
    // Kept classes and the missing class decode to themselves; any range gives the same draws.
    let mixed = try encoder.decode(
      numbers: [], classes: [[0, 1, 3]], metadata: metadata, range: 0..<3, seed: 4)
    let mixedColumn = try #require(mixed.columns[0].categories)
    #expect(mixedColumn.codes.prefix(2).map { mixedColumn.labels[Int($0)] } == ["a", "b"])
    #expect(mixed.columns[0].missing[2])
    let again = try encoder.decode(
      numbers: [], classes: [[Int32](repeating: 2, count: 10)], metadata: metadata,
      range: 100..<110, seed: 4)
    #expect(again.columns[0] == decoded.slice(100..<110).columns[0])
  }

  @Test("TabDDPM trains on a 20,000-level column with bounded width and samples only real levels")
  func tabddpmOnWideColumn() async throws {
    let (table, metadata) = try wideCategoryTable()
    let model = try await TabDDPMSynthesizer(
      epochs: 1, batchSize: 1000, hiddenWidth: 8, hiddenLayers: 1, timeDimension: 8,
      timesteps: 5, threads: 1, maxCategories: 100
    ).fit(table, metadata: metadata, seed: 1, progress: nil)
    #expect(model.encoder.features.map(\.size) == [101])
    let sample = try model.sample(rows: 2000, seed: 2)
    let column = try #require(sample.columns[0].categories)
    let real = Set(table.columns[0].categories?.labels ?? [])
    #expect(column.codes.allSatisfy { real.contains(column.labels[Int($0)]) })
    let data = try ModelFile.encode(model)
    #expect(data.count < 1_000_000, "model file is \(data.count) bytes")
    #expect(try ModelFile.decodeModel(TabDDPMModel.self, from: data) == model)
  }
}
