import Doppel
import Foundation

/// The size, width and cardinality of a table that the automatic synthesizer choice looks at.
public struct TableProfile: Sendable, Codable, Equatable {
  /// Rows.
  public var rows: Int
  /// Columns.
  public var columns: Int
  /// The most distinct values of a categorical or boolean column (0 when there is none).
  public var maxCardinality: Int

  /// Creates a profile.
  /// - Parameters:
  ///   - rows: Rows.
  ///   - columns: Columns.
  ///   - maxCardinality: The most distinct values of a categorical column.
  public init(rows: Int, columns: Int, maxCardinality: Int) {
    self.rows = rows
    self.columns = columns
    self.maxCardinality = maxCardinality
  }

  /// Profiles a typed table.
  /// - Parameter table: The table.
  public init(table: Table) {
    var maxCardinality = 0
    for column in table.columns {
      if case .categories(_, let categories) = column.values {
        maxCardinality = max(maxCardinality, categories.count)
      }
    }
    self.init(rows: table.rowCount, columns: table.columns.count, maxCardinality: maxCardinality)
  }
}

/// A synthesizer and its hyper-parameters for one table, with the reason they were chosen.
public struct SynthesizerChoice: Sendable, Codable, Equatable {
  /// The synthesizer kind.
  public var synthesizer: String
  /// Hyper-parameters as `key=value` text.
  public var options: [String: String]
  /// Why: the rule that fired, or that the configuration chose.
  public var reason: String

  /// Creates a choice.
  /// - Parameters:
  ///   - synthesizer: The kind.
  ///   - options: Hyper-parameters.
  ///   - reason: Why.
  public init(synthesizer: String, options: [String: String], reason: String) {
    self.synthesizer = synthesizer
    self.options = options
    self.reason = reason
  }

  /// Rows below which the Gaussian copula is chosen: conditional probability tables need rows.
  public static let minimumNetworkRows = 200
  /// Columns above which the Gaussian copula is chosen: structure search grows with the square
  /// of the width.
  public static let maximumNetworkColumns = 60
  /// Columns above which the network is a Chow–Liu tree instead of a greedy search.
  public static let maximumGreedyColumns = 20
  /// Categories above which the Gaussian copula is chosen: a network's tables grow with the
  /// product of its parents' cardinalities.
  public static let maximumNetworkCardinality = 500

  /// The rule, in words, as shown in reports and `doppel pipeline --help`.
  public static let ruleText = """
    fewer than \(minimumNetworkRows) rows, more than \(maximumNetworkColumns) columns, or a \
    category column with more than \(maximumNetworkCardinality) values: gaussian-copula \
    (marginal=empirical below \(minimumNetworkRows) rows, else auto); otherwise \
    bayesian-network with bins = clamp(⌊√rows⌋, 5, 50), greedy structure search with \
    maxParents=2 up to \(maximumGreedyColumns) columns and a Chow–Liu tree above
    """

  /// Chooses a synthesizer and hyper-parameters from a table's size, width and cardinality.
  ///
  /// The rule (``ruleText``): a Bayesian network (Chow and Liu 1968 for the tree; greedy search
  /// scored by BIC) keeps joint distributions of mixed tables best when there are enough rows per
  /// conditional table and few enough columns for the structure search; the Gaussian copula
  /// (Patki, Wedge and Veeramachaneni, "The Synthetic Data Vault", IEEE DSAA 2016) scales to any
  /// width and needs few rows.
  /// - Parameter profile: The table's size, width and cardinality.
  /// - Returns: The choice, with the reason.
  public static func automatic(profile: TableProfile) -> SynthesizerChoice {
    let facts =
      "\(profile.rows) rows, \(profile.columns) columns, at most \(profile.maxCardinality) categories"
    if profile.rows < minimumNetworkRows {
      return SynthesizerChoice(
        synthesizer: GaussianCopulaSynthesizer.kind, options: ["marginal": "empirical"],
        reason: "rule: \(facts); fewer than \(minimumNetworkRows) rows → gaussian-copula, "
          + "empirical marginals")
    }
    if profile.columns > maximumNetworkColumns {
      return SynthesizerChoice(
        synthesizer: GaussianCopulaSynthesizer.kind, options: ["marginal": "auto"],
        reason: "rule: \(facts); more than \(maximumNetworkColumns) columns → gaussian-copula")
    }
    if profile.maxCardinality > maximumNetworkCardinality {
      return SynthesizerChoice(
        synthesizer: GaussianCopulaSynthesizer.kind, options: ["marginal": "auto"],
        reason: "rule: \(facts); a category column with more than "
          + "\(maximumNetworkCardinality) values → gaussian-copula")
    }
    let root = Int(Double(profile.rows).squareRoot())
    let bins = min(50, max(5, root))
    if profile.columns > maximumGreedyColumns {
      return SynthesizerChoice(
        synthesizer: BayesianNetworkSynthesizer.kind,
        options: ["structure": "chow-liu", "bins": String(bins)],
        reason: "rule: \(facts); more than \(maximumGreedyColumns) columns → bayesian-network, "
          + "Chow–Liu tree, bins = clamp(⌊√rows⌋, 5, 50) = \(bins)")
    }
    return SynthesizerChoice(
      synthesizer: BayesianNetworkSynthesizer.kind,
      options: ["structure": "greedy", "maxParents": "2", "bins": String(bins)],
      reason: "rule: \(facts) → bayesian-network, greedy search with 2 parents, "
        + "bins = clamp(⌊√rows⌋, 5, 50) = \(bins)")
  }

  /// The choice for a table: the configuration's synthesizer when it names one, else the
  /// automatic choice with the configuration's options laid over it.
  /// - Parameters:
  ///   - profile: The table's profile.
  ///   - settings: The table's configured settings.
  /// - Returns: The choice.
  public static func choose(
    profile: TableProfile, settings: PipelineConfiguration.TableSettings
  ) -> SynthesizerChoice {
    if let kind = settings.synthesizer {
      return SynthesizerChoice(
        synthesizer: kind, options: settings.options ?? [:],
        reason: "configuration: synthesizer \(kind) set for this table")
    }
    var choice = automatic(profile: profile)
    if let options = settings.options, !options.isEmpty {
      choice.options.merge(options) { _, configured in configured }
      choice.reason +=
        "; configured options \(options.keys.sorted().joined(separator: ", ")) override the rule's"
    }
    return choice
  }
}
