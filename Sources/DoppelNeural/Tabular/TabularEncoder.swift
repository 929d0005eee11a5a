import DoppelCore
import DoppelModels
import DoppelTransforms
import Foundation

/// How one column is represented to a network: numbers by mode-specific normalization (a scalar
/// and a one-hot mode), categories by a one-hot code, each with an extra slot for missing values
/// when the column had any. Strings (identifiers, text, personal data) are generated apart.
public struct EncodedColumn: Codable, Sendable, Equatable {
  /// What the network sees of the column.
  public enum Role: String, Codable, Sendable {
    /// A scalar and a one-hot mode.
    case numeric
    /// A one-hot category.
    case categorical
    /// Generated outside the network.
    case strings

    /// The column storage this role encodes.
    var storage: ColumnStorageKind {
      switch self {
      case .numeric: .numbers
      case .categorical: .categories
      case .strings: .strings
      }
    }
  }

  /// The column name.
  public var name: String
  /// The column's representation.
  public var role: Role
  /// The Gaussian mixture of a numeric column.
  public var normalization: ModeSpecificNormalization?
  /// The smallest and largest observed numbers; sampled numbers are clamped to them.
  public var lower: Double?
  /// The largest observed number.
  public var upper: Double?
  /// The labels of a categorical column.
  public var categories: [String]?
  /// The rarest labels of a categorical column beyond the category cap, pooled into one "other"
  /// slot after the kept ``categories``; nil when every label has its own slot.
  public var pooled: PooledCategories?
  /// Whether the one-hot part has a final slot meaning "missing".
  public var hasMissingSlot: Bool
  /// What generates a string column.
  public var strings: CopulaColumnModel?

  /// The number of one-hot slots (modes or categories, plus the missing slot).
  public var slotCount: Int {
    switch role {
    case .numeric: return (normalization?.modeCount ?? 0) + (hasMissingSlot ? 1 : 0)
    case .categorical:
      return max(
        (categories?.count ?? 0) + (pooled == nil ? 0 : 1) + (hasMissingSlot ? 1 : 0), 1)
    case .strings: return 0
    }
  }

  /// The width in the network's input: the scalar (numbers only) and the slots.
  public var width: Int { role == .numeric ? 1 + slotCount : slotCount }

  /// Creates a column encoding.
  init(
    name: String, role: Role, normalization: ModeSpecificNormalization?, lower: Double?,
    upper: Double?, categories: [String]?, pooled: PooledCategories? = nil, hasMissingSlot: Bool,
    strings: CopulaColumnModel?
  ) {
    self.name = name
    self.role = role
    self.normalization = normalization
    self.lower = lower
    self.upper = upper
    self.categories = categories
    self.pooled = pooled
    self.hasMissingSlot = hasMissingSlot
    self.strings = strings
  }
}

/// The rare labels of a high-cardinality categorical column that share one "other" slot, with
/// their training counts; a sampled "other" becomes one of them drawn by those counts.
public struct PooledCategories: Codable, Sendable, Equatable {
  /// The pooled labels.
  public var labels: [String]
  /// How often each pooled label occurs in the training rows (all positive).
  public var counts: [Int]

  /// The running totals of ``counts``, for ``label(at:cumulative:)``.
  var cumulativeCounts: [Int] {
    var total = 0
    return counts.map {
      total += $0
      return total
    }
  }

  /// Keeps the `maximum` most frequent labels that occur in a categorical column (ties by label,
  /// not by dictionary order) and pools the rest; labels that never occur are left out, so a
  /// sample never shows an unseen category.
  /// - Parameters:
  ///   - codes: The column's codes.
  ///   - labels: The column's dictionary.
  ///   - missing: The column's missing rows, which are not counted.
  ///   - maximum: The most labels kept.
  /// - Returns: The kept label positions in dictionary order, and the other labels that occur
  ///   (in dictionary order, with their counts), or nil when none is pooled.
  static func cap(codes: [Int32], labels: [String], missing: MissingMask, maximum: Int) -> (
    kept: [Int], pooled: PooledCategories?
  ) {
    var counts = [Int](repeating: 0, count: labels.count)
    for row in codes.indices where !missing[row] {
      let code = Int(codes[row])
      if code >= 0 && code < labels.count { counts[code] += 1 }
    }
    let seen = labels.indices.filter { counts[$0] > 0 }
    guard seen.count > maximum else { return (seen, nil) }
    let ranked = seen.sorted {
      counts[$0] != counts[$1] ? counts[$0] > counts[$1] : labels[$0] < labels[$1]
    }
    let keep = Set(ranked.prefix(maximum))
    let rest = seen.filter { !keep.contains($0) }
    return (
      seen.filter { keep.contains($0) },
      PooledCategories(labels: rest.map { labels[$0] }, counts: rest.map { counts[$0] })
    )
  }

  /// The pooled label of sample row `row` in column `column`, drawn by the training counts from
  /// the row's own stream, so any range of a sample gives the same rows.
  /// - Parameters:
  ///   - seed: The sampling seed.
  ///   - column: The column's position in the table.
  ///   - row: The row's position in the whole sample.
  ///   - cumulative: ``cumulativeCounts``.
  /// - Returns: The index into ``labels``.
  static func draw(seed: UInt64, column: Int, row: Int, cumulative: [Int]) -> Int {
    var random = SeededGenerator(
      seed: SeededGenerator.derive(seed: seed, label: "pooled categories", index: UInt64(column)),
      label: "row", index: UInt64(row))
    return label(at: random.nextUnit(), cumulative: cumulative)
  }

  /// Whether a stored pool is usable: labels with one positive count each.
  var isConsistent: Bool {
    !labels.isEmpty && labels.count == counts.count && counts.allSatisfy { $0 > 0 }
  }

  /// The index of the label for a uniform draw `u` in [0, 1), by the training counts (inverse
  /// CDF by binary search over `cumulative`, which is ``cumulativeCounts``).
  static func label(at u: Double, cumulative: [Int]) -> Int {
    guard let total = cumulative.last, total > 0 else { return 0 }
    let target = min(Int(u * Double(total)), total - 1)
    var low = 0
    var high = cumulative.count - 1
    while low < high {
      let mid = (low + high) / 2
      if cumulative[mid] > target { high = mid } else { low = mid + 1 }
    }
    return low
  }
}

/// A table encoded for training: per column the chosen slot of each row and, for numbers, α.
/// Only one batch at a time is expanded to one-hot form.
struct EncodedRows: Sendable {
  var rowCount: Int
  /// Per encoder column: the slot (mode or category) of each row; empty for strings.
  var slots: [[Int32]]
  /// Per encoder column: α of each row (numbers only; 0 for missing).
  var alphas: [[Float]]
}

/// The reversible encoding between tables and network vectors used by CTGAN and TVAE.
public struct TabularEncoder: Codable, Sendable, Equatable {
  /// The columns in table order.
  public var columns: [EncodedColumn]

  /// One segment of the network output and how it is activated.
  enum Span: Equatable {
    /// A scalar α (tanh).
    case scalar(offset: Int)
    /// A one-hot block (softmax).
    case oneHot(offset: Int, count: Int)
  }

  /// The total width of an encoded row.
  var width: Int { columns.reduce(0) { $0 + $1.width } }

  /// The output segments in order.
  var spans: [Span] {
    var spans: [Span] = []
    var offset = 0
    for column in columns where column.role != .strings {
      if column.role == .numeric {
        spans.append(.scalar(offset: offset))
        offset += 1
      }
      spans.append(.oneHot(offset: offset, count: column.slotCount))
      offset += column.slotCount
    }
    return spans
  }

  /// Where each modeled column starts in an encoded row (nil for strings).
  var offsets: [Int?] {
    var offset = 0
    return columns.map { column in
      guard column.role != .strings else { return nil }
      defer { offset += column.width }
      return offset
    }
  }

  /// The default most one-hot slots of a categorical column (before "other" and "missing").
  public static let defaultMaximumCategories = 1000

  /// Learns the encoding of a table.
  /// - Parameters:
  ///   - table: The training table.
  ///   - maximumModes: The most mixture modes per number column.
  ///   - maximumCategories: The most labels of a categorical column with their own slot; the
  ///     rarer ones (ties broken by label order) share one "other" slot.
  /// - Returns: The encoder.
  static func fit(
    _ table: Table, maximumModes: Int = 10,
    maximumCategories: Int = defaultMaximumCategories
  ) -> TabularEncoder {
    var columns: [EncodedColumn] = []
    for column in table.columns {
      let hasMissing = column.missing.missingCount > 0
      switch column.values {
      case .numbers(let values):
        var observed: [Double] = []
        observed.reserveCapacity(values.count)
        for row in values.indices where !column.missing[row] && values[row].isFinite {
          observed.append(values[row])
        }
        let normalization =
          observed.isEmpty
          ? ModeSpecificNormalization(weights: [], means: [], deviations: [])
          : ModeSpecificNormalization.fit(observed, maximumModes: maximumModes)
        columns.append(
          EncodedColumn(
            name: column.name, role: .numeric, normalization: normalization,
            lower: observed.min(), upper: observed.max(), categories: nil,
            hasMissingSlot: hasMissing || observed.count < values.count, strings: nil))
      case .categories(let codes, let labels):
        let (seen, pooled) = PooledCategories.cap(
          codes: codes, labels: labels, missing: column.missing, maximum: maximumCategories)
        let kept = seen.map { labels[$0] }
        columns.append(
          EncodedColumn(
            name: column.name, role: .categorical, normalization: nil, lower: nil, upper: nil,
            categories: kept, pooled: pooled, hasMissingSlot: hasMissing || kept.isEmpty,
            strings: nil))
      case .strings:
        columns.append(
          EncodedColumn(
            name: column.name, role: .strings, normalization: nil, lower: nil, upper: nil,
            categories: nil, hasMissingSlot: false, strings: StringColumns.model(of: column)))
      }
    }
    return TabularEncoder(columns: columns)
  }

  /// Encodes a table; modes are drawn from their posteriors with streams derived from `seed`.
  func encode(_ table: Table, seed: UInt64) -> EncodedRows {
    let n = table.rowCount
    var slots: [[Int32]] = []
    var alphas: [[Float]] = []
    for (index, (spec, column)) in zip(columns, table.columns).enumerated() {
      var slot: [Int32] = []
      var alpha: [Float] = []
      switch (spec.role, column.values) {
      case (.numeric, .numbers(let values)):
        slot = [Int32](repeating: 0, count: n)
        alpha = [Float](repeating: 0, count: n)
        var random = SeededGenerator(seed: seed, label: "mode", index: UInt64(index))
        let missingSlot = Int32(spec.slotCount - 1)
        for row in 0..<n {
          guard !column.missing[row], values[row].isFinite, let normal = spec.normalization,
            normal.modeCount > 0
          else {
            slot[row] = missingSlot
            continue
          }
          let (mode, a) = normal.encode(values[row], random: &random)
          slot[row] = Int32(mode)
          alpha[row] = Float(a)
        }
      case (.categorical, .categories(let codes, let labels)):
        slot = [Int32](repeating: 0, count: n)
        let missingSlot = Int32(spec.slotCount - 1)
        var position: [String: Int32] = [:]
        for (k, label) in (spec.categories ?? []).enumerated() { position[label] = Int32(k) }
        let otherSlot = Int32(spec.categories?.count ?? 0)
        for label in spec.pooled?.labels ?? [] { position[label] = otherSlot }
        let slotOfCode = labels.map { position[$0] ?? missingSlot }
        for row in 0..<n {
          let code = Int(codes[row])
          slot[row] =
            column.missing[row] || code < 0 || code >= labels.count ? missingSlot : slotOfCode[code]
        }
      default:
        break
      }
      slots.append(slot)
      alphas.append(alpha)
    }
    return EncodedRows(rowCount: n, slots: slots, alphas: alphas)
  }

  /// Expands the given rows to a dense batch (one-hot slots and α values).
  func batch(_ data: EncodedRows, rows: [Int]) -> Tensor {
    let width = self.width
    var out = Tensor(rows: rows.count, cols: width)
    let offsets = self.offsets
    out.data.withUnsafeMutableBufferPointer { po in
      for (index, spec) in columns.enumerated() {
        guard let offset = offsets[index] else { continue }
        let slots = data.slots[index]
        if spec.role == .numeric {
          let alphas = data.alphas[index]
          for (i, row) in rows.enumerated() {
            po[i * width + offset] = alphas[row]
            po[i * width + offset + 1 + Int(slots[row])] = 1
          }
        } else {
          for (i, row) in rows.enumerated() { po[i * width + offset + Int(slots[row])] = 1 }
        }
      }
    }
    return out
  }

  /// Turns network outputs back into a table.
  /// - Parameters:
  ///   - output: Encoded rows; scalars already in [−1, 1] and one-hot blocks as scores (the
  ///     largest wins).
  ///   - metadata: The table's metadata (kinds and order).
  ///   - range: The row positions, for generated string columns.
  ///   - seed: The sampling seed, for generated string columns.
  /// - Returns: The decoded table.
  /// - Throws: ``DoppelError`` when a column cannot be built.
  func decode(_ output: Tensor, metadata: TableMetadata, range: Range<Int>, seed: UInt64) throws
    -> Table
  {
    let n = output.rows
    let width = output.cols
    let offsets = self.offsets
    var result: [Column] = []
    for (index, spec) in columns.enumerated() {
      let kind = metadata.columns[index].kind
      var missing = MissingMask(count: n)
      guard let offset = offsets[index] else {
        guard let model = spec.strings else {
          throw DoppelError(
            .corruptModel, "a string column has no model", context: .init(column: spec.name))
        }
        result.append(
          try StringColumns.generate(
            kind: kind, model: model, range: range, seed: seed, columnIndex: index))
        continue
      }
      let slotStart = spec.role == .numeric ? offset + 1 : offset
      let count = spec.slotCount
      var chosen = [Int](repeating: 0, count: n)
      output.data.withUnsafeBufferPointer { po in
        for row in 0..<n {
          var best = 0
          var bestValue = -Float.infinity
          for k in 0..<count where po[row * width + slotStart + k] > bestValue {
            bestValue = po[row * width + slotStart + k]
            best = k
          }
          chosen[row] = best
        }
      }
      let missingSlot = spec.hasMissingSlot ? count - 1 : -1
      switch spec.role {
      case .numeric:
        var values = [Double](repeating: 0, count: n)
        let rounding = NumberRounding(kind: kind)
        for row in 0..<n {
          guard chosen[row] != missingSlot, let normal = spec.normalization, normal.modeCount > 0
          else {
            missing[row] = true
            continue
          }
          var x = normal.decode(
            mode: min(chosen[row], normal.modeCount - 1),
            alpha: Double(output.data[row * width + offset]))
          if let lower = spec.lower, let upper = spec.upper { x = min(max(x, lower), upper) }
          values[row] = rounding.apply(x)
        }
        result.append(
          try Column(name: spec.name, kind: kind, values: .numbers(values), missing: missing))
      case .categorical:
        let kept = spec.categories ?? []
        let labels = kept + (spec.pooled?.labels ?? [])
        let cumulative = spec.pooled?.cumulativeCounts ?? []
        var codes = [Int32](repeating: 0, count: n)
        for row in 0..<n {
          if chosen[row] == missingSlot {
            missing[row] = true
          } else if chosen[row] < kept.count {
            codes[row] = Int32(chosen[row])
          } else if spec.pooled != nil, chosen[row] == kept.count {
            codes[row] = Int32(
              kept.count
                + PooledCategories.draw(
                  seed: seed, column: index, row: range.lowerBound + row,
                  cumulative: cumulative))
          } else {
            missing[row] = true
          }
        }
        result.append(
          try Column(
            name: spec.name, kind: kind, values: .categories(codes: codes, categories: labels),
            missing: missing))
      case .strings:
        break
      }
    }
    return try Table(columns: result)
  }

  /// Checks that the encoder matches a model's metadata.
  func validate(against metadata: TableMetadata) throws {
    try Training.checkEncoding(
      columns.map { ($0.name, $0.role, $0.pooled) }, against: metadata)
    for spec in columns {
      if let normal = spec.normalization {
        guard normal.means.count == normal.modeCount, normal.deviations.count == normal.modeCount,
          normal.deviations.allSatisfy({ $0 > 0 && $0.isFinite }),
          normal.means.allSatisfy(\.isFinite)
        else {
          throw DoppelError(
            .corruptModel, "a column's mixture is damaged", context: .init(column: spec.name))
        }
      }
    }
  }
}

/// Rounds sampled numbers the way the column is written: integers, fixed decimals, or whole
/// seconds for datetimes.
struct NumberRounding {
  let scale: Double?

  init(kind: ColumnKind) {
    switch kind {
    case .numerical(let format):
      if format.isInteger {
        scale = 1
      } else if let decimals = format.decimals, decimals <= 12 {
        scale = Foundation.pow(10, Double(decimals))
      } else {
        scale = nil
      }
    case .datetime: scale = 1
    default: scale = nil
    }
  }

  func apply(_ x: Double) -> Double {
    guard let scale else { return x }
    return (x * scale).rounded() / scale
  }
}
