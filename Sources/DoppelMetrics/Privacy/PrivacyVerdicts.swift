import Foundation

/// Turns measured privacy numbers into one plain-language ``PrivacyResult/Verdict`` per measure,
/// using ``PrivacyThresholds``.
struct PrivacyVerdicts {
  /// The share of synthetic rows that copy a training row.
  var exactCopyRate: Double
  /// The real baseline for copies: holdout rows found in the training table, or training rows
  /// with a duplicate.
  var copyBaseline: Double
  /// Whether the baselines come from a holdout (otherwise from the training table itself).
  var hasHoldout: Bool
  /// Median distance from a synthetic row to its closest training row.
  var dcrMedianTrain: Double?
  /// The same median for real rows (holdout rows, or training rows left out one at a time).
  var dcrBaseline: Double?
  /// Share of synthetic rows closer to the training sample than to the holdout.
  var shareCloserToTrain: Double?
  /// Median nearest-neighbour distance ratio of synthetic rows.
  var nndrMedian: Double?
  /// The same median for real rows.
  var nndrBaseline: Double?
  /// Membership-inference AUC.
  var membershipAUC: Double?
  /// Attribute disclosure.
  var disclosure: AttributeDisclosure?

  /// The verdicts, in a fixed order: exact copies, distance to closest record, share closer to
  /// train, NNDR, membership inference, attribute disclosure; measures not computed are left out.
  var verdicts: [PrivacyResult.Verdict] {
    var result: [PrivacyResult.Verdict] = []
    let baselineRows =
      hasHoldout ? "real holdout rows" : "real training rows left out one at a time"

    let copyLevel: PrivacyLevel =
      exactCopyRate <= copyBaseline
      ? .good : exactCopyRate <= copyBaseline + PrivacyThresholds.exactCopyMargin ? .caution : .risk
    let copyReference =
      hasHoldout
      ? "the \(percent(copyBaseline)) of holdout rows that match a training row"
      : "the \(percent(copyBaseline)) of training rows that duplicate another"
    result.append(
      verdict(
        "exactCopyRate", copyLevel,
        "\(percent(exactCopyRate)) of synthetic rows copy a training row exactly, "
          + (copyLevel == .good ? "no more than " : "more than ") + copyReference + "."))

    if let dcrMedianTrain, let dcrBaseline {
      let level = ratioLevel(dcrMedianTrain, dcrBaseline)
      result.append(
        verdict(
          "dcrMedianTrain", level,
          "The median synthetic row lies at Gower distance \(fixed(dcrMedianTrain)) from its "
            + "closest training row, against \(fixed(dcrBaseline)) for \(baselineRows)."))
    }

    if let shareCloserToTrain {
      let level = band(
        shareCloserToTrain, PrivacyThresholds.shareCloserGood, PrivacyThresholds.shareCloserCaution)
      result.append(
        verdict(
          "dcrShareCloserToTrain", level,
          "\(percent(shareCloserToTrain)) of synthetic rows are closer to the training rows than "
            + "to the holdout rows, where new data from the same population would give 50%."))
    }

    if let nndrMedian, let nndrBaseline {
      let level = ratioLevel(nndrMedian, nndrBaseline)
      result.append(
        verdict(
          "nndrMedian", level,
          "The median ratio of closest to second-closest training distance is "
            + "\(fixed(nndrMedian)), against \(fixed(nndrBaseline)) for \(baselineRows); near 0 "
            + "means synthetic rows sit on single training rows."))
    }

    if let membershipAUC {
      let level = band(
        membershipAUC, PrivacyThresholds.membershipGood, PrivacyThresholds.membershipCaution)
      result.append(
        verdict(
          "membershipInferenceAUC", level,
          "An attacker who takes real rows close to a synthetic row for training rows tells them "
            + "from holdout rows with AUC \(fixed(membershipAUC, digits: 2)), where 0.5 is guessing."
        ))
    }

    if let disclosure {
      let gain =
        disclosure.baseline < 1
        ? (disclosure.tcap - disclosure.baseline) / (1 - disclosure.baseline) : 0
      let level = band(
        gain, PrivacyThresholds.disclosureGainGood, PrivacyThresholds.disclosureGainCaution)
      result.append(
        verdict(
          "attributeDisclosure", level,
          "Knowing \(disclosure.keys.joined(separator: ", ")), an attacker infers "
            + "\(disclosure.sensitive) correctly for \(percent(disclosure.tcap)) of the "
            + "\(percent(disclosure.matchRate)) of real rows found in the synthetic table, against "
            + "\(percent(disclosure.baseline)) by always guessing the most common value."))
    }
    return result
  }

  private func verdict(_ measure: String, _ level: PrivacyLevel, _ text: String)
    -> PrivacyResult.Verdict
  {
    PrivacyResult.Verdict(measure: measure, level: level.rawValue, text: text)
  }

  /// `good` up to `good`, `caution` up to `caution`, `risk` beyond.
  private func band(_ value: Double, _ good: Double, _ caution: Double) -> PrivacyLevel {
    value <= good ? .good : value <= caution ? .caution : .risk
  }

  /// Judges a synthetic median against the real one: a ratio of at least
  /// ``PrivacyThresholds/distanceRatioGood`` is `good`. A real median of 0 cannot be undercut.
  private func ratioLevel(_ value: Double, _ baseline: Double) -> PrivacyLevel {
    let ratio = baseline > 0 ? value / baseline : 1
    return ratio >= PrivacyThresholds.distanceRatioGood
      ? .good : ratio >= PrivacyThresholds.distanceRatioCaution ? .caution : .risk
  }

  private func percent(_ value: Double) -> String {
    String(format: "%.1f%%", value * 100)
  }

  private func fixed(_ value: Double, digits: Int = 3) -> String {
    String(format: "%.\(digits)f", value)
  }
}
