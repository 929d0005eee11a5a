/// Privacy measures of a synthetic table against its training table (and a holdout).
public struct PrivacyResult: Sendable, Codable, Equatable {
  /// Share of synthetic rows identical to some training row, in [0, 1]; 0 is ideal.
  public var exactCopyRate: Double
  /// Median Gower distance from a synthetic row to its closest training row.
  public var dcrMedianTrain: Double?
  /// Median Gower distance from a synthetic row to its closest holdout row.
  public var dcrMedianHoldout: Double?
  /// Share of synthetic rows closer to the training sample than to the holdout (train sampled to
  /// the holdout's size); 0.5 is ideal, near 1 means the training rows are being reproduced.
  public var dcrShareCloserToTrain: Double?
  /// Median nearest-neighbour distance ratio (closest / second closest training row); near 0
  /// means synthetic rows sit on top of single real rows.
  public var nndrMedian: Double?
  /// AUC of a distance-based membership-inference attack; 0.5 is ideal.
  public var membershipInferenceAUC: Double?
  /// Attribute disclosure for chosen key and sensitive columns (TCAP-style).
  public var attributeDisclosure: AttributeDisclosure?
  /// How many synthetic rows the distances were computed on: all of them up to the exact-search
  /// limit (100k by default), a seeded sample beyond it.
  public var distanceSampleSize: Int?
  /// How many training rows the distances were computed on: all of them up to the exact-search
  /// limit, a seeded sample beyond it.
  public var distanceTrainSampleSize: Int?
  /// One plain-language verdict per measure.
  public var verdicts: [Verdict]

  /// A plain-language verdict.
  public struct Verdict: Sendable, Codable, Equatable {
    /// The measure, such as `exactCopyRate`.
    public var measure: String
    /// `good`, `caution` or `risk`.
    public var level: String
    /// One sentence a reviewer can read.
    public var text: String

    /// Creates a verdict.
    /// - Parameters:
    ///   - measure: The measure.
    ///   - level: The level.
    ///   - text: The sentence.
    public init(measure: String, level: String, text: String) {
      self.measure = measure
      self.level = level
      self.text = text
    }
  }

  /// Creates a privacy result; set the optional fields that apply.
  /// - Parameters:
  ///   - exactCopyRate: The exact-copy rate.
  ///   - verdicts: The verdicts.
  public init(exactCopyRate: Double, verdicts: [Verdict] = []) {
    self.exactCopyRate = exactCopyRate
    self.verdicts = verdicts
  }
}

/// Attribute disclosure: how often an attacker who knows the key columns of a real person learns
/// their sensitive value from the synthetic table (TCAP, Taub, Elliot, Pampaka and Smith 2018; as
/// in synthpop's disclosure measures).
public struct AttributeDisclosure: Sendable, Codable, Equatable {
  /// The key (quasi-identifier) columns.
  public var keys: [String]
  /// The sensitive column.
  public var sensitive: String
  /// Mean TCAP over real rows whose keys match a synthetic equivalence class.
  public var tcap: Double
  /// The baseline: the share of the most frequent sensitive value in the real table.
  public var baseline: Double
  /// Share of real rows whose keys appear in the synthetic table.
  public var matchRate: Double

  /// Creates a result.
  /// - Parameters:
  ///   - keys: The key columns.
  ///   - sensitive: The sensitive column.
  ///   - tcap: The mean TCAP.
  ///   - baseline: The baseline.
  ///   - matchRate: The match rate.
  public init(keys: [String], sensitive: String, tcap: Double, baseline: Double, matchRate: Double)
  {
    self.keys = keys
    self.sensitive = sensitive
    self.tcap = tcap
    self.baseline = baseline
    self.matchRate = matchRate
  }
}
