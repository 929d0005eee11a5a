import DoppelCore
import DoppelTransforms
import Foundation

/// How one column becomes a finite attribute of a Bayesian network, and how sampled values turn
/// back into the column's values.
///
/// The attribute's values are, in order: one per bin (numerical and datetime columns), one per
/// label (categorical and boolean columns), or a single "present" value (identifiers, text and
/// personal data, whose content is generated separately); then, when the column has missing values,
/// one value that stands for missing. A sampled bin becomes a number: when the column has
/// ``cells`` (a finer grid nested in its bins, with the share of each cell within its bin), a cell
/// of the bin is drawn by those shares first; the number is then drawn uniformly inside the cell
/// or bin, on the column's rounding grid (whole numbers, fixed decimals or a datetime resolution).
public struct DiscreteColumn: Sendable, Equatable, Codable {
  /// A closed interval of values, `lower ... upper`; a bin with `lower == upper` is one exact value.
  public struct Bin: Sendable, Equatable, Codable {
    /// The smallest value of the bin.
    public var lower: Double
    /// The largest value of the bin.
    public var upper: Double

    /// Creates a bin.
    /// - Parameters:
    ///   - lower: The smallest value.
    ///   - upper: The largest value, at least `lower`.
    public init(lower: Double, upper: Double) {
      self.lower = lower
      self.upper = upper
    }
  }

  /// The column name.
  public var name: String
  /// For numerical and datetime columns: the bins, in ascending order and not overlapping.
  public var bins: [Bin]?
  /// For categorical and boolean columns: the labels that are values of the attribute, sorted.
  public var labels: [String]?
  /// Whether "missing" is a value of the attribute (always the last value).
  public var hasMissing: Bool
  /// For text and personal data: weighted character shapes for generated values; no training
  /// value is stored.
  public var shapes: [TextShape.Weighted]?
  /// For numerical and datetime columns: finer intervals nested in the bins that hold more than
  /// one value, in ascending order.
  public var cells: [Bin]?
  /// The probability of each of ``cells`` given the bin it lies in; the cells of one bin sum to 1.
  public var cellWeights: [Double]?

  /// Creates a column description.
  /// - Parameters:
  ///   - name: The column name.
  ///   - bins: The bins of a numerical or datetime column.
  ///   - labels: The labels of a categorical or boolean column.
  ///   - hasMissing: Whether missing is a value.
  ///   - shapes: Shapes for generated text.
  ///   - cells: Finer intervals nested in the bins.
  ///   - cellWeights: The probability of each cell within its bin.
  public init(
    name: String, bins: [Bin]? = nil, labels: [String]? = nil, hasMissing: Bool,
    shapes: [TextShape.Weighted]? = nil, cells: [Bin]? = nil, cellWeights: [Double]? = nil
  ) {
    self.name = name
    self.bins = bins
    self.labels = labels
    self.hasMissing = hasMissing
    self.shapes = shapes
    self.cells = cells
    self.cellWeights = cellWeights
  }

  /// The number of attribute values, counting missing.
  public var cardinality: Int {
    (bins?.count ?? labels?.count ?? 1) + (hasMissing ? 1 : 0)
  }

  /// The attribute value that stands for missing, if any.
  public var missingCode: Int? { hasMissing ? cardinality - 1 : nil }

  /// The attribute value of a number: the last bin whose lower end is at most `value`.
  func code(ofNumber value: Double) -> Int32 {
    guard let bins, !bins.isEmpty else { return 0 }
    var low = 0
    var high = bins.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if bins[middle].lower <= value { low = middle } else { high = middle - 1 }
    }
    return Int32(low)
  }

  /// For each bin, the positions in ``cells`` of the cells inside it (empty for an exact bin or a
  /// column without cells).
  func cellRanges() -> [Range<Int>] {
    guard let bins else { return [] }
    let cells = cells ?? []
    var start = 0
    return bins.map { bin in
      guard bin.lower < bin.upper else { return start..<start }
      while start < cells.count && cells[start].upper < bin.lower { start += 1 }
      var end = start
      while end < cells.count && cells[end].lower >= bin.lower && cells[end].upper <= bin.upper {
        end += 1
      }
      defer { start = end }
      return start..<end
    }
  }

  /// Draws a number inside bin `index`: a cell of the bin by `cumulative` weight when the bin has
  /// cells (`ranges` from ``cellRanges()``), then a value uniformly inside it.
  func number(
    inBin index: Int, ranges: [Range<Int>], cumulative: [Double], rounding: Rounding,
    random: inout SeededGenerator
  ) -> Double {
    guard let bins, index < bins.count else { return 0 }
    let bin = bins[index]
    if bin.lower == bin.upper { return bin.lower }
    guard index < ranges.count, let cells, !ranges[index].isEmpty else {
      return uniform(in: bin, rounding: rounding, random: &random)
    }
    let range = ranges[index]
    let before = range.lowerBound > 0 ? cumulative[range.lowerBound - 1] : 0
    let total = cumulative[range.upperBound - 1] - before
    guard total > 0 else { return uniform(in: bin, rounding: rounding, random: &random) }
    let target = before + random.nextUnit() * total
    var low = range.lowerBound
    var high = range.upperBound - 1
    while low < high {
      let middle = (low + high) / 2
      if cumulative[middle] > target { high = middle } else { low = middle + 1 }
    }
    return uniform(in: cells[low], rounding: rounding, random: &random)
  }

  /// A number drawn uniformly inside `bin`, over the values the column can be written as.
  private func uniform(in bin: Bin, rounding: Rounding, random: inout SeededGenerator) -> Double {
    guard let first = bins?.first, let last = bins?.last else { return bin.lower }
    if bin.lower == bin.upper { return bin.lower }
    func clamped(_ x: Double) -> Double { min(max(x, first.lower), last.upper) }
    let lattice: (index: (Double) -> Double, value: (Double) -> Double)
    switch rounding.rule {
    case .none:
      return bin.lower + random.nextUnit() * (bin.upper - bin.lower)
    case .step(let step):
      lattice = ({ $0 / step }, { $0 * step })
    case .decimals(let scale):
      lattice = ({ $0 * scale }, { $0 / scale })
    }
    let low = (lattice.index(bin.lower) - 1e-6).rounded(.up)
    let high = (lattice.index(bin.upper) + 1e-6).rounded(.down)
    guard low.isFinite, high.isFinite, abs(low) < 1e15, abs(high) < 1e15 else {
      let x = bin.lower + random.nextUnit() * (bin.upper - bin.lower)
      return clamped(rounding.apply(x))
    }
    if low > high { return clamped(rounding.apply((bin.lower + bin.upper) / 2)) }
    let count = Int(high - low) + 1
    return lattice.value(low + Double(random.nextInt(below: count)))
  }

  func validate() throws {
    func fail(_ what: String) -> DoppelError {
      DoppelError(
        .corruptModel, "the model of this column is damaged (\(what))", context: .init(column: name)
      )
    }
    if let bins {
      guard
        bins.allSatisfy({ $0.lower.isFinite && $0.upper.isFinite && $0.lower <= $0.upper }),
        zip(bins, bins.dropFirst()).allSatisfy({ $0.upper <= $1.lower })
      else { throw fail("bins") }
      guard labels == nil else { throw fail("both bins and labels") }
    }
    if let shapes, !shapes.allSatisfy({ $0.weight >= 0 && $0.weight.isFinite }) {
      throw fail("shapes")
    }
    if cells != nil || cellWeights != nil {
      guard let cells, let cellWeights, cells.count == cellWeights.count,
        cellWeights.allSatisfy({ $0 >= 0 && $0.isFinite }),
        cells.allSatisfy({ $0.lower.isFinite && $0.upper.isFinite && $0.lower <= $0.upper }),
        zip(cells, cells.dropFirst()).allSatisfy({ $0.upper <= $1.lower })
      else { throw fail("cells") }
      let covered = cellRanges().reduce(0) { $0 + $1.count }
      guard covered == cells.count else { throw fail("cells outside the bins") }
    }
  }

  /// Whether the description fits a column of `kind`.
  func fits(_ kind: ColumnKind) -> Bool {
    switch kind.storage {
    case .numbers: return bins != nil && labels == nil
    case .categories: return labels != nil && bins == nil
    case .strings: return bins == nil && labels == nil
    }
  }
}
