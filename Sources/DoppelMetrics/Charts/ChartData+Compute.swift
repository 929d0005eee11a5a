import DoppelCore

extension ChartData {
  /// The default most rows drawn from each table for a scatter plot.
  public static let defaultScatterSampleSize = 500
  /// The number of equal-width histogram bins.
  public static let histogramBins = 20
  /// The most category bars; rarer categories share one `other` bar.
  public static let maximumBars = 20
  /// The most scatter plots.
  public static let maximumScatters = 4
  /// The most columns in the correlation matrices.
  public static let maximumCorrelationColumns = 30

  /// Computes the report's chart data.
  ///
  /// - **Distributions**, one per compared column in table order. A continuous column (datetimes
  ///   as seconds since 1970) gets a ``histogramBins``-bin histogram over the union range of both
  ///   tables, with equal-width bins whose last bin includes the maximum (as numpy's `histogram`),
  ///   and box statistics of each table. A discrete column gets bars for the ``maximumBars``
  ///   categories most frequent in the real table (ties by value) and one `other` bar for the
  ///   rest. Shares are of each table's present values.
  /// - **Scatters** of the ``maximumScatters`` continuous pairs with the largest real |Pearson r|
  ///   (ties in table order), each with at most `scatterSampleSize` rows of each table where both
  ///   values are present, drawn without replacement from streams seeded by `seed` and the pair's
  ///   names, kept in row order.
  /// - **Correlations**: Pearson matrices of the first ``maximumCorrelationColumns`` continuous
  ///   columns over pairwise complete rows; 1 on the diagonal and 0 where a coefficient is
  ///   undefined (a constant column, or fewer than two complete rows), so the JSON holds only
  ///   numbers. `nil` with fewer than two continuous columns.
  /// - Parameters:
  ///   - real: The real table.
  ///   - synthetic: The synthetic table, with the same columns and kinds (in any order).
  ///   - roles: Role overrides by column name.
  ///   - seed: Seeds the scatter samples.
  ///   - scatterSampleSize: The most rows drawn from each table per scatter plot; at least 1.
  /// - Throws: ``DoppelError`` `schemaMismatch` when the tables cannot be compared,
  ///   `unknownColumn` for a role naming no column, `invalidArgument` when no column is compared.
  /// - Complexity: O(p² · n) for p continuous columns and n rows.
  public init(
    real: Table, synthetic: Table, roles: [String: ColumnRole] = [:], seed: UInt64,
    scatterSampleSize: Int = ChartData.defaultScatterSampleSize
  ) throws {
    self.init(
      prepared: try PreparedTables(real: real, synthetic: synthetic, roles: roles), seed: seed,
      scatterSampleSize: scatterSampleSize)
  }

  init(prepared: PreparedTables, seed: UInt64, scatterSampleSize: Int) {
    precondition(scatterSampleSize >= 1, "scatterSampleSize must be at least 1")
    var distributions: [Distribution] = []
    var continuous: [(name: String, real: [Double], synthetic: [Double])] = []
    for entry in prepared.columns {
      switch entry.values {
      case .continuous(let a, let b):
        continuous.append((entry.name, a, b))
        if let chart = ChartData.histogram(entry.name, a, b) { distributions.append(chart) }
      case .discrete(let a, let b, let keys):
        distributions.append(ChartData.bars(entry.name, a, b, keys))
      case .ignored:
        continue
      }
    }
    var candidates: [(x: Int, y: Int, r: Double)] = []
    for i in continuous.indices {
      for j in (i + 1)..<continuous.count {
        if let r = CorrelationSimilarity.pearson(continuous[i].real, continuous[j].real) {
          candidates.append((i, j, r))
        }
      }
    }
    // A stable sort keeps table order among equal |r|.
    let chosen = candidates.enumerated().sorted {
      abs($0.element.r) != abs($1.element.r)
        ? abs($0.element.r) > abs($1.element.r) : $0.offset < $1.offset
    }.prefix(ChartData.maximumScatters).map(\.element)
    let scatters = chosen.map { pair in
      let x = continuous[pair.x]
      let y = continuous[pair.y]
      let label = "scatter \(x.name.utf8.count):\(x.name)|\(y.name)"
      return Scatter(
        x: x.name, y: y.name, realCorrelation: pair.r,
        real: ChartData.points(
          x.real, y.real, limit: scatterSampleSize, seed: seed, label: label + " real"),
        synthetic: ChartData.points(
          x.synthetic, y.synthetic, limit: scatterSampleSize, seed: seed,
          label: label + " synthetic"))
    }
    let matrixColumns = Array(continuous.prefix(ChartData.maximumCorrelationColumns))
    var correlations: Correlations?
    if matrixColumns.count >= 2 {
      correlations = Correlations(
        columns: matrixColumns.map(\.name),
        real: ChartData.matrix(matrixColumns.map(\.real)),
        synthetic: ChartData.matrix(matrixColumns.map(\.synthetic)))
    }
    self.init(
      distributions: distributions, scatters: scatters, correlations: correlations,
      scatterSampleSize: scatterSampleSize)
  }

  /// A histogram over the union range of both tables, or `nil` when neither has a value.
  static func histogram(_ name: String, _ a: [Double], _ b: [Double]) -> Distribution? {
    var low = Double.infinity
    var high = -Double.infinity
    for value in a where !value.isNaN {
      low = Swift.min(low, value)
      high = Swift.max(high, value)
    }
    for value in b where !value.isNaN {
      low = Swift.min(low, value)
      high = Swift.max(high, value)
    }
    guard low <= high else { return nil }
    if low == high {
      low -= 0.5
      high += 0.5
    }
    let edges = EqualWidthBins.linspace(low, high, count: histogramBins + 1)
    func shares(_ values: [Double]) -> [Double] {
      var counts = [Double](repeating: 0, count: histogramBins)
      var present = 0.0
      for value in values where !value.isNaN {
        // numpy's histogram: [eᵢ, eᵢ₊₁) except the last bin, which includes the maximum.
        let bin = Swift.min(EqualWidthBins.digitize(value, edges: edges), histogramBins) - 1
        counts[Swift.max(0, bin)] += 1
        present += 1
      }
      return present > 0 ? counts.map { $0 / present } : counts
    }
    return Distribution(
      column: name, chart: "histogram", labels: edges.map(NumberLabel.short), edges: edges,
      real: shares(a), synthetic: shares(b), realBox: BoxStats(values: a),
      syntheticBox: BoxStats(values: b))
  }

  /// Bars of the categories most frequent in the real table, and `other` for the rest.
  static func bars(_ name: String, _ a: [Int32], _ b: [Int32], _ keys: [DiscreteKey])
    -> Distribution
  {
    var realCounts = [Double](repeating: 0, count: keys.count)
    var synthCounts = [Double](repeating: 0, count: keys.count)
    for code in a where code >= 0 { realCounts[Int(code)] += 1 }
    for code in b where code >= 0 { synthCounts[Int(code)] += 1 }
    let realTotal = realCounts.reduce(0, +)
    let synthTotal = synthCounts.reduce(0, +)
    let order = keys.indices.sorted {
      realCounts[$0] != realCounts[$1] ? realCounts[$0] > realCounts[$1] : $0 < $1
    }
    let shown = keys.count <= maximumBars ? order : Array(order.prefix(maximumBars))
    var labels = shown.map { keys[$0].label }
    var real = shown.map { realTotal > 0 ? realCounts[$0] / realTotal : 0 }
    var synthetic = shown.map { synthTotal > 0 ? synthCounts[$0] / synthTotal : 0 }
    if shown.count < keys.count {
      let rest = order[shown.count...]
      var other = "other"
      while labels.contains(other) { other = "(\(other))" }
      labels.append(other)
      real.append(realTotal > 0 ? rest.reduce(0) { $0 + realCounts[$1] } / realTotal : 0)
      synthetic.append(synthTotal > 0 ? rest.reduce(0) { $0 + synthCounts[$1] } / synthTotal : 0)
    }
    return Distribution(
      column: name, chart: "bars", labels: labels, edges: nil, real: real, synthetic: synthetic,
      realBox: nil, syntheticBox: nil)
  }

  /// At most `limit` [x, y] points from rows where both are present, in row order.
  static func points(_ x: [Double], _ y: [Double], limit: Int, seed: UInt64, label: String)
    -> [[Double]]
  {
    let complete = x.indices.filter { !x[$0].isNaN && !y[$0].isNaN }
    return RowSampler.sample(complete, limit: limit, seed: seed, label: label).map {
      [x[$0], y[$0]]
    }
  }

  /// The row-major Pearson matrix of columns (NaN missing), 0 where undefined.
  static func matrix(_ columns: [[Double]]) -> [Double] {
    let p = columns.count
    var result = [Double](repeating: 0, count: p * p)
    for i in 0..<p {
      result[i * p + i] = 1
      for j in (i + 1)..<p {
        let r = CorrelationSimilarity.pearson(columns[i], columns[j]) ?? 0
        result[i * p + j] = r
        result[j * p + i] = r
      }
    }
    return result
  }
}
