import DoppelCore

/// How ``PrivacyEvaluator`` samples rows and uses threads.
///
/// Nearest-neighbour distances are exact (every synthetic row against every training row) for
/// tables up to ``exactSearchLimit`` rows. A larger table is replaced by a seeded random sample:
/// ``syntheticSampleSize`` rows of a large synthetic table, ``referenceSampleSize`` rows of a large
/// training or holdout table. Exact copies and attribute disclosure always use every row.
public struct PrivacyOptions: Sendable, Equatable {
  /// Tables with at most this many rows are searched in full; default 100,000.
  public var exactSearchLimit: Int
  /// Rows sampled from a synthetic table larger than ``exactSearchLimit``; default 20,000.
  public var syntheticSampleSize: Int
  /// Rows sampled from a training or holdout table larger than ``exactSearchLimit``; default
  /// 100,000.
  public var referenceSampleSize: Int
  /// Real rows used to measure how close real rows are to the training rows (the baseline of the
  /// distance verdicts); default 2,000.
  public var baselineSampleSize: Int
  /// Bins (quantiles of the real data) for a numerical sensitive column; default 10 (deciles).
  public var sensitiveBins: Int
  /// Worker threads for the distance search; `nil` (the default) uses every active core.
  /// Results do not depend on it.
  public var threads: Int?

  /// Creates options.
  /// - Parameters:
  ///   - exactSearchLimit: The largest table searched in full.
  ///   - syntheticSampleSize: Rows sampled from a larger synthetic table.
  ///   - referenceSampleSize: Rows sampled from a larger training or holdout table.
  ///   - baselineSampleSize: Real rows used for the distance baseline.
  ///   - sensitiveBins: Quantile bins for a numerical sensitive column.
  ///   - threads: Worker threads, or `nil` for every core.
  public init(
    exactSearchLimit: Int = 100_000, syntheticSampleSize: Int = 20_000,
    referenceSampleSize: Int = 100_000, baselineSampleSize: Int = 2_000, sensitiveBins: Int = 10,
    threads: Int? = nil
  ) {
    self.exactSearchLimit = exactSearchLimit
    self.syntheticSampleSize = syntheticSampleSize
    self.referenceSampleSize = referenceSampleSize
    self.baselineSampleSize = baselineSampleSize
    self.sensitiveBins = sensitiveBins
    self.threads = threads
  }

  /// Checks that every size is positive.
  /// - Throws: ``DoppelError`` `invalidArgument` naming every option out of range.
  public func validate() throws {
    var problems: [String] = []
    if exactSearchLimit < 1 { problems.append("exactSearchLimit") }
    if syntheticSampleSize < 1 { problems.append("syntheticSampleSize") }
    if referenceSampleSize < 1 { problems.append("referenceSampleSize") }
    if baselineSampleSize < 1 { problems.append("baselineSampleSize") }
    if sensitiveBins < 2 { problems.append("sensitiveBins (at least 2)") }
    if let threads, threads < 1 { problems.append("threads") }
    guard problems.isEmpty else {
      throw DoppelError(
        .invalidArgument,
        "privacy options must be positive: \(problems.joined(separator: ", "))")
    }
  }
}
