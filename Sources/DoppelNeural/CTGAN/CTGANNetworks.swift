import DoppelCore
import Foundation

/// The CTGAN generator: residual blocks (linear, batch norm, ReLU, then the input concatenated),
/// then a linear output layer.
final class CTGANGenerator: @unchecked Sendable {
  let blocks: [(Linear, BatchNorm)]
  let output: Linear

  init(input: Int, hidden: [Int], output width: Int, random: inout SeededGenerator) {
    var blocks: [(Linear, BatchNorm)] = []
    var dimension = input
    for h in hidden {
      blocks.append((Linear(dimension, h, random: &random), BatchNorm(h)))
      dimension += h
    }
    self.blocks = blocks
    output = Linear(dimension, width, random: &random)
  }

  func callAsFunction(_ x: Variable, training: Bool) -> Variable {
    var h = x
    for (linear, norm) in blocks {
      h = concatCols([relu(norm(linear(h), training: training)), h])
    }
    return output(h)
  }

  var parameters: [Variable] {
    blocks.flatMap { $0.0.parameters + $0.1.parameters } + output.parameters
  }

  /// Running means and variances of the batch norms, as variables for storage.
  var statistics: [Variable] {
    blocks.flatMap { [Variable($0.1.runningMean), Variable($0.1.runningVariance)] }
  }

  func loadStatistics(_ stored: [StoredTensor]) throws {
    guard stored.count == 2 * blocks.count else {
      throw DoppelError(.corruptModel, "the model file has the wrong number of batch statistics")
    }
    for (k, block) in blocks.enumerated() {
      let mean = try stored[2 * k].tensor()
      let variance = try stored[2 * k + 1].tensor()
      guard mean.hasShape(of: block.1.runningMean), variance.hasShape(of: block.1.runningVariance),
        variance.data.allSatisfy({ $0 >= 0 })
      else {
        throw DoppelError(.corruptModel, "a batch statistic in the model file has the wrong shape")
      }
      block.1.runningMean = mean
      block.1.runningVariance = variance
    }
  }
}

/// The CTGAN critic: PacGAN packing of `pac` rows (Lin, Khetan, Fanti and Oh, "PacGAN", NeurIPS
/// 2018), then linear layers with LeakyReLU(0.2) and dropout 0.5, and one output.
final class CTGANDiscriminator: @unchecked Sendable {
  let layers: [Linear]
  let pac: Int

  init(input: Int, hidden: [Int], pac: Int, random: inout SeededGenerator) {
    self.pac = pac
    var layers: [Linear] = []
    var dimension = input * pac
    for h in hidden {
      layers.append(Linear(dimension, h, random: &random))
      dimension = h
    }
    layers.append(Linear(dimension, 1, random: &random))
    self.layers = layers
  }

  func callAsFunction(_ x: Variable, random: inout SeededGenerator) -> Variable {
    var h = reshape(x, rows: x.rows / pac, cols: x.cols * pac)
    for (k, layer) in layers.enumerated() {
      h = layer(h)
      if k < layers.count - 1 {
        h = dropout(leakyRelu(h, slope: 0.2), p: 0.5, random: &random)
      }
    }
    return h
  }

  var parameters: [Variable] { layers.flatMap(\.parameters) }
}

/// The conditional vector of CTGAN with training-by-sampling: a categorical column is chosen
/// uniformly, then one of its categories with probability proportional to log(1 + count) while
/// training (the actual frequency when generating), and a real row with that category.
struct ConditionalVector: Codable, Sendable, Equatable {
  /// One categorical column taking part.
  struct Part: Codable, Sendable, Equatable {
    /// The column's index in the encoder.
    var column: Int
    /// Where its block starts in the conditional vector.
    var offset: Int
    /// Where its one-hot block starts in an encoded row.
    var dataOffset: Int
    /// Rows per slot in the training table.
    var counts: [Int]
  }

  var parts: [Part]
  var width: Int

  init(encoder: TabularEncoder, data: EncodedRows) {
    var parts: [Part] = []
    var offset = 0
    let offsets = encoder.offsets
    for (index, column) in encoder.columns.enumerated() where column.role == .categorical {
      guard let dataOffset = offsets[index] else { continue }
      var counts = [Int](repeating: 0, count: column.slotCount)
      for slot in data.slots[index] { counts[Int(slot)] += 1 }
      parts.append(Part(column: index, offset: offset, dataOffset: dataOffset, counts: counts))
      offset += column.slotCount
    }
    self.parts = parts
    width = offset
  }

  /// Draws a slot of `part` with probabilities proportional to `weight(count)`.
  static func draw(_ counts: [Int], logFrequency: Bool, random: inout SeededGenerator) -> Int {
    let weights = counts.map { logFrequency ? Foundation.log(Double($0) + 1) : Double($0) }
    let total = weights.reduce(0, +)
    var u = random.nextUnit() * total
    for (k, w) in weights.enumerated() {
      u -= w
      if u < 0 { return k }
    }
    return max(counts.lastIndex(where: { $0 > 0 }) ?? 0, 0)
  }

  /// Conditions for a batch: the one-hot vectors, and the chosen part and slot of each row.
  func sample(rows: Int, logFrequency: Bool, random: inout SeededGenerator) -> (
    Tensor, [Int], [Int]
  ) {
    var c = Tensor(rows: rows, cols: width)
    var chosenParts = [Int](repeating: 0, count: rows)
    var chosenSlots = [Int](repeating: 0, count: rows)
    guard !parts.isEmpty else { return (c, chosenParts, chosenSlots) }
    for row in 0..<rows {
      let p = random.nextInt(below: parts.count)
      let slot = ConditionalVector.draw(
        parts[p].counts, logFrequency: logFrequency, random: &random)
      c[row, parts[p].offset + slot] = 1
      chosenParts[row] = p
      chosenSlots[row] = slot
    }
    return (c, chosenParts, chosenSlots)
  }
}
