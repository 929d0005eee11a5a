import DoppelCore
import DoppelTransforms

/// Generates the string columns of a sample: fresh identifiers, fake personal data and
/// shape-preserving random text. No training value is ever copied.
enum StringValues {
  /// Values for rows `range` of a string column.
  static func generate(
    kind: ColumnKind, model: CopulaColumnModel, range: Range<Int>, seed: UInt64,
    columnIndex: Int, missing: inout MissingMask, random: inout SeededGenerator
  ) throws -> [String] {
    var values = [String](repeating: "", count: range.count)
    // Per-block streams keep any row range reproducible.
    let blockSize = PreparedCopula.blockSize
    var block = range.lowerBound / blockSize
    while block * blockSize < range.upperBound {
      let start = block * blockSize
      var stream = SeededGenerator(
        seed: seed, label: "strings column \(columnIndex)", index: UInt64(block))
      for row in start..<min(start + blockSize, range.upperBound) {
        let isMissing = stream.nextUnit() < model.missingProbability
        let value = one(kind: kind, model: model, row: row, random: &stream)
        guard row >= range.lowerBound else { continue }
        let position = row - range.lowerBound
        if isMissing { missing[position] = true } else { values[position] = value }
      }
      block += 1
    }
    return values
  }

  private static func one(
    kind: ColumnKind, model: CopulaColumnModel, row: Int, random: inout SeededGenerator
  ) -> String {
    switch kind {
    case .id(let shape):
      switch shape {
      case .integer:
        return String(row + 1)
      case .prefixed(let prefix, let width):
        let number = String(row + 1)
        return prefix + String(repeating: "0", count: max(0, width - number.count)) + number
      case .uuid:
        return uuid(&random)
      case .other:
        return "id-" + String(row + 1)
      }
    case .pii(let pii):
      return FakeValues.value(of: pii, shapes: model.shapes ?? [], using: &random)
    default:
      return TextShape.pick(from: model.shapes ?? [], using: &random)?.generate(using: &random)
        ?? ""
    }
  }

  private static func uuid(_ random: inout SeededGenerator) -> String {
    let hi = (random.next() & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000
    let lo = (random.next() & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000
    func hex(_ value: UInt64, _ digits: Int) -> String {
      let text = String(value, radix: 16)
      return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
    return hex(hi >> 32, 8) + "-" + hex((hi >> 16) & 0xffff, 4) + "-" + hex(hi & 0xffff, 4) + "-"
      + hex(lo >> 48, 4) + "-" + hex(lo & 0xffff_ffff_ffff, 12)
  }
}
