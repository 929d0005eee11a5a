import Doppel
import Foundation

/// The checks every synthesizer must pass, in the spirit of scikit-learn's `check_estimator`.
///
/// Each check returns the list of problems it found (empty when the synthesizer conforms), so a
/// test can write `#expect(try await SynthesizerConformance.run(...).isEmpty)` and see every
/// problem at once.
public enum SynthesizerConformance {
  /// Tolerances of the statistical checks.
  public struct Tolerances: Sendable {
    /// Allowed |real − synthetic| missing rate per column, on top of 4 binomial standard errors.
    public var missingRate: Double

    /// Creates tolerances.
    /// - Parameter missingRate: Allowed missing-rate difference beyond sampling noise.
    public init(missingRate: Double = 0.03) {
      self.missingRate = missingRate
    }
  }

  /// Runs every check on a training table.
  /// - Parameters:
  ///   - synthesizer: The synthesizer under test.
  ///   - table: A training table with at least a few hundred rows and mixed column kinds.
  ///   - metadata: Its metadata.
  ///   - rows: Rows to sample for the statistical checks.
  ///   - tolerances: Tolerances of the statistical checks.
  /// - Returns: The problems found; empty when the synthesizer conforms.
  /// - Throws: Only if the synthesizer fails to fit or sample the main table.
  public static func run<S: Synthesizer>(
    _ synthesizer: S, table: Table, metadata: TableMetadata, rows: Int = 2000,
    tolerances: Tolerances = Tolerances()
  ) async throws -> [String] {
    var problems: [String] = []
    let model = try await synthesizer.fit(table, metadata: metadata, seed: 42, progress: nil)
    let again = try await synthesizer.fit(table, metadata: metadata, seed: 42, progress: nil)
    let sample = try model.sample(rows: rows, seed: 1)
    if try again.sample(rows: rows, seed: 1) != sample {
      problems.append("fitting and sampling twice with the same seeds gave different tables")
    }
    if try model.sample(rows: rows, seed: 2) == sample {
      problems.append("sampling with different seeds gave identical tables")
    }
    problems += schemaProblems(real: table, synthetic: sample, rows: rows)
    problems += categoryProblems(real: table, synthetic: sample)
    problems += missingProblems(real: table, synthetic: sample, tolerance: tolerances.missingRate)
    problems += try roundTripProblems(model, rows: rows)
    problems += try shardProblems(model)
    problems += await edgeCaseProblems(synthesizer)
    return problems
  }

  /// Names, kinds and order of columns, and the row count.
  static func schemaProblems(real: Table, synthetic: Table, rows: Int) -> [String] {
    var problems: [String] = []
    if synthetic.rowCount != rows {
      problems.append("asked for \(rows) rows, got \(synthetic.rowCount)")
    }
    if synthetic.columnNames != real.columnNames {
      problems.append("column names or order changed")
    }
    for (r, s) in zip(real.columns, synthetic.columns) where r.kind != s.kind {
      problems.append("column \(r.name) changed kind from \(r.kind.name) to \(s.kind.name)")
    }
    return problems
  }

  /// Categorical values must come from the training categories.
  static func categoryProblems(real: Table, synthetic: Table) -> [String] {
    var problems: [String] = []
    for (r, s) in zip(real.columns, synthetic.columns) {
      guard let realCategories = r.categories, let synthCategories = s.categories else { continue }
      var seen = Set<String>()
      for row in 0..<r.count where !r.missing[row] {
        seen.insert(realCategories.labels[Int(realCategories.codes[row])])
      }
      for row in 0..<s.count where !s.missing[row] {
        let label = synthCategories.labels[Int(synthCategories.codes[row])]
        if !seen.contains(label) {
          problems.append("column \(r.name) has a category not seen in training")
          break
        }
      }
    }
    return problems
  }

  /// Missing rates within tolerance.
  static func missingProblems(real: Table, synthetic: Table, tolerance: Double) -> [String] {
    var problems: [String] = []
    for (r, s) in zip(real.columns, synthetic.columns) where r.count > 0 && s.count > 0 {
      let p = Double(r.missing.missingCount) / Double(r.count)
      let q = Double(s.missing.missingCount) / Double(s.count)
      let noise = 4 * (p * (1 - p) / Double(s.count)).squareRoot()
      if abs(p - q) > noise + tolerance {
        problems.append(
          "column \(r.name) missing rate \(String(format: "%.3f", q)) vs real \(String(format: "%.3f", p))"
        )
      }
    }
    return problems
  }

  /// Save → load → sample must reproduce the same table.
  static func roundTripProblems<M: FittedModel>(_ model: M, rows: Int) throws -> [String] {
    let data = try ModelFile.encode(model)
    let loaded = try ModelFile.decodeModel(M.self, from: data)
    if try loaded.sample(rows: rows, seed: 9) != model.sample(rows: rows, seed: 9) {
      return ["a saved and reloaded model samples differently"]
    }
    if try ModelFile.encode(loaded) != data {
      return ["a saved and reloaded model saves to different bytes"]
    }
    return []
  }

  /// Disjoint ranges must add up to the whole sample.
  static func shardProblems(_ model: some FittedModel) throws -> [String] {
    let whole = try model.sample(rows: 9001, seed: 4)
    var parts = try model.sample(range: 0..<4500, seed: 4)
    try parts.append(model.sample(range: 4500..<9001, seed: 4))
    return parts == whole ? [] : ["sampling in two ranges differs from sampling all rows at once"]
  }

  /// Tiny and degenerate tables must fit and sample, or fail with a ``DoppelError``.
  static func edgeCaseProblems<S: Synthesizer>(_ synthesizer: S) async -> [String] {
    var problems: [String] = []
    for (name, table) in EdgeCaseTables.all() {
      let metadata = TableMetadata(
        columns: table.columns.map { ColumnMetadata(name: $0.name, kind: $0.kind) })
      do {
        let model = try await synthesizer.fit(table, metadata: metadata, seed: 3, progress: nil)
        let sample = try model.sample(rows: 50, seed: 3)
        problems += schemaProblems(real: table, synthetic: sample, rows: 50).map {
          "\(name): \($0)"
        }
        problems += categoryProblems(real: table, synthetic: sample).map { "\(name): \($0)" }
      } catch is DoppelError {
        // A clear error is an accepted outcome.
      } catch {
        problems.append("\(name): failed with an error that is not a DoppelError")
      }
    }
    return problems
  }
}
