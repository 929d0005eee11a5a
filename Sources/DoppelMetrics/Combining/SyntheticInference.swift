import DoppelCore
import Foundation

/// A regression fitted to m synthetic tables, combined, and compared with the same regression
/// on the real table, coefficient by coefficient, as synthpop's `compare.fit.synds` does.
///
/// For each coefficient it reports the real estimate and standard error, the combined synthetic
/// estimate and standard error (``CombiningRule``), the degrees of freedom, the 95% interval
/// q̄ ± t_ν·√T (normal when ν is infinite), the interval overlap of Karr, Kohnen, Oganian,
/// Reiter and Sanil, "A framework for evaluating the utility of data altered to protect
/// confidentiality", The American Statistician 60(3), 2006, and the standardized difference
/// (q̄ − β̂)/se(β̂).
public struct SyntheticInference: Sendable, Equatable, Codable {
  /// One coefficient compared.
  public struct Coefficient: Sendable, Equatable, Codable {
    /// The coefficient name.
    public var name: String
    /// The estimate on the real table.
    public var realEstimate: Double
    /// Its standard error.
    public var realStandardError: Double
    /// The combined synthetic estimate q̄.
    public var syntheticEstimate: Double
    /// The combined standard error √T.
    public var syntheticStandardError: Double
    /// The degrees of freedom; `nil` for a normal reference.
    public var degreesOfFreedom: Double?
    /// The synthetic 95% interval's lower end.
    public var lower: Double
    /// The synthetic 95% interval's upper end.
    public var upper: Double
    /// The real 95% interval's lower end, β̂ − 1.96·se.
    public var realLower: Double
    /// The real 95% interval's upper end.
    public var realUpper: Double
    /// Karr et al.'s interval overlap: 1 for equal intervals, 0 when they only touch, negative
    /// when they are apart.
    public var intervalOverlap: Double
    /// (q̄ − β̂)/se(β̂).
    public var standardizedDifference: Double
    /// The estimate of each synthetic table.
    public var estimates: [Double]
    /// Whether the non-negative variant of the full-synthesis rule was used.
    public var adjusted: Bool
  }

  /// The formula as given.
  public var formula: String
  /// The kind of regression.
  public var family: RegressionModel.Family
  /// The combining rule.
  public var rule: CombiningRule
  /// The number of synthetic tables.
  public var syntheses: Int
  /// Rows of the real table used (complete cases).
  public var realRows: Int
  /// Rows used in each synthetic table.
  public var syntheticRows: [Int]
  /// One entry per coefficient.
  public var coefficients: [Coefficient]
  /// The mean interval overlap over coefficients.
  public var meanIntervalOverlap: Double
  /// The mean absolute standardized difference over coefficients.
  public var meanAbsoluteStandardizedDifference: Double

  /// Fits the model to the real table and every synthetic table and combines the results.
  /// - Parameters:
  ///   - formula: `y ~ x1 + x2`.
  ///   - family: The regression family, or `nil` to choose from the outcome.
  ///   - real: The real table.
  ///   - synthetic: The m synthetic tables.
  ///   - rule: The combining rule.
  ///   - proper: Whether synthesis was proper (affects ``CombiningRule/synthpop``).
  /// - Returns: The comparison.
  /// - Throws: ``DoppelError`` for a bad formula, missing columns, too few tables, or a fit that
  ///   fails.
  public static func compare(
    formula: String, family: RegressionModel.Family?, real: Table, synthetic: [Table],
    rule: CombiningRule, proper: Bool = false
  ) throws -> SyntheticInference {
    let probe = try RegressionModel(formula: formula, family: .linear)
    guard let outcomeColumn = real[probe.outcome] else {
      throw DoppelError(
        .unknownColumn, "the outcome of the formula is not in the real table",
        context: .init(column: probe.outcome))
    }
    let model = try RegressionModel(
      formula: formula, family: family ?? RegressionModel.family(for: outcomeColumn))
    guard synthetic.count >= rule.minimumSyntheses else {
      throw DoppelError(
        .invalidArgument,
        "the \(rule.rawValue) rule needs at least \(rule.minimumSyntheses) synthetic tables; got \(synthetic.count)"
      )
    }
    let design = try model.design(for: real)
    let realFit = try model.fit(real, design: design)
    var fits: [RegressionEstimates] = []
    for (index, table) in synthetic.enumerated() {
      do {
        fits.append(try model.fit(table, design: design))
      } catch let error as DoppelError {
        throw DoppelError(
          error.code, "synthetic table \(index + 1): " + error.message, context: error.context)
      }
    }
    let k = Double(fits.reduce(0) { $0 + $1.rows }) / Double(fits.count)
    var coefficients: [Coefficient] = []
    for (j, name) in design.names.enumerated() {
      let estimates = fits.map { $0.coefficients[j] }
      let combined = try rule.combine(
        estimates: estimates, variances: fits.map { $0.standardErrors[j] * $0.standardErrors[j] },
        syntheticRows: k, realRows: Double(realFit.rows), proper: proper)
      let se = combined.variance.squareRoot()
      let quantile = StudentT.quantile(0.975, degrees: combined.degreesOfFreedom ?? .infinity)
      let lower = combined.estimate - quantile * se
      let upper = combined.estimate + quantile * se
      let beta = realFit.coefficients[j]
      let realSE = realFit.standardErrors[j]
      let realLower = beta - StudentT.normal975 * realSE
      let realUpper = beta + StudentT.normal975 * realSE
      coefficients.append(
        Coefficient(
          name: name, realEstimate: beta, realStandardError: realSE,
          syntheticEstimate: combined.estimate, syntheticStandardError: se,
          degreesOfFreedom: combined.degreesOfFreedom, lower: lower, upper: upper,
          realLower: realLower, realUpper: realUpper,
          intervalOverlap: intervalOverlap(realLower...realUpper, lower...upper),
          standardizedDifference: realSE > 0 ? (combined.estimate - beta) / realSE : .nan,
          estimates: estimates, adjusted: combined.adjusted))
    }
    let count = Double(max(coefficients.count, 1))
    return SyntheticInference(
      formula: formula, family: model.family, rule: rule, syntheses: synthetic.count,
      realRows: realFit.rows, syntheticRows: fits.map(\.rows), coefficients: coefficients,
      meanIntervalOverlap: coefficients.reduce(0) { $0 + $1.intervalOverlap } / count,
      meanAbsoluteStandardizedDifference: coefficients.reduce(0) {
        $0 + abs($1.standardizedDifference)
      } / count)
  }

  /// Karr et al.'s overlap of a real and a synthetic interval:
  /// ½·[(U − L)/(u_r − l_r) + (U − L)/(u_s − l_s)] with L the larger lower end and U the smaller
  /// upper end; negative when the intervals are apart (as synthpop reports it).
  /// - Parameters:
  ///   - real: The real interval.
  ///   - synthetic: The synthetic interval.
  /// - Returns: The overlap; 1 for identical intervals.
  public static func intervalOverlap(_ real: ClosedRange<Double>, _ synthetic: ClosedRange<Double>)
    -> Double
  {
    let lower = max(real.lowerBound, synthetic.lowerBound)
    let upper = min(real.upperBound, synthetic.upperBound)
    let realWidth = real.upperBound - real.lowerBound
    let syntheticWidth = synthetic.upperBound - synthetic.lowerBound
    guard realWidth > 0, syntheticWidth > 0 else { return .nan }
    return 0.5 * ((upper - lower) / realWidth + (upper - lower) / syntheticWidth)
  }

  /// The comparison as an aligned text table.
  public var text: String {
    func format(_ x: Double) -> String {
      x.isFinite ? String(format: "%.4g", x) : "-"
    }
    var rows: [[String]] = [
      [
        "coefficient", "real", "real se", "synthetic", "synth se", "df", "95% CI",
        "CI overlap", "std diff",
      ]
    ]
    for c in coefficients {
      rows.append([
        c.name, format(c.realEstimate), format(c.realStandardError), format(c.syntheticEstimate),
        format(c.syntheticStandardError), c.degreesOfFreedom.map(format) ?? "inf",
        "[\(format(c.lower)), \(format(c.upper))]", String(format: "%.3f", c.intervalOverlap),
        String(format: "%.3f", c.standardizedDifference),
      ])
    }
    var widths = [Int](repeating: 0, count: rows[0].count)
    for row in rows { for (k, cell) in row.enumerated() { widths[k] = max(widths[k], cell.count) } }
    var lines = rows.map { row in
      row.enumerated().map { k, cell in
        k == 0
          ? cell.padding(toLength: widths[k], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[k] - cell.count) + cell
      }.joined(separator: "  ")
    }
    lines.append(
      "\(family.rawValue) regression \(formula); \(syntheses) synthetic tables combined with the \(rule.rawValue) rule; "
        + "real rows \(realRows)")
    lines.append(
      String(
        format: "mean CI overlap %.3f; mean |std diff| %.3f", meanIntervalOverlap,
        meanAbsoluteStandardizedDifference))
    return lines.joined(separator: "\n")
  }
}
