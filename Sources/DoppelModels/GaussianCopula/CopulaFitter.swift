import DoppelCore
import DoppelTransforms
import Foundation

/// Fits a ``GaussianCopulaModel``: column models first, then the normal-scores correlation.
struct CopulaFitter {
  let synthesizer: GaussianCopulaSynthesizer
  let table: Table
  let metadata: TableMetadata
  let seed: UInt64

  /// The most shapes kept for a text or personal-data column.
  static let maximumShapes = 64

  func fit(progress: ProgressReporter?) throws -> GaussianCopulaModel {
    try ModelInput.check(table, against: metadata)
    guard table.rowCount > 0 else {
      throw DoppelError(.noRows, "the training table has no rows; give at least one row")
    }
    var scores: [[Double]] = []
    var present: [[Bool]?] = []
    var models: [CopulaColumnModel] = []
    let total = table.columns.count + 1
    for (index, column) in table.columns.enumerated() {
      progress?.report("fitting columns", index, of: total)
      var random = SeededGenerator(seed: seed, label: "copula fit column", index: UInt64(index))
      let n = column.count
      var model = CopulaColumnModel(
        name: column.name, missingProbability: Double(column.missing.missingCount) / Double(n))
      switch column.values {
      case .numbers(let values):
        var rows: [Int] = []
        rows.reserveCapacity(n - column.missing.missingCount)
        for row in 0..<n where !column.missing[row] { rows.append(row) }
        if !rows.isEmpty {
          rows.sort { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
          let sorted = rows.map { values[$0] }
          model.marginal = chooseMarginal(sorted)
          if let first = sorted.first, let last = sorted.last, first < last {
            model.valueDimension = scores.count
            scores.append(rankScores(values, sortedRows: rows, count: n, random: &random))
            present.append(column.missing.hasMissing ? (0..<n).map { !column.missing[$0] } : nil)
          }
        }
        if column.missing.hasMissing && column.missing.missingCount < n {
          model.missingDimension = scores.count
          scores.append(
            indicatorScores(column.missing, probability: model.missingProbability, random: &random))
          present.append(nil)
        }
      case .categories(let codes, let labels):
        var counts = [Int](repeating: 0, count: labels.count)
        var missing = 0
        for row in 0..<n {
          if column.missing[row] {
            missing += 1
          } else if codes[row] >= 0 && Int(codes[row]) < labels.count {
            counts[Int(codes[row])] += 1
          }
        }
        // Entries: label indices with a count, and -1 for missing; most frequent first.
        var entries = (0..<labels.count).filter { counts[$0] > 0 }
        if missing > 0 { entries.append(-1) }
        let count: (Int) -> Int = { $0 < 0 ? missing : counts[$0] }
        entries.sort {
          count($0) > count($1) || (count($0) == count($1) && ($0 >= 0 && ($1 < 0 || $0 < $1)))
        }
        model.labels = entries.map { $0 < 0 ? nil : labels[$0] }
        model.probabilities = entries.map { Double(count($0)) / Double(n) }
        if entries.count >= 2 {
          model.categoryDimension = scores.count
          // start[entry + 1] is where the entry's interval begins in [0, 1].
          var start = [Double](repeating: 0, count: labels.count + 1)
          var cumulative = 0.0
          for entry in entries {
            start[entry + 1] = cumulative
            cumulative += Double(count(entry)) / Double(n)
          }
          var columnScores = [Double](repeating: 0, count: n)
          for row in 0..<n {
            let entry = column.missing[row] ? -1 : Int(codes[row])
            let width = Double(count(entry)) / Double(n)
            let u = min(start[entry + 1] + random.nextOpenUnit() * width, 1 - 1e-16)
            columnScores[row] = SpecialFunctions.normalQuantile(u)
          }
          scores.append(columnScores)
          present.append(nil)
        }
      case .strings(let values):
        if case .id = column.kind { break }
        var texts: [String] = []
        texts.reserveCapacity(n - column.missing.missingCount)
        for row in 0..<n where !column.missing[row] { texts.append(values[row]) }
        model.shapes = TextShape.learnShapes(from: texts, limit: CopulaFitter.maximumShapes)
      }
      models.append(model)
    }
    progress?.report("estimating correlations", table.columns.count, of: total)
    let correlation = CorrelationMatrix.pairwisePearson(scores, present: present)
    progress?.report("done", total, of: total)
    return GaussianCopulaModel(
      synthesizer: synthesizer, metadata: metadata, trainingRowCount: table.rowCount,
      columns: models, correlation: correlation)
  }

  private func chooseMarginal(_ sorted: [Double]) -> Marginal? {
    let candidates = synthesizer.candidateFamilies
    guard let best = Marginal.select(sorted, candidates: candidates) else { return nil }
    if synthesizer.marginal == .auto {
      let critical = 1.073 / Double(sorted.count).squareRoot()
      if best.ksDistance > critical { return Marginal.fit(sorted, family: .empirical) ?? best }
    }
    return best
  }

  /// Normal scores from ranks: a value whose ties fill sorted positions [i, j) of m gets
  /// Φ⁻¹(u) with u uniform in (i/m, j/m).
  private func rankScores(
    _ values: [Double], sortedRows: [Int], count: Int, random: inout SeededGenerator
  ) -> [Double] {
    var scores = [Double](repeating: 0, count: count)
    let m = Double(sortedRows.count)
    var i = 0
    while i < sortedRows.count {
      var j = i + 1
      while j < sortedRows.count && values[sortedRows[j]] == values[sortedRows[i]] { j += 1 }
      for position in i..<j {
        let u = (Double(i) + random.nextOpenUnit() * Double(j - i)) / m
        scores[sortedRows[position]] = SpecialFunctions.normalQuantile(u)
      }
      i = j
    }
    return scores
  }

  /// Scores of a missing indicator: present rows in (0, 1 − p), missing rows in (1 − p, 1).
  private func indicatorScores(
    _ missing: MissingMask, probability: Double, random: inout SeededGenerator
  ) -> [Double] {
    (0..<missing.count).map { row in
      let u =
        missing[row]
        ? (1 - probability) + random.nextOpenUnit() * probability
        : random.nextOpenUnit() * (1 - probability)
      return SpecialFunctions.normalQuantile(u)
    }
  }
}

/// Checks that a table matches the metadata a model is fitted with.
public enum ModelInput {
  /// Checks names, order and layouts.
  /// - Parameters:
  ///   - table: The table.
  ///   - metadata: The metadata.
  /// - Throws: ``DoppelError`` `schemaMismatch` or `unknownColumn`.
  public static func check(_ table: Table, against metadata: TableMetadata) throws {
    guard table.columnNames == metadata.columnNames else {
      throw DoppelError(
        .schemaMismatch,
        "the table's columns (\(table.columns.count)) do not match the metadata's (\(metadata.columns.count)) in names and order"
      )
    }
    for (column, entry) in zip(table.columns, metadata.columns) where column.kind != entry.kind {
      throw DoppelError(
        .schemaMismatch,
        "the column is \(column.kind.name) in the table but \(entry.kind.name) in the metadata",
        context: .init(column: column.name))
    }
  }
}
