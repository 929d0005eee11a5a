import Doppel
import Foundation

/// Tables shared by the privacy tests: the example data, split with fixed seeds.
enum PrivacyFixtures {
  /// The repository's `Examples/data` folder, found from this file's path.
  static let dataFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Examples/data")

  /// Loads an example table with its detected metadata.
  static func load(_ name: String) throws -> (table: Table, metadata: TableMetadata) {
    try TableSource.load(path: dataFolder.appendingPathComponent(name).path)
  }

  private static let adultResult = Result { try load("adult.csv") }
  private static let pbcResult = Result { try load("pbc.csv") }

  /// `adult.csv` (32,561 rows), loaded once.
  static func adult() throws -> (table: Table, metadata: TableMetadata) { try adultResult.get() }

  /// `pbc.csv` (418 rows), loaded once.
  static func pbc() throws -> (table: Table, metadata: TableMetadata) { try pbcResult.get() }

  /// Disjoint random parts of a table, of the sizes given, drawn with a fixed seed.
  static func split(_ table: Table, sizes: [Int], seed: UInt64) -> [Table] {
    var generator = SeededGenerator(seed: seed)
    var order = Array(0..<table.rowCount)
    var index = order.count - 1
    while index > 0 {
      order.swapAt(index, generator.nextInt(below: index + 1))
      index -= 1
    }
    var start = 0
    return sizes.map { size in
      defer { start += size }
      return table.selectingRows(Array(order[start..<start + size]))
    }
  }

  /// A Gaussian copula sample of `rows` rows fitted on `table`.
  static func copulaSample(
    of table: Table, metadata: TableMetadata, rows: Int, seed: UInt64
  ) async throws -> Table {
    let model = try await GaussianCopulaSynthesizer().fit(
      table, metadata: metadata, seed: seed, progress: nil)
    return try model.sample(rows: rows, seed: seed + 1)
  }

  /// The same table with every category list reversed (codes remapped), so equal labels have
  /// different codes than in the original.
  static func reversingCategories(_ table: Table) throws -> Table {
    try Table(
      columns: table.columns.map { column in
        guard case .categories(let codes, let labels) = column.values else { return column }
        let last = Int32(labels.count - 1)
        return try Column(
          name: column.name, kind: column.kind,
          values: .categories(codes: codes.map { last - $0 }, categories: labels.reversed()),
          missing: column.missing)
      })
  }

  /// A numerical column format for tests.
  static let decimal = ColumnKind.numerical(NumericalFormat(isInteger: false, decimals: 2))
}
