/// The running profile of one column while ``MetadataDetector`` reads chunks.
///
/// Memory is bounded: at most `distinctLimit` distinct values and `sampleSize` sampled values are
/// kept; everything else is a counter or a flag.
struct ColumnProfile: Sendable {
  let distinctLimit: Int
  let sampleSize: Int

  /// Rows seen.
  private(set) var rows = 0
  /// Empty fields seen.
  private(set) var missing = 0
  /// Distinct non-missing values, up to `distinctLimit`.
  private(set) var distinct: Set<String> = []
  /// Whether a value was seen that did not fit into `distinct`.
  private(set) var distinctCapped = false
  /// Whether a value was seen twice (exact while `distinct` is not capped; afterwards only repeats
  /// of the kept values are noticed).
  private(set) var duplicateSeen = false

  // Numbers.
  /// Whether every value is a number in ``NumberText/strictShape(_:)``'s sense.
  private(set) var allNumbers = true
  /// Whether every number is written without a point or exponent.
  private(set) var allIntegerText = true
  /// The most digits after the point.
  private(set) var maxDecimals = 0
  /// Whether a number used an exponent.
  private(set) var anyExponent = false
  /// Whether every number is whole (`2.0` counts).
  private(set) var allWhole = true
  private(set) var minimum = Double.infinity
  private(set) var maximum = -Double.infinity

  // Date and time.
  /// For each of ``DateTimeFormat/detectionCandidates``: whether every value so far parsed.
  private(set) var datetimeAlive: [Bool]
  /// For each candidate: the fraction digit counts seen (min, max), for `%f` narrowing.
  private(set) var fractionDigits: [(min: Int, max: Int)]

  // Identifier shapes.
  private(set) var allUUID = true
  /// The prefix and digit width shared by every value so far, if any.
  private(set) var prefixed: (prefix: String, width: Int)?
  private(set) var prefixedAlive = true

  /// A uniform sample of the non-missing values (reservoir sampling, Vitter's algorithm R).
  private(set) var sample: [String] = []
  private var sampleGenerator: SeededGenerator

  /// Creates an empty profile.
  /// - Parameters:
  ///   - index: The column's position, to derive its own sampling stream.
  ///   - distinctLimit: The most distinct values to keep.
  ///   - sampleSize: The most values to sample.
  init(index: Int, distinctLimit: Int, sampleSize: Int) {
    self.distinctLimit = distinctLimit
    self.sampleSize = sampleSize
    let candidates = ColumnProfile.candidates.count
    datetimeAlive = Array(repeating: true, count: candidates)
    fractionDigits = Array(repeating: (Int.max, 0), count: candidates)
    sampleGenerator = SeededGenerator(
      seed: 0x646F_7070_656C, label: "metadata detection sample", index: UInt64(index))
  }

  /// The candidate formats, split once.
  static let candidates = DateTimeFormat.detectionCandidates.map { DateTimePattern($0.pattern) }

  /// The number of non-missing values seen.
  var present: Int { rows - missing }

  /// Whether any datetime candidate parsed every value.
  var anyDatetimeAlive: Bool { datetimeAlive.contains(true) }

  /// Adds the fields of one chunk.
  /// - Parameter values: The column's fields in row order; `""` is missing.
  mutating func add(_ values: [String]) {
    for value in values { add(value) }
  }

  private mutating func add(_ value: String) {
    rows += 1
    if value.isEmpty {
      missing += 1
      return
    }
    trackDistinct(value)
    if allNumbers { trackNumber(value) }
    if anyDatetimeAlive { trackDatetime(value) }
    if allUUID { allUUID = ValuePatterns.isUUID(value) }
    if prefixedAlive { trackPrefix(value) }
    trackSample(value)
  }

  private mutating func trackDistinct(_ value: String) {
    if distinct.count < distinctLimit {
      if !distinct.insert(value).inserted { duplicateSeen = true }
    } else if distinct.contains(value) {
      duplicateSeen = true
    } else {
      distinctCapped = true
    }
  }

  private mutating func trackNumber(_ value: String) {
    guard let shape = NumberText.strictShape(value), let number = Double(value) else {
      allNumbers = false
      return
    }
    if !shape.isIntegerText { allIntegerText = false }
    if shape.hasExponent { anyExponent = true }
    maxDecimals = max(maxDecimals, shape.decimals)
    if number.rounded() != number { allWhole = false }
    minimum = min(minimum, number)
    maximum = max(maximum, number)
  }

  private mutating func trackDatetime(_ value: String) {
    for index in datetimeAlive.indices where datetimeAlive[index] {
      if let parsed = ColumnProfile.candidates[index].parseDetailed(value) {
        let seen = fractionDigits[index]
        fractionDigits[index] = (
          min(seen.min, parsed.fractionDigits), max(seen.max, parsed.fractionDigits)
        )
      } else {
        datetimeAlive[index] = false
      }
    }
  }

  private mutating func trackPrefix(_ value: String) {
    guard let split = ValuePatterns.prefixAndDigits(value) else {
      prefixedAlive = false
      return
    }
    if let current = prefixed {
      if current.width != split.width || current.prefix != split.prefix { prefixedAlive = false }
    } else {
      prefixed = (String(split.prefix), split.width)
    }
  }

  private mutating func trackSample(_ value: String) {
    let seen = present
    if sample.count < sampleSize {
      sample.append(value)
    } else {
      let slot = sampleGenerator.nextInt(below: seen)
      if slot < sampleSize { sample[slot] = value }
    }
  }
}
