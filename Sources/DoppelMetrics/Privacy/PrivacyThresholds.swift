/// The thresholds behind the privacy verdicts of ``PrivacyEvaluator``.
///
/// Each measure is compared with what real data from the same population gives: a holdout
/// table when there is one, otherwise the training table against itself. The numbers are
/// conventions, chosen to flag clear departures rather than sampling noise on tables of a few
/// thousand rows; they are not statistical tests.
public enum PrivacyThresholds {
  /// Exact copies: `good` when the copy rate is at most the real baseline (the share of holdout
  /// rows found in the training table, or without a holdout the share of training rows that have
  /// a duplicate), `caution` when at most this much above it, `risk` beyond.
  public static let exactCopyMargin = 0.01
  /// Share of synthetic rows closer to the training rows than to the holdout (0.5 ideal): `good`
  /// up to this value.
  public static let shareCloserGood = 0.55
  /// Share closer to the training rows: `caution` up to this value, `risk` beyond.
  public static let shareCloserCaution = 0.60
  /// Membership-inference AUC (0.5 ideal): `good` up to this value.
  public static let membershipGood = 0.55
  /// Membership-inference AUC: `caution` up to this value, `risk` beyond.
  public static let membershipCaution = 0.60
  /// Median distance to the closest training row, and median NNDR, as a ratio to the same
  /// median for real rows: `good` from this ratio up.
  public static let distanceRatioGood = 0.8
  /// Distance and NNDR ratio: `caution` from this ratio up, `risk` below.
  public static let distanceRatioCaution = 0.5
  /// Attribute disclosure, as the share of the baseline's error the attacker removes,
  /// (TCAP − baseline) / (1 − baseline): `good` up to this value.
  public static let disclosureGainGood = 0.1
  /// Attribute disclosure gain: `caution` up to this value, `risk` beyond.
  public static let disclosureGainCaution = 0.3
}
