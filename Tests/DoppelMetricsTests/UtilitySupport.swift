import Doppel
import Foundation

/// The path of a file in `Examples/data`, found from this source file.
func utilityDataPath(_ name: String) -> String {
  URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Examples/data").appendingPathComponent(name).path
}

/// `adult.csv`, loaded once for every test that needs it.
private let adultTable = Result { try TableSource.load(path: utilityDataPath("adult.csv")).table }

/// The adult census table (32,561 rows, label `income`).
func loadAdult() throws -> Table { try adultTable.get() }

/// Splits a table into a shuffled training part of `share` of the rows and a test part.
func utilitySplit(_ table: Table, share: Double, seed: UInt64) -> (train: Table, test: Table) {
  var generator = SeededGenerator(seed: seed)
  var order = Array(0..<table.rowCount)
  for index in stride(from: order.count - 1, to: 0, by: -1) {
    order.swapAt(index, generator.nextInt(below: index + 1))
  }
  let cut = Int(Double(table.rowCount) * share)
  return (table.selectingRows(Array(order[..<cut])), table.selectingRows(Array(order[cut...])))
}

/// A table with the values of column `name` shuffled across rows.
func shufflingColumn(_ table: Table, _ name: String, seed: UInt64) throws -> Table {
  var generator = SeededGenerator(seed: seed)
  var order = Array(0..<table.rowCount)
  for index in stride(from: order.count - 1, to: 0, by: -1) {
    order.swapAt(index, generator.nextInt(below: index + 1))
  }
  let columns = table.columns.map { $0.name == name ? $0.selecting(order) : $0 }
  return try Table(columns: columns)
}

/// The same column with its category list in reverse order and its codes remapped to match, so
/// every row keeps its label.
func reversingCategories(_ column: Column) throws -> Column {
  guard let (codes, labels) = column.categories else { return column }
  let count = Int32(labels.count)
  return try Column(
    name: column.name, kind: column.kind,
    values: .categories(codes: codes.map { count - 1 - $0 }, categories: labels.reversed()),
    missing: column.missing)
}

/// A numerical column.
func numberColumn(_ name: String, _ values: [Double], missing: [Bool]? = nil) throws -> Column {
  try Column(
    name: name, kind: .numerical(NumericalFormat(isInteger: false)), values: .numbers(values),
    missing: missing.map(MissingMask.init))
}

/// A categorical column from labels, its categories listed in first-seen order.
func categoryColumn(_ name: String, _ values: [String], missing: [Bool]? = nil) throws -> Column {
  var labels: [String] = []
  var codes: [Int32] = []
  for value in values {
    if let code = labels.firstIndex(of: value) {
      codes.append(Int32(code))
    } else {
      codes.append(Int32(labels.count))
      labels.append(value)
    }
  }
  return try Column(
    name: name, kind: .categorical, values: .categories(codes: codes, categories: labels),
    missing: missing.map(MissingMask.init))
}

/// A toy classification table: `signal` in [0, 1) decides the label `y` (`yes` above 0.5), with
/// `flip` of the labels flipped at random, `noise` is independent of everything, and `colour`
/// is one of four labels, independent too.
func toyClassification(rows: Int, flip: Double, seed: UInt64) throws -> Table {
  var generator = SeededGenerator(seed: seed)
  var signal: [Double] = []
  var noise: [Double] = []
  var colour: [String] = []
  var label: [String] = []
  for _ in 0..<rows {
    let x = generator.nextUnit()
    signal.append(x)
    noise.append(generator.nextUnit())
    colour.append(["red", "green", "blue", "grey"][generator.nextInt(below: 4)])
    let positive = (x > 0.5) != (generator.nextUnit() < flip)
    label.append(positive ? "yes" : "no")
  }
  return try Table(columns: [
    numberColumn("signal", signal), numberColumn("noise", noise),
    categoryColumn("colour", colour), categoryColumn("y", label),
  ])
}
