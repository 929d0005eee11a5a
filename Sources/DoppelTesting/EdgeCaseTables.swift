import Doppel

/// Small degenerate tables every synthesizer must handle or refuse with a clear error.
public enum EdgeCaseTables {
  /// The named tables: one row, a constant column, an all-missing column, a single category.
  /// - Returns: Pairs of a name and a table.
  public static func all() -> [(String, Table)] {
    var tables: [(String, Table)] = []
    let numeric = ColumnKind.numerical(NumericalFormat(isInteger: false, decimals: 2))
    func add(_ name: String, _ build: () throws -> Table) {
      if let table = try? build() { tables.append((name, table)) }
    }
    add("one row") {
      try Table(columns: [
        Column(name: "x", kind: numeric, values: .numbers([1.5])),
        Column(name: "c", kind: .categorical, values: .categories(codes: [0], categories: ["a"])),
      ])
    }
    add("constant column") {
      try Table(columns: [
        Column(name: "x", kind: numeric, values: .numbers(Array(repeating: 3.25, count: 40))),
        Column(name: "y", kind: numeric, values: .numbers((0..<40).map { Double($0) / 4 })),
      ])
    }
    add("all-missing column") {
      try Table(columns: [
        Column(
          name: "x", kind: numeric, values: .numbers(Array(repeating: 0, count: 40)),
          missing: MissingMask(Array(repeating: true, count: 40))),
        Column(
          name: "c", kind: .categorical,
          values: .categories(codes: Array(repeating: 0, count: 40), categories: ["a"]),
          missing: MissingMask(Array(repeating: true, count: 40))),
        Column(name: "y", kind: numeric, values: .numbers((0..<40).map { Double($0) })),
      ])
    }
    add("single category") {
      try Table(columns: [
        Column(
          name: "c", kind: .categorical,
          values: .categories(codes: Array(repeating: 0, count: 40), categories: ["only"])),
        Column(name: "y", kind: numeric, values: .numbers((0..<40).map { Double($0 % 7) })),
      ])
    }
    return tables
  }
}
