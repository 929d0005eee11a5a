import Doppel
import Foundation
import Testing

@Suite("Privacy evaluator errors")
struct PrivacyErrorTests {
  /// A small table whose labels are secrets that must never reach an error message.
  private func table(rows: Int = 4, extra: Bool = false) throws -> Table {
    var columns = [
      try Column(
        name: "x", kind: PrivacyFixtures.decimal,
        values: .numbers((0..<rows).map { Double($0) * 1.25 })),
      try Column(
        name: "secret", kind: .categorical,
        values: .categories(
          codes: (0..<rows).map { Int32($0 % 2) }, categories: ["Alice-Private", "Bob-Private"])),
    ]
    if extra {
      columns.append(
        try Column(
          name: "y", kind: .categorical,
          values: .categories(
            codes: Array(repeating: 0, count: rows), categories: ["z"])))
    }
    return try Table(columns: columns)
  }

  private func failure(_ body: () throws -> PrivacyResult) throws -> DoppelError {
    let error = try #require(throws: DoppelError.self) { _ = try body() }
    #expect(!error.description.contains("Private"))
    return error
  }

  @Test("an empty table is refused with noRows, naming every empty table")
  func emptyTables() throws {
    let empty = try table(rows: 0)
    let error = try failure {
      try PrivacyEvaluator.evaluate(train: empty, synthetic: try table(), holdout: empty, seed: 1)
    }
    #expect(error.code == .noRows)
    #expect(error.message.contains("training") && error.message.contains("holdout"))
  }

  @Test("tables with other columns or layouts are refused with schemaMismatch")
  func schemaMismatch() throws {
    let extra = try failure {
      try PrivacyEvaluator.evaluate(
        train: try table(), synthetic: try table(extra: true), holdout: nil, seed: 1)
    }
    #expect(extra.code == .schemaMismatch)
    #expect(extra.context.column == "y")
    let base = try table()
    let textSecret = try Table(columns: [
      base.columns[0], Column(name: "secret", kind: .text, values: .strings(["a", "b", "c", "d"])),
    ])
    let layout = try failure {
      try PrivacyEvaluator.evaluate(train: base, synthetic: base, holdout: textSecret, seed: 1)
    }
    #expect(layout.code == .schemaMismatch)
    #expect(layout.message.contains("holdout"))
    let both = try failure {
      try PrivacyEvaluator.evaluate(
        train: base, synthetic: try table(extra: true), holdout: textSecret, seed: 1)
    }
    #expect(both.message.contains("synthetic") && both.message.contains("holdout"))
  }

  @Test("unknown key and sensitive columns are all listed with unknownColumn")
  func unknownColumns() throws {
    let error = try failure {
      try PrivacyEvaluator.evaluate(
        train: try table(), synthetic: try table(), holdout: nil, keys: ["x", "age", "zip"],
        sensitive: "income", seed: 1)
    }
    #expect(error.code == .unknownColumn)
    for name in ["age", "zip", "income"] { #expect(error.message.contains("\"\(name)\"")) }
    #expect(!error.message.contains("\"x\""))
    #expect(error.context.column == "age")
  }

  @Test("keys without a sensitive column, or bad options, are refused with invalidArgument")
  func invalidArguments() throws {
    let onlyKeys = try failure {
      try PrivacyEvaluator.evaluate(
        train: try table(), synthetic: try table(), holdout: nil, keys: ["x"], seed: 1)
    }
    #expect(onlyKeys.code == .invalidArgument)
    let sensitiveKey = try failure {
      try PrivacyEvaluator.evaluate(
        train: try table(), synthetic: try table(), holdout: nil, keys: ["x", "secret"],
        sensitive: "secret", seed: 1)
    }
    #expect(sensitiveKey.code == .invalidArgument)
    let options = try failure {
      try PrivacyEvaluator.evaluate(
        train: try table(), synthetic: try table(), holdout: nil, seed: 1,
        options: PrivacyOptions(syntheticSampleSize: 0, threads: 0))
    }
    #expect(options.code == .invalidArgument)
    #expect(options.message.contains("syntheticSampleSize") && options.message.contains("threads"))
  }

  @Test("a table with nothing to compare is refused with invalidArgument")
  func nothingToCompare() throws {
    let ids = try Table(columns: [
      Column(name: "id", kind: .id(.integer), values: .strings(["1", "2"]))
    ])
    let error = try failure {
      try PrivacyEvaluator.evaluate(train: ids, synthetic: ids, holdout: nil, seed: 1)
    }
    #expect(error.code == .invalidArgument)
  }
}
