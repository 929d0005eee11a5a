import DoppelCore
import DoppelMetrics
import Foundation

/// What to evaluate besides fidelity, which is always computed.
public struct EvaluationOptions: Sendable {
  /// The label column for train-synthetic-test-real utility; `nil` skips utility.
  public var label: String?
  /// Key (quasi-identifier) columns for attribute disclosure.
  public var keys: [String]
  /// The sensitive column for attribute disclosure.
  public var sensitive: String?
  /// The seed of every sampled or permuted step.
  public var seed: UInt64
  /// Settings of the utility models (forest size, permutation repeats).
  public var utility: UtilityOptions

  /// The utility settings `doppel evaluate` and `doppel run` use: random forests of 50 trees
  /// (accuracy on adult within 0.005 of 100 trees, at half the time) and two permutation
  /// repeats per feature.
  public static let defaultUtility = UtilityOptions(
    forest: RandomForestOptions(trees: 50), permutationRepeats: 2)

  /// Creates options.
  /// - Parameters:
  ///   - label: The label column.
  ///   - keys: Key columns for attribute disclosure.
  ///   - sensitive: The sensitive column.
  ///   - seed: The seed.
  ///   - utility: Settings of the utility models.
  public init(
    label: String? = nil, keys: [String] = [], sensitive: String? = nil, seed: UInt64 = 0,
    utility: UtilityOptions = EvaluationOptions.defaultUtility
  ) {
    self.utility = utility
    self.label = label
    self.keys = keys
    self.sensitive = sensitive
    self.seed = seed
  }
}

/// Computes a full ``Evaluation`` of a synthetic table: fidelity, summary statistics, utility,
/// privacy and chart data.
public enum Evaluator {
  /// Evaluates a synthetic table against the real table it was made from.
  /// - Parameters:
  ///   - real: The real (training) table.
  ///   - synthetic: The synthetic table, with the real table's columns.
  ///   - holdout: Real rows the synthesizer never saw, if any; needed for utility and for the
  ///     train-versus-holdout privacy measures.
  ///   - options: Label, disclosure columns and seed.
  ///   - modelCard: What made the synthetic table, if known.
  /// - Returns: The evaluation.
  /// - Throws: ``DoppelError`` `schemaMismatch` when the tables' columns differ, `unknownColumn`
  ///   for an unknown label, key or sensitive column, `noRows` for an empty table.
  public static func evaluate(
    real: Table, synthetic: Table, holdout: Table?, options: EvaluationOptions,
    modelCard: ModelCard? = nil
  ) throws -> Evaluation {
    let started = Date()
    try checkSameColumns(real, synthetic, what: "synthetic")
    if let holdout { try checkSameColumns(real, holdout, what: "holdout") }
    for (table, what) in [(real, "real"), (synthetic, "synthetic")] where table.rowCount == 0 {
      throw DoppelError(.noRows, "the \(what) table has no rows")
    }
    var phases: [String: Double] = [:]
    var phaseStart = Date()
    func endPhase(_ name: String) {
      phases[name] = Date().timeIntervalSince(phaseStart)
      phaseStart = Date()
    }
    let fidelity = try FidelityEvaluator.evaluate(
      real: real, synthetic: synthetic, seed: options.seed)
    endPhase("fidelity")
    var utility: UtilityResult?
    if let label = options.label {
      guard real.index(of: label) != nil else {
        throw DoppelError(
          .unknownColumn, "the label column is not in the table; check --label",
          context: .init(column: label))
      }
      guard let holdout, holdout.rowCount > 0 else {
        throw DoppelError(
          .invalidArgument,
          "utility needs real test rows the synthesizer never saw; pass --holdout or --split")
      }
      utility = try UtilityEvaluator.evaluate(
        train: real, synthetic: synthetic, test: holdout, label: label, seed: options.seed,
        options: options.utility)
      endPhase("utility")
    }
    let privacy = try PrivacyEvaluator.evaluate(
      train: real, synthetic: synthetic, holdout: holdout, keys: options.keys,
      sensitive: options.sensitive, seed: options.seed)
    endPhase("privacy")
    let dataset = DatasetInfo(
      realRows: real.rowCount, syntheticRows: synthetic.rowCount, holdoutRows: holdout?.rowCount,
      columns: real.columns.map { DatasetInfo.ColumnInfo(name: $0.name, kind: $0.kind.name) },
      label: options.label)
    var evaluation = Evaluation(
      dataset: dataset, quality: fidelity.quality, fidelity: fidelity.fidelity,
      summary: fidelity.summary, utility: utility, privacy: privacy, charts: fidelity.charts,
      modelCard: modelCard, seconds: Date().timeIntervalSince(started))
    evaluation.phaseSeconds = phases
    return evaluation
  }

  /// Encodes an evaluation as sorted, pretty JSON.
  /// - Parameter evaluation: The evaluation.
  /// - Returns: The JSON bytes.
  /// - Throws: An encoding error for non-finite numbers.
  public static func encode(_ evaluation: Evaluation) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try encoder.encode(evaluation)
  }

  /// Reads an evaluation file, checking its format version.
  /// - Parameter data: The JSON bytes.
  /// - Returns: The evaluation.
  /// - Throws: ``DoppelError`` `invalidArgument` for a file that is not an evaluation,
  ///   `unsupportedVersion` for a newer one.
  public static func decode(_ data: Data) throws -> Evaluation {
    struct Header: Decodable { var formatVersion: Int? }
    guard let header = try? JSONDecoder().decode(Header.self, from: data),
      let version = header.formatVersion
    else {
      throw DoppelError(
        .invalidArgument, "the file is not a Doppel evaluation; write one with `doppel evaluate`")
    }
    if version > Evaluation.currentFormatVersion {
      throw DoppelError(
        .unsupportedVersion,
        "the evaluation has formatVersion \(version), newer than this Doppel reads; upgrade Doppel")
    }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    do {
      return try decoder.decode(Evaluation.self, from: data)
    } catch {
      throw DoppelError(
        .invalidArgument,
        "the evaluation file is damaged (\(ModelFile.describe(error))); evaluate again")
    }
  }

  static func checkSameColumns(_ real: Table, _ other: Table, what: String) throws {
    let realNames = real.columnNames
    let otherNames = other.columnNames
    let missing = realNames.filter { !otherNames.contains($0) }
    let extra = otherNames.filter { !realNames.contains($0) }
    if !missing.isEmpty || !extra.isEmpty {
      var parts: [String] = []
      if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
      if !extra.isEmpty { parts.append("extra \(extra.joined(separator: ", "))") }
      throw DoppelError(
        .schemaMismatch,
        "the \(what) table's columns differ from the real table's: \(parts.joined(separator: "; "))"
      )
    }
    for (a, b) in zip(real.columns, other.columns) where a.kind.storage != b.kind.storage {
      throw DoppelError(
        .schemaMismatch, "the column has a different type in the \(what) table",
        context: .init(column: a.name))
    }
  }
}

extension Table {
  /// Splits the rows at random into a training part and a holdout part.
  /// - Parameters:
  ///   - holdoutFraction: The share of rows held out, in (0, 1).
  ///   - seed: The seed of the shuffle.
  /// - Returns: The training rows and the holdout rows, each in their original order.
  public func split(holdoutFraction: Double, seed: UInt64) -> (train: Table, holdout: Table) {
    var random = SeededGenerator(seed: seed, label: "holdout split")
    var order = Array(0..<rowCount)
    for i in stride(from: order.count - 1, to: 0, by: -1) {
      order.swapAt(i, random.nextInt(below: i + 1))
    }
    let holdoutCount = Swift.min(
      Swift.max(Int((Double(rowCount) * holdoutFraction).rounded()), 1), Swift.max(rowCount - 1, 0))
    let holdout = order.prefix(holdoutCount).sorted()
    let train = order.dropFirst(holdoutCount).sorted()
    return (selectingRows(Array(train)), selectingRows(Array(holdout)))
  }
}
