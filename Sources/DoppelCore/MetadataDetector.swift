/// Decides each column's ``ColumnKind`` from its text, reading a table chunk by chunk.
///
/// Feed it every chunk of a file with ``add(_:)``, then call ``finish()``; memory stays bounded
/// however long the file is (see ``Options``). The same chunks in the same order always give the
/// same metadata. For a table already in memory use ``detect(_:options:)``.
///
/// ## Rules, in the order they are tried
///
/// 1. **Empty**: a column with no values is `categorical` (it has nothing to model; a metadata
///    file can say otherwise).
/// 2. **Boolean**: exactly two distinct values that are, ignoring case, `true`/`false`,
///    `yes`/`no`, `y`/`n`, `t`/`f` or `1`/`0` → `boolean`, keeping the spellings found. A column
///    holding only one of `true`, `false`, `yes` or `no` is boolean too (the other spelling is
///    inferred in the same letter case).
/// 3. **Personal data named as such**: when the name suggests a phone, national id or postcode
///    (see rule 6), number-like values are checked for that kind before rule 4.
/// 4. **Numbers**: every value is a plain decimal number (no leading `+` or zeros, at most 15
///    digits when whole) →
///    - `id(.integer)` when the values are unique, none is missing, all are whole, and either the
///      name marks an id (`id`, `ID`, `*_id`, `customerId`, `key`, `uuid`, `pk`) or the values are
///      exactly 1…n (or 0…n−1);
///    - `categorical` when all are whole, none is negative and the distinct count is at most
///      min(round(rows / 10), 10), with more than 5 rows — SDV's rule for integer codes
///      (`sdv.metadata.single_table`, `_determine_sdtype_for_numbers`);
///    - otherwise `numerical`, with `isInteger` when no value has a point or exponent and
///      `decimals` = the most digits after the point (`nil` above 12 or with an exponent).
/// 5. **Dates and times**: every value parses with one of ``DateTimeFormat/detectionCandidates``
///    → `datetime` with the first such format (ISO first; month-first before day-first, so a day
///    above 12 decides). `%f` is narrowed to `%Nf` when every value has N fraction digits.
/// 6. **Text**, in this order:
///    - all values are UUIDs, unique, none missing → `id(.uuid)`;
///    - personal data, when at least ``Options/piiShare`` (90 %) of the sampled values match:
///      e-mail (`local@domain.tld`); national id (US SSN `ddd-dd-dddd`, or nine digits when named
///      so); phone (`+`, digits and separators, 7–15 digits; without a phone-like name it also
///      needs `+`, parentheses, or ten digits with separators); postcode (UK shapes such as
///      `SW1A 1AA`, or any short code with a digit when named `zip`/`postcode`/`postal`); street
///      address (house number, words, a street word such as `Street`/`St`/`Road`/`Ave`); person
///      name (two or three capitalised words whose first word is a common given name for at least
///      half the values, or 30 % when the name says `name`); first name (one capitalised word,
///      a common given name for 70 % of values, or 30 % when named `first_name`); last name (one
///      capitalised word, only when named `last_name`/`surname`);
///    - unique, none missing, sharing one prefix followed by a fixed number of digits (`P-000123`,
///      `00042`) → `id(.prefixed(prefix:width:))`;
///    - unique, none missing, with an id-like name → `id(.other)`;
///    - `categorical` when the distinct count is at most ``Options/maxCategories`` (1,000) and
///      either at most half the non-missing values, or at most 20 and at most 80 % of them — so
///      labels that repeat are categories (adult's `native-country`, 41 values in 32,561 rows)
///      while notes that rarely repeat are text; a single repeated value is categorical;
///    - otherwise `text`.
///
/// Uniqueness is exact while a column has at most ``Options/maxDistinct`` distinct values; beyond
/// that a column counts as unique when no repeat of a kept value was seen, and
/// ``ColumnMetadata/distinctCount`` is a lower bound. Personal-data checks look at a uniform
/// sample of ``Options/sampleSize`` values (reservoir sampling with a fixed seed). The primary key
/// is the first `id` column whose name marks an id, else the first `id` column.
public struct MetadataDetector: Sendable {
  /// Limits and thresholds of detection.
  public struct Options: Sendable, Equatable {
    /// The most distinct values kept per column; above it a column cannot be categorical.
    public var maxDistinct: Int
    /// The number of values per column sampled for the personal-data checks.
    public var sampleSize: Int
    /// The most distinct labels a text column may have to be categorical.
    public var maxCategories: Int
    /// The share of sampled values that must match a personal-data shape, in [0.5, 1].
    public var piiShare: Double

    /// Creates options.
    /// - Parameters:
    ///   - maxDistinct: The most distinct values kept per column (at least 1).
    ///   - sampleSize: Values sampled per column for personal-data checks (at least 1).
    ///   - maxCategories: The most labels of a categorical text column.
    ///   - piiShare: The share of sampled values that must match a personal-data shape; values
    ///     outside [0.5, 1] are clamped to it.
    public init(
      maxDistinct: Int = 100_000, sampleSize: Int = 1_000, maxCategories: Int = 1_000,
      piiShare: Double = 0.9
    ) {
      self.maxDistinct = max(1, maxDistinct)
      self.sampleSize = max(1, sampleSize)
      self.maxCategories = max(1, maxCategories)
      self.piiShare = min(1, max(0.5, piiShare))
    }
  }

  /// The column names, in order.
  public let columnNames: [String]
  /// The limits in use.
  public let options: Options
  private var profiles: [ColumnProfile]

  /// Creates a detector for a table with these columns.
  /// - Parameters:
  ///   - columnNames: The header's names, in order.
  ///   - options: Limits and thresholds.
  public init(columnNames: [String], options: Options = Options()) {
    self.columnNames = columnNames
    self.options = options
    self.profiles = columnNames.indices.map {
      ColumnProfile(index: $0, distinctLimit: options.maxDistinct, sampleSize: options.sampleSize)
    }
  }

  /// Profiles the rows of one chunk.
  /// - Parameter chunk: Rows of the same table; its columns must be those given to
  ///   ``init(columnNames:options:)``, in the same order.
  /// - Complexity: O(*rows* × *columns*), plus a hash of each value.
  public mutating func add(_ chunk: TextTable) {
    precondition(
      chunk.columns.count == profiles.count,
      "a chunk must have the detector's \(profiles.count) columns")
    for index in profiles.indices { profiles[index].add(chunk.columns[index]) }
  }

  /// Decides every column's kind from the rows added so far.
  /// - Returns: Metadata with one entry per column, the primary key and the row count.
  public func finish() -> TableMetadata {
    var columns: [ColumnMetadata] = []
    for (name, profile) in zip(columnNames, profiles) {
      columns.append(
        ColumnMetadata(
          name: name, kind: kind(of: profile, name: name),
          missingRate: profile.rows > 0 ? Double(profile.missing) / Double(profile.rows) : nil,
          distinctCount: profile.distinct.count))
    }
    let ids = columns.filter { if case .id = $0.kind { return true } else { return false } }
    let key = ids.first { ColumnNameHints($0.name).isIdentifier } ?? ids.first
    return TableMetadata(
      columns: columns, primaryKey: key?.name, rowCount: profiles.first?.rows ?? 0)
  }

  /// Detects the metadata of a whole table in memory.
  /// - Parameters:
  ///   - text: The table.
  ///   - options: Limits and thresholds.
  /// - Returns: The detected metadata.
  public static func detect(_ text: TextTable, options: Options = Options()) -> TableMetadata {
    var detector = MetadataDetector(columnNames: text.columnNames, options: options)
    detector.add(text)
    return detector.finish()
  }

  // MARK: - Rules

  private func kind(of profile: ColumnProfile, name: String) -> ColumnKind {
    if profile.present == 0 { return .categorical }
    if let spelling = booleanSpelling(profile) { return .boolean(spelling) }
    let hints = ColumnNameHints(name)
    let unique = !profile.duplicateSeen && profile.missing == 0
    if profile.allNumbers {
      if let pii = hints.pii, [.phone, .nationalID, .postcode].contains(pii),
        let found = piiKind(profile.sample, hint: pii), found == pii
      {
        return .pii(pii)
      }
      return numericKind(profile, hints: hints, unique: unique)
    }
    if let index = profile.datetimeAlive.firstIndex(of: true) {
      var pattern = DateTimeFormat.detectionCandidates[index].pattern
      let digits = profile.fractionDigits[index]
      if ColumnProfile.candidates[index].hasOpenFraction && digits.min == digits.max {
        pattern = DateTimePattern.fixingFraction(of: pattern, digits: digits.max)
      }
      return .datetime(DateTimeFormat(pattern))
    }
    if profile.allUUID && unique { return .id(.uuid) }
    if let pii = piiKind(profile.sample, hint: hints.pii) { return .pii(pii) }
    if unique, profile.prefixedAlive, let shape = profile.prefixed {
      return .id(.prefixed(prefix: shape.prefix, width: shape.width))
    }
    if unique && hints.isIdentifier { return .id(.other) }
    let distinct = profile.distinct.count
    let present = Double(profile.present)
    let categorical =
      !profile.distinctCapped && distinct <= options.maxCategories
      && (distinct == 1 || Double(distinct) <= 0.5 * present
        || (distinct <= 20 && Double(distinct) <= 0.8 * present))
    return categorical ? .categorical : .text
  }

  private func numericKind(_ profile: ColumnProfile, hints: ColumnNameHints, unique: Bool)
    -> ColumnKind
  {
    let whole = profile.allIntegerText
    if whole && unique {
      let n = Double(profile.present)
      let counts = profile.minimum == 1 && profile.maximum == n
      let fromZero = profile.minimum == 0 && profile.maximum == n - 1
      if hints.isIdentifier || counts || fromZero { return .id(.integer) }
    }
    let threshold = min((Double(profile.rows) / 10).rounded(.toNearestOrEven), 10)
    if profile.allWhole && profile.minimum >= 0 && profile.rows > 5
      && Double(profile.distinct.count) <= threshold && !profile.distinctCapped
    {
      return .categorical
    }
    let decimals = profile.anyExponent || profile.maxDecimals > 12 ? nil : profile.maxDecimals
    return .numerical(NumericalFormat(isInteger: whole, decimals: decimals))
  }

  private static let booleanPairs: [(yes: String, no: String)] = [
    ("true", "false"), ("yes", "no"), ("y", "n"), ("t", "f"), ("1", "0"),
  ]

  private func booleanSpelling(_ profile: ColumnProfile) -> BooleanSpelling? {
    guard !profile.distinctCapped else { return nil }
    let values = profile.distinct.sorted()
    if values.count == 2 {
      let lower = values.map { $0.lowercased() }
      for pair in Self.booleanPairs {
        if lower == [pair.no, pair.yes] {
          return BooleanSpelling(trueText: values[1], falseText: values[0])
        }
        if lower == [pair.yes, pair.no] {
          return BooleanSpelling(trueText: values[0], falseText: values[1])
        }
      }
      return nil
    }
    guard values.count == 1, let only = values.first else { return nil }
    let lower = only.lowercased()
    guard let pair = Self.booleanPairs.prefix(2).first(where: { $0.yes == lower || $0.no == lower })
    else { return nil }
    func spelled(_ word: String) -> String {
      if only == only.uppercased() { return word.uppercased() }
      if only.first?.isUppercase == true { return word.prefix(1).uppercased() + word.dropFirst() }
      return word
    }
    return lower == pair.yes
      ? BooleanSpelling(trueText: only, falseText: spelled(pair.no))
      : BooleanSpelling(trueText: spelled(pair.yes), falseText: only)
  }

  private func piiKind(_ sample: [String], hint: PIIKind?) -> PIIKind? {
    guard !sample.isEmpty else { return nil }
    let total = Double(sample.count)
    func share(_ test: (String) -> Bool) -> Double {
      Double(sample.reduce(0) { $0 + (test($1) ? 1 : 0) }) / total
    }
    let needed = options.piiShare
    if share(ValuePatterns.isEmail) >= needed { return .email }
    if share({ ValuePatterns.isNationalID($0, hinted: hint == .nationalID) }) >= needed {
      return .nationalID
    }
    if share({ ValuePatterns.isPhone($0, hinted: hint == .phone) }) >= needed { return .phone }
    if share(ValuePatterns.isUKPostcode) >= needed
      || (hint == .postcode && share(ValuePatterns.isPostcodeLike) >= needed)
    {
      return .postcode
    }
    if share(ValuePatterns.isStreetAddress) >= needed { return .streetAddress }
    if share(ValuePatterns.isPersonNameShape) >= needed
      && share(ValuePatterns.startsWithFirstName) >= (hint == .personName ? 0.3 : 0.5)
    {
      return .personName
    }
    if share(ValuePatterns.isSingleNameShape) >= needed {
      if share(ValuePatterns.startsWithFirstName) >= (hint == .firstName ? 0.3 : 0.7) {
        return .firstName
      }
      if hint == .lastName { return .lastName }
    }
    return nil
  }
}
