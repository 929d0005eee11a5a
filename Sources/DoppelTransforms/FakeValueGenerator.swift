import DoppelCore

/// Makes fake values for one personal-data column, in the layouts the real column used.
///
/// Learning keeps only ``TextShape``s (which hold no digit or letter of the data) and only for
/// phones, postcodes and national ids; names, e-mails and addresses need nothing from the data.
/// So a fitted generator can be saved in a model file without holding any personal value.
public struct FakeValueGenerator: Sendable, Equatable, Codable {
  /// The kind of personal data made.
  public let kind: PIIKind
  /// The layouts to draw from, with their shares; empty means the kind's default layout.
  public let shapes: [TextShape.Weighted]

  /// Creates a generator with given layouts.
  /// - Parameters:
  ///   - kind: The kind of personal data.
  ///   - shapes: Layouts for phones, postcodes and national ids; ignored for other kinds.
  public init(kind: PIIKind, shapes: [TextShape.Weighted] = []) {
    self.kind = kind
    self.shapes = FakeValueGenerator.usesShapes(kind) ? shapes : []
  }

  /// Creates a generator that learns the layouts of a column's values.
  /// - Parameters:
  ///   - kind: The kind of personal data.
  ///   - values: The column's values; empty ones are skipped and none is kept.
  ///   - shapeLimit: The most layouts to keep (the most frequent ones).
  public init(kind: PIIKind, learningFrom values: [String], shapeLimit: Int = 20) {
    let shapes =
      FakeValueGenerator.usesShapes(kind)
      ? TextShape.learnShapes(from: values, limit: shapeLimit) : []
    self.init(kind: kind, shapes: shapes)
  }

  /// Makes one fake value.
  /// - Parameter generator: The random stream; the same state gives the same value.
  /// - Returns: A fake value of ``kind``.
  public func next(using generator: inout SeededGenerator) -> String {
    FakeValues.value(of: kind, shapes: shapes, using: &generator)
  }

  /// Makes several fake values.
  /// - Parameters:
  ///   - count: How many.
  ///   - generator: The random stream.
  /// - Returns: `count` fake values.
  public func values(count: Int, using generator: inout SeededGenerator) -> [String] {
    (0..<max(0, count)).map { _ in next(using: &generator) }
  }

  private static func usesShapes(_ kind: PIIKind) -> Bool {
    kind == .phone || kind == .postcode || kind == .nationalID
  }
}
