import DoppelCore
import Foundation
import Testing

@testable import DoppelMetrics

@Suite("Fidelity evaluator")
struct FidelityEvaluatorTests {
  @Test("one call fills quality, fidelity, summary and charts for pbc")
  func pbc() throws {
    let result = try FidelityEvaluator.evaluate(
      real: TestSupport.pbc(), synthetic: TestSupport.pbcSynthetic(), seed: 42)
    #expect(abs(result.quality.overall - 0.7456748916161233) < 1e-9)
    #expect(result.fidelity.columns.count == 20)
    #expect(result.fidelity.pmse != nil)
    #expect(result.summary.real.count == 20 && result.summary.synthetic.count == 20)
    #expect(result.charts.distributions.count == 19)
    #expect(result.charts.scatters.count == 4)
    #expect(result.charts.correlations?.columns.count == 12)
    // Everything encodes to JSON (no NaN or infinity anywhere).
    let encoder = JSONEncoder()
    _ = try encoder.encode(result.quality)
    _ = try encoder.encode(result.fidelity)
    _ = try encoder.encode(result.summary)
    _ = try encoder.encode(result.charts)
  }

  @Test("the same inputs and seed give the same results")
  func deterministic() throws {
    let real = try TestSupport.correlated(rows: 500, seed: 1)
    let synthetic = try TestSupport.correlated(rows: 400, seed: 2)
    let first = try FidelityEvaluator.evaluate(real: real, synthetic: synthetic, seed: 3)
    let second = try FidelityEvaluator.evaluate(real: real, synthetic: synthetic, seed: 3)
    #expect(first.quality == second.quality && first.fidelity == second.fidelity)
    #expect(first.summary == second.summary && first.charts == second.charts)
  }

  @Test("synthetic columns in another order are matched by name")
  func columnOrder() throws {
    let real = try TestSupport.correlated(rows: 200, seed: 1)
    let shuffled = try Table(columns: real.columns.reversed())
    let result = try FidelityEvaluator.evaluate(real: real, synthetic: shuffled, seed: 1)
    #expect(result.quality.overall == 1)
    #expect(result.summary.synthetic.map(\.column) == real.columnNames)
  }

  @Test("missing, extra and mistyped columns are all named in one schemaMismatch error")
  func schemaErrors() throws {
    let real = try Table(columns: [
      TestSupport.numbers("a", [1, 2]), TestSupport.numbers("b", [1, 2]),
      TestSupport.labels("c", ["x", "y"]),
    ])
    let synthetic = try Table(columns: [
      TestSupport.labels("a", ["secret", "2"]), TestSupport.labels("c", ["x", "y"]),
      TestSupport.numbers("d", [1, 2]),
    ])
    let error = try #require(throws: DoppelError.self) {
      try FidelityEvaluator.evaluate(real: real, synthetic: synthetic, seed: 1)
    }
    #expect(error.code == .schemaMismatch)
    #expect(error.context.column == "b")
    for name in ["\"b\"", "\"d\"", "\"a\""] { #expect(error.message.contains(name)) }
    #expect(!error.message.contains("secret"))
  }

  @Test("an empty table is refused with schemaMismatch")
  func emptyTable() throws {
    let real = try TestSupport.correlated(rows: 20, seed: 1)
    let empty = real.selectingRows([])
    let error = try #require(throws: DoppelError.self) {
      try FidelityEvaluator.evaluate(real: real, synthetic: empty, seed: 1)
    }
    #expect(error.code == .schemaMismatch && error.message.contains("synthetic table has no rows"))
  }

  @Test("roles may override kinds, and a role for an unknown column is refused")
  func roles() throws {
    let real = try TestSupport.correlated(rows: 100, seed: 1)
    let synthetic = try TestSupport.correlated(rows: 100, seed: 2)
    let result = try FidelityEvaluator.evaluate(
      real: real, synthetic: synthetic, roles: ["y": .discrete, "x": .ignored], seed: 1)
    #expect(result.quality.columns.map(\.metric) == ["TVComplement", "TVComplement"])
    let error = try #require(throws: DoppelError.self) {
      try FidelityEvaluator.evaluate(
        real: real, synthetic: synthetic, roles: ["z": .discrete], seed: 1)
    }
    #expect(error.code == .unknownColumn && error.context.column == "z")
    let onlyIds = try Table(columns: [TestSupport.ids("id", count: 3)])
    let none = try #require(throws: DoppelError.self) {
      try FidelityEvaluator.evaluate(real: onlyIds, synthetic: onlyIds, seed: 1)
    }
    #expect(none.code == .invalidArgument)
  }

  @Test("a continuous role on text labels is refused naming the column")
  func continuousText() throws {
    let table = try Table(columns: [TestSupport.labels("c", ["a", "b"])])
    let error = try #require(throws: DoppelError.self) {
      try FidelityEvaluator.evaluate(
        real: table, synthetic: table, roles: ["c": .continuous], seed: 1)
    }
    #expect(error.code == .invalidArgument && error.context.column == "c")
  }
}
