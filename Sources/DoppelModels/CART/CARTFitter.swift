import DoppelCore
import DoppelTransforms
import Foundation

/// Fits a ``CARTModel``: decides the visit sequence, then fits every column's trees in parallel
/// (each tree is fitted on the real values of the earlier columns, so they are independent).
struct CARTFitter {
  let synthesizer: CARTSynthesizer
  let table: Table
  let metadata: TableMetadata
  let seed: UInt64

  /// The most shapes kept for a text or personal-data column.
  static let maximumShapes = 64

  func fit(progress: ProgressReporter?) throws -> CARTModel {
    try ModelInput.check(table, against: metadata)
    guard table.rowCount > 0 else {
      throw DoppelError(.noRows, "the training table has no rows; give at least one row")
    }
    let names = table.columnNames
    let requested = CARTSynthesizer.names(synthesizer.synthesize)
    let visitFirst = CARTSynthesizer.names(synthesizer.visitSequence)
    for name in requested + visitFirst where !names.contains(name) {
      throw DoppelError(
        .unknownColumn,
        "a column named in the cart options synthesize or visitSequence is not in the table",
        context: .init(column: name))
    }
    let partial = !requested.isEmpty
    for name in visitFirst where partial && !requested.contains(name) {
      throw DoppelError(
        .invalidArgument,
        "visitSequence names a column that is kept (not in synthesize); list only synthesized columns",
        context: .init(column: name))
    }

    var data = table
    if synthesizer.proper {
      var random = SeededGenerator(seed: seed, label: "cart bootstrap")
      data = table.selectingRows(
        (0..<table.rowCount).map { _ in random.nextInt(below: table.rowCount) })
    }
    let n = data.rowCount

    // Roles and the order in which columns are visited.
    var models: [CARTColumnModel] = []
    var features: [TreeFeature?] = []
    var kept: [Int] = []
    var synthesized: [Int] = []
    for (index, column) in data.columns.enumerated() {
      let isSynthesized = !partial || requested.contains(column.name)
      let missingShare = Double(column.missing.missingCount) / Double(n)
      switch column.values {
      case .strings(let values):
        var model = CARTColumnModel(
          name: column.name, role: isSynthesized ? .generated : .kept,
          missingProbability: missingShare)
        if isSynthesized, case .id = column.kind {
        } else if isSynthesized {
          var texts: [String] = []
          for row in 0..<n where !column.missing[row] { texts.append(values[row]) }
          model.shapes = TextShape.learnShapes(from: texts, limit: CARTFitter.maximumShapes)
        }
        models.append(model)
        features.append(nil)
      case .numbers(let values):
        var model = CARTColumnModel(
          name: column.name, role: isSynthesized ? .synthesized : .kept,
          missingProbability: missingShare)
        let encoded = (0..<n).map { row -> Double in
          column.missing[row] || !values[row].isFinite ? .nan : values[row]
        }
        if isSynthesized && synthesizer.smoothing == .density {
          model.smoothing = CARTFitter.smoothing(encoded.filter { !$0.isNaN })
        }
        models.append(model)
        features.append(.numeric(column: index, values: encoded))
      case .categories(let codes, let labels):
        var model = CARTColumnModel(
          name: column.name, role: isSynthesized ? .synthesized : .kept,
          missingProbability: missingShare)
        model.labels = labels
        let encoded = (0..<n).map { row -> Double in
          let code = Int(codes[row])
          return column.missing[row] || code < 0 || code >= labels.count
            ? Double(labels.count) : Double(code)
        }
        models.append(model)
        features.append(.categorical(column: index, codes: encoded, count: labels.count + 1))
      }
      guard features[index] != nil else { continue }
      if isSynthesized { synthesized.append(index) } else { kept.append(index) }
    }
    let firstIndices = visitFirst.compactMap { name in names.firstIndex(of: name) }.filter {
      features[$0] != nil
    }
    var seen = Set<Int>()
    let sequence = (firstIndices + synthesized).filter { seen.insert($0).inserted }
    let order = kept + sequence

    // Fit the trees of every synthesized column, one column per task.
    let grower = TreeGrower(
      minLeaf: synthesizer.minLeaf, maxDepth: synthesizer.maxDepth, cp: synthesizer.cp)
    let results = TreeResults(count: sequence.count)
    let allFeatures = features
    let start = kept.count
    let counter = ProgressCounter(total: sequence.count, progress: progress)
    DispatchQueue.concurrentPerform(iterations: sequence.count) { position in
      let target = sequence[position]
      // A column with more labels than a compact code holds is synthesized but never split on.
      let predictors = order[..<(start + position)].compactMap { allFeatures[$0] }.filter {
        ($0.categoryCount ?? 0) <= TreeFeature.maximumCategories
      }
      guard let feature = allFeatures[target] else { return }
      results.set(
        position, CARTFitter.trees(for: feature, predictors: predictors, grower: grower, n: n))
      counter.step()
    }
    for (position, index) in sequence.enumerated() {
      let trees = results.get(position)
      models[index].missingTree = trees.missing
      models[index].valueTree = trees.value
    }
    return CARTModel(
      synthesizer: synthesizer, metadata: metadata, trainingRowCount: table.rowCount,
      columns: models, visitSequence: sequence.map { names[$0] })
  }

  /// The trees of one column: "is missing" for numbers with some missing values, and the value.
  static func trees(
    for feature: TreeFeature, predictors: [TreeFeature], grower: TreeGrower, n: Int
  ) -> (missing: SynthesisTree?, value: SynthesisTree?) {
    let all = (0..<n).map { Int32($0) }
    if let count = feature.categoryCount {
      let classes = feature.values.map { Int32($0) }
      return (
        nil,
        grower.grow(
          rows: all, rowCount: n, target: .classes(classes, count: count), features: predictors)
      )
    }
    let present = all.filter { !feature.values[Int($0)].isNaN }
    var missingTree: SynthesisTree?
    if present.count < n && !present.isEmpty {
      let indicator = feature.values.map { Int32($0.isNaN ? 1 : 0) }
      missingTree = grower.grow(
        rows: all, rowCount: n, target: .classes(indicator, count: 2), features: predictors)
    }
    guard !present.isEmpty else { return (nil, nil) }
    let valueTree = grower.grow(
      rows: present, rowCount: n, target: .values(feature.values), features: predictors)
    return (missingTree, valueTree)
  }

  /// Smoothing settings from the present training values, as synthpop's `syn.smooth` chooses
  /// which values to smooth, with Silverman's bandwidth.
  static func smoothing(_ values: [Double]) -> CARTColumnModel.Smoothing? {
    guard values.count >= 2 else { return nil }
    let sorted = values.sorted()
    guard let lower = sorted.first, let upper = sorted.last, lower < upper else { return nil }
    // Distinct values and their counts, ascending.
    var distinct: [(value: Double, count: Int)] = []
    for v in sorted {
      if let last = distinct.last, last.value == v {
        distinct[distinct.count - 1].count += 1
      } else {
        distinct.append((v, 1))
      }
    }
    var unsmoothed: [Double] = []
    if let mode = distinct.max(by: {
      $0.count < $1.count || ($0.count == $1.count && $0.value > $1.value)
    }),
      Double(mode.count) / Double(sorted.count) > 0.7
    {
      unsmoothed.append(mode.value)
    }
    if distinct.count >= 2
      && 10 * distinct[distinct.count - 1].count > distinct[distinct.count - 2].count
      && !unsmoothed.contains(upper)
    {
      unsmoothed.append(upper)
    }
    let smoothed = sorted.filter { !unsmoothed.contains($0) }
    guard smoothed.count >= 2 else {
      return CARTColumnModel.Smoothing(
        bandwidth: 0, lower: lower, upper: upper, unsmoothed: unsmoothed.sorted())
    }
    let count = Double(smoothed.count)
    let mean = smoothed.reduce(0, +) / count
    let sd = (smoothed.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)).squareRoot()
    func quantile(_ p: Double) -> Double {
      let h = (count - 1) * p
      let i = Int(h)
      let j = min(i + 1, smoothed.count - 1)
      return smoothed[i] + (h - Double(i)) * (smoothed[j] - smoothed[i])
    }
    let iqr = (quantile(0.75) - quantile(0.25)) / 1.34
    let spread = iqr > 0 ? min(sd, iqr) : sd
    let bandwidth = 0.9 * spread * pow(count, -0.2)
    return CARTColumnModel.Smoothing(
      bandwidth: bandwidth.isFinite ? bandwidth : 0, lower: lower, upper: upper,
      unsmoothed: unsmoothed.sorted())
  }
}

/// Trees fitted on several threads, each slot written by exactly one thread.
private final class TreeResults: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [(missing: SynthesisTree?, value: SynthesisTree?)]

  init(count: Int) {
    slots = Array(repeating: (nil, nil), count: count)
  }

  func set(_ index: Int, _ value: (missing: SynthesisTree?, value: SynthesisTree?)) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }

  func get(_ index: Int) -> (missing: SynthesisTree?, value: SynthesisTree?) {
    lock.lock()
    defer { lock.unlock() }
    return slots[index]
  }
}

/// Counts finished columns from several threads and reports them in order of completion.
private final class ProgressCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var done = 0
  private let total: Int
  private let progress: ProgressReporter?

  init(total: Int, progress: ProgressReporter?) {
    self.total = total
    self.progress = progress
  }

  func step() {
    lock.lock()
    done += 1
    let value = done
    lock.unlock()
    progress?.report("fitting column trees", value, of: total)
  }
}
