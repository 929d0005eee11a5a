import DoppelMetrics

extension ReportDocument {
  /// One headline card: a score, its badge and what it means.
  struct Headline {
    /// The measure's name.
    var name: String
    /// The value as shown.
    var value: String
    /// The judgement.
    var badge: Badge
    /// One line saying what the number means.
    var meaning: String
  }

  /// Quality scores at or above this are good.
  static let qualityGood = 0.8
  /// Quality scores at or above this (and below good) deserve caution.
  static let qualityCaution = 0.6

  /// The headline cards, in order.
  var headlines: [Headline] {
    let quality = evaluation.quality
    var cards: [Headline] = [
      Headline(
        name: "Overall quality", value: NumberFormat.percent(quality.overall),
        badge: qualityBadge(quality.overall),
        meaning: "How closely the synthetic table matches the real one: the mean of column shapes"
          + " and pair trends; 100% is a perfect match."),
      Headline(
        name: "Column shapes", value: NumberFormat.percent(quality.columnShapes),
        badge: qualityBadge(quality.columnShapes),
        meaning: "How alike each column's distribution is (KS or TV complement), averaged over"
          + " columns."),
    ]
    if let trends = quality.columnPairTrends {
      cards.append(
        Headline(
          name: "Column pair trends", value: NumberFormat.percent(trends),
          badge: qualityBadge(trends),
          meaning: "How well correlations and contingencies between strongly associated column"
            + " pairs are kept."))
    } else {
      cards.append(
        Headline(
          name: "Column pair trends", value: "not computed", badge: .notComputed,
          meaning: "No column pair is associated strongly enough in the real table"
            + " (|r| > 0.5 or Cramér's V > 0.3) to be scored."))
    }
    cards.append(utilityHeadline)
    let privacy = evaluation.privacy
    cards.append(
      Headline(
        name: "Exact-copy rate", value: NumberFormat.percent(privacy.exactCopyRate, decimals: 2),
        badge: privacyBadge(
          "exactCopyRate",
          fallback: Badge.lowerIsBetter(privacy.exactCopyRate, good: 0.01, caution: 0.05)),
        meaning: "Share of synthetic rows identical to a real training row; 0% is ideal."))
    let noHoldout = "Not computed: no holdout table was given (pass --holdout FILE)."
    if let share = privacy.dcrShareCloserToTrain {
      cards.append(
        Headline(
          name: "DCR share closer to training", value: NumberFormat.percent(share),
          badge: privacyBadge(
            "dcrShareCloserToTrain",
            fallback: Badge.lowerIsBetter(share, good: 0.6, caution: 0.7)),
          meaning: "Share of synthetic rows nearer to a training row than to a holdout row; 50% is"
            + " ideal, near 100% means training rows are being reproduced."))
    } else {
      cards.append(
        Headline(
          name: "DCR share closer to training", value: "not computed", badge: .notComputed,
          meaning: noHoldout))
    }
    if let auc = privacy.membershipInferenceAUC {
      cards.append(
        Headline(
          name: "Membership-inference AUC", value: NumberFormat.fixed(auc, decimals: 2),
          badge: privacyBadge(
            "membershipInferenceAUC", fallback: Badge.lowerIsBetter(auc, good: 0.6, caution: 0.7)
          ),
          meaning: "How well an attacker holding the synthetic table tells training rows from"
            + " others; 0.5 is guessing, 1 is certain."))
    } else {
      cards.append(
        Headline(
          name: "Membership-inference AUC", value: "not computed", badge: .notComputed,
          meaning: noHoldout))
    }
    return cards
  }

  /// The utility card: TSTR against TRTR macro F1 (classification) or R² (regression).
  private var utilityHeadline: Headline {
    guard let utility = evaluation.utility else {
      return Headline(
        name: "Utility (TSTR / TRTR)", value: "not computed", badge: .notComputed,
        meaning: missingUtilityReason)
    }
    let metric: (name: String, tstr: Double?, trtr: Double?) =
      utility.tstr.f1Macro != nil || utility.trtr.f1Macro != nil
      ? ("macro F1", utility.tstr.f1Macro, utility.trtr.f1Macro)
      : ("R²", utility.tstr.r2, utility.trtr.r2)
    guard let tstr = metric.tstr else {
      return Headline(
        name: "Utility (TSTR / TRTR)", value: "not computed", badge: .notComputed,
        meaning: "The utility result holds neither a macro F1 nor an R² score.")
    }
    let badge: Badge
    if let trtr = metric.trtr, trtr > 0 {
      badge = Badge.higherIsBetter(tstr / trtr, good: 0.9, caution: 0.75)
    } else {
      badge = Badge.higherIsBetter(tstr, good: 0.8, caution: 0.6)
    }
    let value =
      NumberFormat.fixed(tstr, decimals: 2) + " / "
      + text(metric.trtr) { NumberFormat.fixed($0, decimals: 2) }
    return Headline(
      name: "Utility, \(metric.name) (TSTR / TRTR)", value: value, badge: badge,
      meaning: "A model trained on synthetic data and one trained on real data, both tested on"
        + " real rows; TSTR close to TRTR means the synthetic table is as useful.")
  }

  /// Why there is no utility result, and how to get one.
  var missingUtilityReason: String {
    if let label = evaluation.dataset.label {
      return "A label column (\(label)) was given, but no utility result was stored in the"
        + " evaluation; run doppel evaluate again with --label \(label)."
    }
    return "Not computed: no label column was given (pass --label COLUMN to doppel evaluate)."
  }

  /// The badge for a quality score.
  /// - Parameter score: The score in [0, 1].
  /// - Returns: The badge.
  func qualityBadge(_ score: Double) -> Badge {
    Badge.higherIsBetter(score, good: Self.qualityGood, caution: Self.qualityCaution)
  }

  /// The evaluation's verdict for a privacy measure, or a fallback judgement.
  /// - Parameters:
  ///   - measure: The measure's key, such as `exactCopyRate`.
  ///   - fallback: The badge to use when the evaluation has no verdict for it.
  /// - Returns: The badge.
  func privacyBadge(_ measure: String, fallback: Badge) -> Badge {
    guard let verdict = evaluation.privacy.verdicts.first(where: { $0.measure == measure }) else {
      return fallback
    }
    let badge = Badge(level: verdict.level)
    return badge == .notComputed ? fallback : badge
  }

  /// The headline section.
  var headlineSection: String {
    var content = "<div class=\"cards\">\n"
    for card in headlines {
      content += "<div class=\"card " + card.badge.rawValue + "\"><h3>" + HTMLText.escape(card.name)
      content += "</h3><p class=\"value\">" + HTMLText.escape(card.value) + "</p>"
      content += "<p class=\"judgement\">" + card.badge.html + "</p>"
      content += "<p class=\"meaning\">" + HTMLText.escape(card.meaning) + "</p></div>\n"
    }
    content += "</div>\n"
    content += note(
      "Badges: quality scores of 80% or more are good, 60–80% call for caution, below 60% are a"
        + " risk. Utility is good when TSTR reaches 90% of TRTR and a caution from 75%. Privacy"
        + " badges follow the evaluation's verdicts where it gives them; otherwise exact copies"
        + " up to 1% are good (5% caution), and a DCR share or attack AUC up to 0.6 is good"
        + " (0.7 caution).")
    return section(
      "headline",
      lead: "The numbers to read first. Each has a badge (good, caution or risk) and a line on"
        + " what it means.", content: content)
  }
}
