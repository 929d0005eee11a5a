import DoppelCore
import Foundation

/// A Gaussian mixture synthesizer for mixed tables.
///
/// Columns are turned into numbers (see ``MixtureColumn``: numbers standardised, by default after
/// a quantile→normal transform; categories one-hot; missing numbers get a 0/1 indicator), and a
/// full-covariance Gaussian mixture is fitted to the rows by EM (Dempster, Laird and Rubin,
/// JRSS B 39(1), 1977) from k-means++ starts (Arthur and Vassilvitskii, SODA 2007). The number of
/// components is the K in 1…``maxComponents`` with the smallest Bayesian information criterion
/// −2·log L + p·ln n (Schwarz, "Estimating the dimension of a model", Annals of Statistics 6(2),
/// 1978), p being the number of free parameters; the criterion is computed on a random subset of
/// at most ``selectionRows`` rows to keep the search affordable, and the chosen K is then fitted
/// on every row. Sampling draws a component, then x = μ + L·z with L the Cholesky factor of its
/// covariance and z standard normal, and inverts the transforms: the largest one-hot coordinate
/// gives the category; numbers are clipped to the training range and rounded to their grid.
///
/// Categorical columns with more than ``maxLevels`` labels keep the ``maxLevels`` − 1 most
/// frequent ones; the rest share one level, decoded to one of them in proportion to their
/// training counts. Identifiers, text and personal data are generated as the Gaussian copula does.
/// The model file holds training statistics (quantiles, ranges, labels) and gives no formal
/// privacy guarantee.
public struct GaussianMixtureSynthesizer: Synthesizer, Equatable {
  /// The registry name.
  public static let kind = "gmm"

  /// The largest number of components considered, 1 to 50; default 10.
  public var maxComponents: Int
  /// Added to every covariance's diagonal, positive; default 1e-6 (scikit-learn's `reg_covar`).
  public var reg: Double
  /// Whether numbers go through the quantile→normal transform before standardising; default
  /// true.
  public var quantile: Bool
  /// The most one-hot levels of a categorical column, 2 to 1000; default 50.
  public var maxLevels: Int
  /// The most EM iterations per fit, 1 to 10,000; default 100.
  public var maxIterations: Int
  /// EM stops when the mean log-likelihood per row improves by less than this; default 1e-3.
  public var tolerance: Double
  /// The most rows on which the number of components is chosen, at least 100; default 4000.
  public var selectionRows: Int

  /// Creates the synthesizer.
  /// - Parameters:
  ///   - maxComponents: The largest number of components considered, 1 to 50.
  ///   - reg: The covariance regularisation, positive.
  ///   - quantile: Whether numbers go through the quantile→normal transform.
  ///   - maxLevels: The most one-hot levels per categorical column, 2 to 1000.
  ///   - maxIterations: The most EM iterations, 1 to 10,000.
  ///   - tolerance: The convergence threshold, positive.
  ///   - selectionRows: The most rows used to choose K, at least 100.
  /// - Throws: ``DoppelError`` `invalidArgument` for a value out of range.
  public init(
    maxComponents: Int = 10, reg: Double = 1e-6, quantile: Bool = true, maxLevels: Int = 50,
    maxIterations: Int = 100, tolerance: Double = 1e-3, selectionRows: Int = 4000
  ) throws {
    self.maxComponents = maxComponents
    self.reg = reg
    self.quantile = quantile
    self.maxLevels = maxLevels
    self.maxIterations = maxIterations
    self.tolerance = tolerance
    self.selectionRows = selectionRows
    try validate()
  }

  private enum CodingKeys: String, CodingKey {
    case maxComponents, reg, quantile, maxLevels, maxIterations, tolerance, selectionRows
  }

  /// Decodes hyper-parameters, using defaults for absent keys.
  /// - Parameter decoder: The decoder.
  /// - Throws: A decoding error for a wrong type, or ``DoppelError`` `invalidArgument` for a value
  ///   out of range.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    maxComponents = try c.decodeIfPresent(Int.self, forKey: .maxComponents) ?? 10
    reg = try c.decodeIfPresent(Double.self, forKey: .reg) ?? 1e-6
    quantile = try c.decodeIfPresent(Bool.self, forKey: .quantile) ?? true
    maxLevels = try c.decodeIfPresent(Int.self, forKey: .maxLevels) ?? 50
    maxIterations = try c.decodeIfPresent(Int.self, forKey: .maxIterations) ?? 100
    tolerance = try c.decodeIfPresent(Double.self, forKey: .tolerance) ?? 1e-3
    selectionRows = try c.decodeIfPresent(Int.self, forKey: .selectionRows) ?? 4000
    try validate()
  }

  private func validate() throws {
    var problems: [String] = []
    if !(1...50).contains(maxComponents) { problems.append("maxComponents must be 1 to 50") }
    if !(reg > 0 && reg.isFinite) { problems.append("reg must be positive") }
    if !(2...1000).contains(maxLevels) { problems.append("maxLevels must be 2 to 1000") }
    if !(1...10_000).contains(maxIterations) { problems.append("maxIterations must be 1 to 10000") }
    if !(tolerance > 0 && tolerance.isFinite) { problems.append("tolerance must be positive") }
    if selectionRows < 100 { problems.append("selectionRows must be at least 100") }
    if !problems.isEmpty {
      throw DoppelError(
        .invalidArgument, "invalid \(Self.kind) option: \(problems.joined(separator: "; "))")
    }
  }

  /// Fits the mixture, choosing the number of components by BIC.
  /// - Parameters:
  ///   - table: The training table.
  ///   - metadata: The columns' kinds; they must match the table's columns.
  ///   - seed: Seeds the k-means++ starts and the subset used to choose K.
  ///   - progress: Receives one update per candidate K and for the final fit.
  /// - Returns: The fitted model.
  /// - Throws: ``DoppelError`` `schemaMismatch` when table and metadata disagree, `noRows` for an
  ///   empty table, `invalidValue` for a number that is not finite.
  /// - Complexity: O(I · n · K · D²) per fit of I iterations, K components and D dimensions.
  public func fit(
    _ table: Table, metadata: TableMetadata, seed: UInt64, progress: ProgressReporter?
  ) async throws -> GaussianMixtureModel {
    try ModelInput.check(table, against: metadata)
    guard table.rowCount > 0 else {
      throw DoppelError(.noRows, "the training table has no rows; give at least one row")
    }
    var columns: [MixtureColumn] = []
    var offset = 0
    for column in table.columns {
      let model = try MixtureColumn.learn(
        column, offset: offset, quantile: quantile, maxLevels: maxLevels)
      offset += model.width
      columns.append(model)
    }
    let d = offset
    let n = table.rowCount
    var data = [Double](repeating: 0, count: n * d)
    if d > 0 {
      var row = [Double](repeating: 0, count: d)
      for index in 0..<n {
        for (column, model) in zip(table.columns, columns) {
          model.encode(column, row: index, into: &row)
        }
        data.replaceSubrange((index * d)..<((index + 1) * d), with: row)
      }
    }
    var fit = ExpectationMaximization.Fit(
      weights: [1], means: [[]], covariances: [[]], logLikelihood: 0, iterations: 0)
    var criteria: [Double] = []
    if d > 0 {
      // Choose K on a random subset.
      var subsetRows = Array(0..<n)
      if n > selectionRows {
        var random = SeededGenerator(seed: seed, label: "gmm selection subset")
        for i in 0..<selectionRows {
          subsetRows.swapAt(i, i + random.nextInt(below: n - i))
        }
        subsetRows = Array(subsetRows.prefix(selectionRows)).sorted()
      }
      var subset: [Double] = []
      subset.reserveCapacity(subsetRows.count * d)
      for row in subsetRows { subset += data[(row * d)..<((row + 1) * d)] }
      let candidates = 1...max(1, min(maxComponents, subsetRows.count))
      var bestK = 1
      var bestTrial = fit
      var bestCriterion = Double.infinity
      for k in candidates {
        progress?.report("trying \(k) components", k - 1, of: candidates.count + 1)
        let engine = ExpectationMaximization(
          data: subset, rows: subsetRows.count, dimensions: d, regularization: reg,
          maxIterations: maxIterations, tolerance: tolerance)
        let trial = engine.run(components: k, seed: seed)
        let parameters = ExpectationMaximization.parameterCount(components: k, dimensions: d)
        let criterion =
          -2 * trial.logLikelihood + Double(parameters) * log(Double(subsetRows.count))
        criteria.append(criterion)
        if criterion < bestCriterion {
          bestCriterion = criterion
          bestK = k
          bestTrial = trial
        }
      }
      progress?.report("fitting \(bestK) components", candidates.count, of: candidates.count + 1)
      if subsetRows.count == n {
        fit = bestTrial
      } else {
        let engine = ExpectationMaximization(
          data: data, rows: n, dimensions: d, regularization: reg,
          maxIterations: maxIterations, tolerance: tolerance)
        fit = engine.run(components: bestK, seed: seed)
      }
    }
    progress?.report("done", 1, of: 1)
    return GaussianMixtureModel(
      synthesizer: self, metadata: metadata, trainingRowCount: n, columns: columns,
      dimensions: d, weights: fit.weights, means: fit.means, covariances: fit.covariances,
      selectionCriteria: criteria)
  }
}
