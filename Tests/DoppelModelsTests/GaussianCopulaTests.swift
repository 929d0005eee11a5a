import Doppel
import Foundation
import Testing

/// A correlated table of 2,000 rows: x ~ N(50, 10), y = 2x + noise, a category that depends on
/// x, an integer count with a point mass at 0, and 10% missing in y.
func correlatedTable(rows: Int = 2000, seed: UInt64 = 11) throws -> Table {
  var random = SeededGenerator(seed: seed)
  var x: [Double] = []
  var y: [Double] = []
  var yMissing = MissingMask(count: rows)
  var codes: [Int32] = []
  var counts: [Double] = []
  for row in 0..<rows {
    let a = 50 + 10 * random.nextNormal()
    x.append((a * 100).rounded() / 100)
    y.append(((2 * a + 5 * random.nextNormal()) * 10).rounded() / 10)
    if random.nextUnit() < 0.1 { yMissing[row] = true }
    codes.append(a > 55 ? 0 : (a > 45 ? 1 : 2))
    counts.append(random.nextUnit() < 0.6 ? 0 : Double(1 + random.nextInt(below: 20)))
  }
  return try Table(columns: [
    Column(
      name: "x", kind: .numerical(NumericalFormat(isInteger: false, decimals: 2)),
      values: .numbers(x)),
    Column(
      name: "y", kind: .numerical(NumericalFormat(isInteger: false, decimals: 1)),
      values: .numbers(y),
      missing: yMissing),
    Column(
      name: "band", kind: .categorical,
      values: .categories(codes: codes, categories: ["high", "mid", "low"])),
    Column(
      name: "count", kind: .numerical(NumericalFormat(isInteger: true)), values: .numbers(counts)),
  ])
}

func metadata(of table: Table) -> TableMetadata {
  TableMetadata(columns: table.columns.map { ColumnMetadata(name: $0.name, kind: $0.kind) })
}

func pearson(_ a: [Double], _ b: [Double]) -> Double {
  let n = Double(a.count)
  let ma = a.reduce(0, +) / n
  let mb = b.reduce(0, +) / n
  var sab = 0.0
  var saa = 0.0
  var sbb = 0.0
  for i in 0..<a.count {
    sab += (a[i] - ma) * (b[i] - mb)
    saa += (a[i] - ma) * (a[i] - ma)
    sbb += (b[i] - mb) * (b[i] - mb)
  }
  return sab / (saa * sbb).squareRoot()
}

@Suite("Gaussian copula")
struct GaussianCopulaTests {
  @Test("keeps marginals, correlation and missing rate of a correlated table")
  func keepsStatistics() async throws {
    let table = try correlatedTable()
    let model = try await GaussianCopulaSynthesizer().fit(
      table, metadata: metadata(of: table), seed: 7, progress: nil)
    let synthetic = try model.sample(rows: 4000, seed: 3)
    let fidelity = try ColumnFidelity(real: table, synthetic: synthetic)
    for entry in fidelity.columns {
      // With 2,000 real and 4,000 synthetic rows, sampling noise alone gives KS about 0.02-0.03.
      #expect((entry.score ?? 0) > 0.93, "\(entry.column) shape score \(entry.score ?? -1)")
      #expect(entry.missingRateDifference < 0.02, "\(entry.column) missing rate")
    }
    let xs = try #require(synthetic["x"]?.numbers)
    let ys = try #require(synthetic["y"]?.numbers)
    let mask = try #require(synthetic["y"]?.missing)
    let present = (0..<xs.count).filter { !mask[$0] }
    let r = pearson(present.map { xs[$0] }, present.map { ys[$0] })
    // The real correlation is 20 / sqrt(400 + 25) ≈ 0.970.
    #expect(abs(r - 0.970) < 0.03, "correlation \(r)")
    let counts = try #require(synthetic["count"]?.numbers)
    #expect(counts.allSatisfy { $0 == $0.rounded() && $0 >= 0 && $0 <= 20 })
    let zeros = Double(counts.filter { $0 == 0 }.count) / Double(counts.count)
    #expect(abs(zeros - 0.6) < 0.04, "point mass at zero \(zeros)")
  }

  @Test("samples the same rows for any range that covers them")
  func shardsAddUp() async throws {
    let table = try correlatedTable(rows: 300)
    let model = try await GaussianCopulaSynthesizer().fit(
      table, metadata: metadata(of: table), seed: 1, progress: nil)
    let whole = try model.sample(rows: 10000, seed: 5)
    var pieces = try model.sample(range: 0..<3333, seed: 5)
    try pieces.append(model.sample(range: 3333..<6667, seed: 5))
    try pieces.append(model.sample(range: 6667..<10000, seed: 5))
    #expect(pieces == whole)
  }
}
