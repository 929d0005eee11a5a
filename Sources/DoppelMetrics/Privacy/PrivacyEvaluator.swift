import DoppelCore
import Foundation

/// Measures how much a synthetic table reveals about the real rows it was trained on.
///
/// All distances are Gower distances (``GowerDistance``) over the numerical, datetime,
/// categorical and boolean columns, with numeric ranges from the training table. The measures:
/// - **exact-copy rate**: the share of synthetic rows identical to some training row on every
///   compared column (rows hashed by canonical value codes, labels by their text).
/// - **distance to closest record (DCR)**: the median distance from a synthetic row to its closest
///   training row, and to its closest holdout row (Park et al., "Data synthesis based on
///   generative adversarial networks", PVLDB 11(10), 2018).
/// - **share closer to train**: with the training table sampled (seeded) down to the holdout's
///   size, the share of synthetic rows closer to the training sample than to the holdout; a tie
///   counts one half, so new data from the same population gives 0.5 (Platzer and Reutterer,
///   "Holdout-based empirical assessment of mixed-type synthetic data", Frontiers in Big Data 4,
///   2021).
/// - **NNDR**: the median ratio of the distances to the closest and second-closest training rows
///   (same source). When both are 0 the row coincides with several training rows and singles
///   none out, so the ratio is taken as 1.
/// - **membership inference**: each row of the training sample and of the holdout is scored by
///   minus its distance to the closest synthetic row, as in distance-based attacks (Chen, Yu, Zhang
///   and Fritz, "GAN-Leaks: a taxonomy of membership inference attacks against generative models",
///   ACM CCS 2020); the AUC of telling training rows (members) from holdout rows, with ties
///   counting one half, is 0.5 when the synthetic table does not favour its training rows.
/// - **attribute disclosure**: see ``AttributeDisclosure/init(real:synthetic:keys:sensitive:bins:)``.
///
/// Without a holdout, the measures that need one are `nil`, and the distance verdicts compare with
/// training rows left out one at a time instead of holdout rows. Each measure gets a verdict from
/// ``PrivacyThresholds``.
///
/// Nearest neighbours are found exactly for tables up to ``PrivacyOptions/exactSearchLimit`` rows
/// and on seeded samples beyond (see ``PrivacyOptions``); ``PrivacyResult/distanceSampleSize`` and
/// ``PrivacyResult/distanceTrainSampleSize`` record the rows used. Results depend only on the
/// tables, the options' sizes and the seed, never on the number of threads.
public enum PrivacyEvaluator {
  /// Evaluates the privacy of a synthetic table.
  /// - Parameters:
  ///   - train: The real table the synthesizer was trained on.
  ///   - synthetic: The synthetic table, with the same column names and layouts.
  ///   - holdout: Real rows from the same population that were not used in training, or `nil`.
  ///   - keys: Key columns for attribute disclosure; give them with `sensitive`.
  ///   - sensitive: The sensitive column for attribute disclosure, or `nil` to skip it.
  ///   - seed: Seeds every sample taken.
  ///   - options: Sample sizes and threads.
  /// - Returns: The measures and one verdict for each.
  /// - Throws: ``DoppelError``: `noRows` when a table is empty; `schemaMismatch` when the
  ///   synthetic or holdout table has other columns or layouts than the training table;
  ///   `unknownColumn` listing every key or sensitive column the tables lack; `invalidArgument`
  ///   for keys without a sensitive column (or the reverse), for options out of range, or when no
  ///   column can be compared (all are identifiers, text or personal data).
  /// - Complexity: O(s · t · w) for s synthetic rows, t training rows and w compared columns, with
  ///   s and t capped by the sampling options.
  public static func evaluate(
    train: Table, synthetic: Table, holdout: Table?, keys: [String] = [],
    sensitive: String? = nil, seed: UInt64, options: PrivacyOptions = .init()
  ) throws -> PrivacyResult {
    try validate(
      train: train, synthetic: synthetic, holdout: holdout, keys: keys, sensitive: sensitive,
      options: options)
    let gower = GowerDistance(reference: train)
    guard !gower.columns.isEmpty else {
      throw DoppelError(
        .invalidArgument,
        "no column can be compared: every column is an identifier, free text or personal data")
    }
    let tables = [train, synthetic] + (holdout.map { [$0] } ?? [])
    let codes = gower.columns.map { CanonicalCodes(column: $0, tables: tables) }

    // Exact copies, over every row.
    func rows(_ table: Int) -> [CanonicalRow] {
      let columns = codes.map { $0.codes[table] }
      return (0..<tables[table].rowCount).map { CanonicalRow(columns: columns, row: $0) }
    }
    var trainCounts: [CanonicalRow: Int] = [:]
    for key in rows(0) { trainCounts[key, default: 0] += 1 }
    let copies = rows(1).count(where: { trainCounts[$0] != nil })
    let exactCopyRate = Double(copies) / Double(synthetic.rowCount)
    let copyBaseline: Double
    if let holdout {
      copyBaseline =
        Double(rows(2).count(where: { trainCounts[$0] != nil })) / Double(holdout.rowCount)
    } else {
      copyBaseline =
        Double(rows(0).count(where: { (trainCounts[$0] ?? 0) > 1 })) / Double(train.rowCount)
    }

    // Rows used for distances.
    let limit = options.exactSearchLimit
    let trainOrder = PrivacyStatistics.permutation(
      count: train.rowCount, seed: seed, label: "privacy train rows")
    let trainRows = Array(
      trainOrder.prefix(train.rowCount > limit ? options.referenceSampleSize : train.rowCount))
    let syntheticRows =
      synthetic.rowCount > limit
      ? PrivacyStatistics.permutation(
        count: synthetic.rowCount, seed: seed, label: "privacy synthetic rows"
      ).prefix(options.syntheticSampleSize).sorted()
      : Array(0..<synthetic.rowCount)
    var holdoutRows: [Int] = []
    if let holdout {
      let order = PrivacyStatistics.permutation(
        count: holdout.rowCount, seed: seed, label: "privacy holdout rows")
      let cap = holdout.rowCount > limit ? options.referenceSampleSize : holdout.rowCount
      holdoutRows = Array(order.prefix(Swift.min(cap, trainRows.count)))
    }
    // The training sample matched to the holdout's size is the first `matched` training rows.
    let matched = holdoutRows.count

    let gowerCodes = GowerMatrix.codes(gower: gower, tables: tables, reusing: codes)
    func matrix(_ table: Int, _ rows: [Int]) -> GowerMatrix {
      GowerMatrix(gower: gower, codes: gowerCodes, tables: tables, table: table, rows: rows)
    }
    let trainMatrix = matrix(0, trainRows)
    let syntheticMatrix = matrix(1, syntheticRows)
    let threads = options.threads ?? ProcessInfo.processInfo.activeProcessorCount

    let toTrain = NearestNeighborSearch(
      queries: syntheticMatrix, references: trainMatrix, prefixCount: matched,
      referenceMinimumCount: matched, excluded: nil, threads: threads
    ).run()
    var result = PrivacyResult(exactCopyRate: exactCopyRate)
    result.distanceSampleSize = syntheticRows.count
    result.distanceTrainSampleSize = trainRows.count
    result.dcrMedianTrain = PrivacyStatistics.median(toTrain.nearest)
    if trainRows.count >= 2 {
      result.nndrMedian = PrivacyStatistics.median(nndr(toTrain))
    }

    if matched > 0 {
      let holdoutMatrix = matrix(2, holdoutRows)
      let toHoldout = NearestNeighborSearch(
        queries: syntheticMatrix, references: holdoutMatrix, prefixCount: 0,
        referenceMinimumCount: matched, excluded: nil, threads: threads
      ).run()
      result.dcrMedianHoldout = PrivacyStatistics.median(toHoldout.nearest)
      var closer = 0.0
      for (a, b) in zip(toTrain.nearestInPrefix, toHoldout.nearest) {
        closer += a < b ? 1 : a == b ? 0.5 : 0
      }
      result.dcrShareCloserToTrain = closer / Double(syntheticRows.count)
      result.membershipInferenceAUC = PrivacyStatistics.auc(
        positives: toTrain.referenceNearest.map { -$0 },
        negatives: toHoldout.referenceNearest.map { -$0 })
    }

    // The real baseline: holdout rows, or training rows left out one at a time.
    var baseline: NearestNeighborSearch.Result?
    if matched > 0 {
      let rows = Array(holdoutRows.prefix(options.baselineSampleSize))
      baseline = NearestNeighborSearch(
        queries: matrix(2, rows), references: trainMatrix, prefixCount: 0,
        referenceMinimumCount: 0, excluded: nil, threads: threads
      ).run()
    } else if trainRows.count >= 3 {
      let count = Swift.min(options.baselineSampleSize, trainRows.count)
      baseline = NearestNeighborSearch(
        queries: matrix(0, Array(trainRows.prefix(count))), references: trainMatrix,
        prefixCount: 0, referenceMinimumCount: 0, excluded: Array(0..<count), threads: threads
      ).run()
    }

    if let sensitive, !keys.isEmpty {
      result.attributeDisclosure = try AttributeDisclosure(
        real: train, synthetic: synthetic, keys: keys, sensitive: sensitive,
        bins: options.sensitiveBins)
    }

    result.verdicts =
      PrivacyVerdicts(
        exactCopyRate: exactCopyRate, copyBaseline: copyBaseline, hasHoldout: holdout != nil,
        dcrMedianTrain: result.dcrMedianTrain,
        dcrBaseline: baseline.flatMap { PrivacyStatistics.median($0.nearest) },
        shareCloserToTrain: result.dcrShareCloserToTrain, nndrMedian: result.nndrMedian,
        nndrBaseline: baseline.flatMap { PrivacyStatistics.median(nndr($0)) },
        membershipAUC: result.membershipInferenceAUC, disclosure: result.attributeDisclosure
      ).verdicts
    return result
  }

  /// Closest over second-closest distance per query; 0/0 is taken as 1.
  private static func nndr(_ search: NearestNeighborSearch.Result) -> [Double] {
    zip(search.nearest, search.second).map { first, second in
      second > 0 ? first / second : 1
    }
  }

  private static func validate(
    train: Table, synthetic: Table, holdout: Table?, keys: [String], sensitive: String?,
    options: PrivacyOptions
  ) throws {
    try options.validate()
    var empty: [String] = []
    if train.rowCount == 0 { empty.append("training") }
    if synthetic.rowCount == 0 { empty.append("synthetic") }
    if let holdout, holdout.rowCount == 0 { empty.append("holdout") }
    guard empty.isEmpty else {
      throw DoppelError(
        .noRows,
        "the \(empty.joined(separator: " and ")) "
          + (empty.count > 1 ? "tables have" : "table has")
          + " no rows; privacy needs rows in every table")
    }
    var mismatches = schemaProblems(of: synthetic, named: "synthetic", against: train)
    if let holdout { mismatches += schemaProblems(of: holdout, named: "holdout", against: train) }
    if let first = mismatches.first {
      throw DoppelError(
        .schemaMismatch,
        mismatches.map(\.text).joined(separator: "; ") + "; compare tables with the same columns",
        context: .init(column: first.column))
    }

    let requested = keys + (sensitive.map { [$0] } ?? [])
    var unknown: [String] = []
    for name in requested where train[name] == nil && !unknown.contains(name) {
      unknown.append(name)
    }
    guard unknown.isEmpty else {
      throw DoppelError(
        .unknownColumn,
        "no column named \(quoted(unknown)) in the training table; choose key and sensitive "
          + "columns from its columns",
        context: .init(column: unknown[0]))
    }
    if keys.isEmpty != (sensitive == nil) {
      throw DoppelError(
        .invalidArgument,
        "attribute disclosure needs both key columns and a sensitive column; give both or neither")
    }
    if let sensitive, keys.contains(sensitive) {
      throw DoppelError(
        .invalidArgument, "the sensitive column cannot also be a key column",
        context: .init(column: sensitive))
    }
  }

  /// What differs between a table's columns and the training table's, one entry per table and
  /// kind of difference, with the first column concerned.
  private static func schemaProblems(of table: Table, named role: String, against train: Table)
    -> [(text: String, column: String)]
  {
    let missing = train.columnNames.filter { table[$0] == nil }
    let extra = table.columnNames.filter { train[$0] == nil }
    let different = train.columns.filter { column in
      table[column.name].map { $0.kind.storage != column.kind.storage } ?? false
    }.map(\.name)
    var problems: [(text: String, column: String)] = []
    if let first = missing.first {
      problems.append(("the \(role) table lacks \(quoted(missing))", first))
    }
    if let first = extra.first {
      problems.append(
        ("the \(role) table has \(quoted(extra)) that the training table lacks", first))
    }
    if let first = different.first {
      problems.append(
        ("the \(role) table stores \(quoted(different)) differently than the training table", first)
      )
    }
    return problems
  }

  private static func quoted(_ names: [String]) -> String {
    names.map { "\"\($0)\"" }.joined(separator: ", ")
  }
}
