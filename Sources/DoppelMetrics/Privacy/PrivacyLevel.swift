/// How a privacy measure is judged: the `level` of a ``PrivacyResult/Verdict``.
public enum PrivacyLevel: String, Sendable, Codable, CaseIterable {
  /// Within what real data from the same population would show.
  case good
  /// Somewhat closer to the training rows than new real data would be; worth a look.
  case caution
  /// The synthetic table reveals training rows or their values; do not share it as is.
  case risk
}
