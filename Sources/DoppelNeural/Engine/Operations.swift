import DoppelCore
import Foundation

// The differentiable operations. Each backward rule uses only these operations, so gradients
// can be differentiated again.

/// op(a)·op(b), with optional transposes. Gradients are formed only for inputs that need one.
func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false)
  -> Variable
{
  let value = Kernels.gemm(a.value, transposeA: transposeA, b.value, transposeB: transposeB)
  let needA = a.requiresGrad
  let needB = b.requiresGrad
  return Variable(value, parents: [a, b]) { g, x, _ in
    let a = x[0]
    let b = x[1]
    switch (transposeA, transposeB) {
    case (false, false):
      return [
        needA ? matmul(g, b, transposeB: true) : nil,
        needB ? matmul(a, g, transposeA: true) : nil,
      ]
    case (true, false):
      return [
        needA ? matmul(b, g, transposeB: true) : nil, needB ? matmul(a, g) : nil,
      ]
    case (false, true):
      return [
        needA ? matmul(g, b) : nil, needB ? matmul(g, a, transposeA: true) : nil,
      ]
    case (true, true):
      return [
        needA ? matmul(b, g, transposeA: true, transposeB: true) : nil,
        needB ? matmul(g, a, transposeA: true, transposeB: true) : nil,
      ]
    }
  }
}

func + (a: Variable, b: Variable) -> Variable {
  Variable(Kernels.zip(a.value, b.value, +), parents: [a, b]) { g, _, _ in [g, g] }
}

func - (a: Variable, b: Variable) -> Variable {
  Variable(Kernels.zip(a.value, b.value, -), parents: [a, b]) { g, _, _ in [g, scale(g, -1)] }
}

func * (a: Variable, b: Variable) -> Variable {
  Variable(Kernels.zip(a.value, b.value, *), parents: [a, b]) { g, x, _ in
    [g * x[1], g * x[0]]
  }
}

/// a·c for a constant number c.
func scale(_ a: Variable, _ c: Float) -> Variable {
  Variable(Kernels.map(a.value) { $0 * c }, parents: [a]) { g, _, _ in [scale(g, c)] }
}

/// a + c for a constant number c.
func addScalar(_ a: Variable, _ c: Float) -> Variable {
  Variable(Kernels.map(a.value) { $0 + c }, parents: [a]) { g, _, _ in [g] }
}

/// a + t for a constant tensor t (such as Gumbel noise).
func addConstant(_ a: Variable, _ t: Tensor) -> Variable {
  Variable(Kernels.zip(a.value, t, +), parents: [a]) { g, _, _ in [g] }
}

/// a ⊙ t for a constant tensor t (such as a dropout or one-hot mask).
func mulConstant(_ a: Variable, _ t: Tensor) -> Variable {
  Variable(Kernels.zip(a.value, t, *), parents: [a]) { g, _, _ in [mulConstant(g, t)] }
}

/// Adds a 1×c row (a bias) to every row of an r×c tensor.
func addRow(_ a: Variable, _ row: Variable) -> Variable {
  let needRow = row.requiresGrad
  return Variable(Kernels.addRow(a.value, row.value), parents: [a, row]) { g, _, _ in
    [g, needRow ? sumRows(g) : nil]
  }
}

/// Column sums: r×c → 1×c.
func sumRows(_ a: Variable) -> Variable {
  let rows = a.rows
  return Variable(Kernels.sumRows(a.value), parents: [a]) { g, _, _ in
    [broadcastRows(g, rows)]
  }
}

/// Row sums: r×c → r×1.
func sumCols(_ a: Variable) -> Variable {
  let cols = a.cols
  return Variable(Kernels.sumCols(a.value), parents: [a]) { g, _, _ in
    [broadcastCols(g, cols)]
  }
}

/// Repeats a 1×c row r times.
func broadcastRows(_ a: Variable, _ rows: Int) -> Variable {
  Variable(Kernels.broadcastRows(a.value, rows: rows), parents: [a]) { g, _, _ in [sumRows(g)] }
}

/// Repeats an r×1 column c times.
func broadcastCols(_ a: Variable, _ cols: Int) -> Variable {
  Variable(Kernels.broadcastCols(a.value, cols: cols), parents: [a]) { g, _, _ in [sumCols(g)] }
}

/// The sum of all elements, as 1×1.
func sumAll(_ a: Variable) -> Variable {
  sumCols(sumRows(a))
}

/// The mean of all elements, as 1×1.
func meanAll(_ a: Variable) -> Variable {
  scale(sumAll(a), 1 / Float(max(a.value.count, 1)))
}

/// max(a, 0); its derivative is taken as 0 at 0.
func relu(_ a: Variable) -> Variable {
  leakyRelu(a, slope: 0)
}

/// a for a > 0, slope·a otherwise.
func leakyRelu(_ a: Variable, slope: Float) -> Variable {
  let mask = Kernels.map(a.value) { $0 > 0 ? 1 : slope }
  return Variable(Kernels.zip(a.value, mask, *), parents: [a]) { g, _, _ in
    [mulConstant(g, mask)]
  }
}

/// Hyperbolic tangent.
func tanh(_ a: Variable) -> Variable {
  Variable(Kernels.map(a.value) { Foundation.tanh($0) }, parents: [a]) { g, _, y in
    [g * addScalar(scale(y * y, -1), 1)]
  }
}

/// The logistic function 1/(1+e^−a).
func sigmoid(_ a: Variable) -> Variable {
  Variable(Kernels.map(a.value) { 1 / (1 + Foundation.exp(-$0)) }, parents: [a]) { g, _, y in
    [g * (y * addScalar(scale(y, -1), 1))]
  }
}

/// e^a.
func exp(_ a: Variable) -> Variable {
  Variable(Kernels.map(a.value) { Foundation.exp($0) }, parents: [a]) { g, _, y in [g * y] }
}

/// Natural logarithm.
func log(_ a: Variable) -> Variable {
  Variable(Kernels.map(a.value) { Foundation.log($0) }, parents: [a]) { g, x, _ in
    [g * reciprocal(x[0])]
  }
}

/// 1/a.
func reciprocal(_ a: Variable) -> Variable {
  Variable(Kernels.map(a.value) { 1 / $0 }, parents: [a]) { g, _, y in
    [scale(g * (y * y), -1)]
  }
}

/// √a.
func sqrt(_ a: Variable) -> Variable {
  Variable(Kernels.map(a.value) { $0.squareRoot() }, parents: [a]) { g, _, y in
    [scale(g * reciprocal(y), 0.5)]
  }
}

/// a².
func square(_ a: Variable) -> Variable {
  Variable(Kernels.map(a.value) { $0 * $0 }, parents: [a]) { g, x, _ in
    [scale(g * x[0], 2)]
  }
}

/// Row-wise softmax.
func softmax(_ a: Variable) -> Variable {
  let cols = a.cols
  return Variable(Kernels.softmaxRows(a.value), parents: [a]) { g, _, y in
    [y * (g - broadcastCols(sumCols(g * y), cols))]
  }
}

/// Row-wise log-softmax.
func logSoftmax(_ a: Variable) -> Variable {
  let cols = a.cols
  return Variable(Kernels.logSoftmaxRows(a.value), parents: [a]) { g, _, y in
    [g - exp(y) * broadcastCols(sumCols(g), cols)]
  }
}

/// Columns `start..<start+count`.
func sliceCols(_ a: Variable, _ start: Int, _ count: Int) -> Variable {
  let total = a.cols
  return Variable(Kernels.sliceCols(a.value, start: start, count: count), parents: [a]) {
    g, _, _ in [padCols(g, start, total)]
  }
}

/// Places `a` at columns `start..<start+a.cols` of a zero tensor with `total` columns.
func padCols(_ a: Variable, _ start: Int, _ total: Int) -> Variable {
  let count = a.cols
  return Variable(Kernels.padCols(a.value, start: start, total: total), parents: [a]) {
    g, _, _ in [sliceCols(g, start, count)]
  }
}

/// Joins variables with equal row counts side by side.
func concatCols(_ parts: [Variable]) -> Variable {
  let widths = parts.map(\.cols)
  return Variable(Kernels.concatCols(parts.map(\.value)), parents: parts) { g, _, _ in
    var start = 0
    return widths.map { width in
      defer { start += width }
      return sliceCols(g, start, width)
    }
  }
}

/// The same values read as a rows×cols tensor (row-major order is kept).
func reshape(_ a: Variable, rows: Int, cols: Int) -> Variable {
  let oldRows = a.rows
  let oldCols = a.cols
  return Variable(Tensor(rows: rows, cols: cols, data: a.value.data), parents: [a]) {
    g, _, _ in [reshape(g, rows: oldRows, cols: oldCols)]
  }
}

/// Gumbel-softmax relaxation of sampling from softmax(logits) (Jang, Gu and Poole, "Categorical
/// Reparameterization with Gumbel-Softmax", ICLR 2017).
func gumbelSoftmax(_ logits: Variable, tau: Float, random: inout SeededGenerator) -> Variable {
  var noise = Tensor(rows: logits.rows, cols: logits.cols)
  for i in 0..<noise.count {
    noise.data[i] = Float(-Foundation.log(-Foundation.log(random.nextOpenUnit())))
  }
  return softmax(scale(addConstant(logits, noise), 1 / tau))
}

/// Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p)
/// (Srivastava et al., "Dropout", JMLR 15, 2014).
func dropout(_ a: Variable, p: Float, random: inout SeededGenerator) -> Variable {
  guard p > 0 else { return a }
  return mulConstant(a, Tensor.dropoutMask(rows: a.rows, cols: a.cols, p: p, random: &random))
}

/// The mean cross-entropy of row-wise logits against target classes.
func crossEntropy(_ logits: Variable, targets: [Int]) -> Variable {
  var onehot = Tensor(rows: logits.rows, cols: logits.cols)
  for (row, target) in targets.enumerated() where target >= 0 && target < logits.cols {
    onehot[row, target] = 1
  }
  return scale(sumAll(mulConstant(logSoftmax(logits), onehot)), -1 / Float(max(logits.rows, 1)))
}

/// The mean squared difference.
func meanSquaredError(_ a: Variable, _ b: Variable) -> Variable {
  meanAll(square(a - b))
}

/// Sums each row within every block of columns and puts the sum back on the block's columns;
/// columns outside the blocks become 0. It is linear and self-adjoint, so it is its own gradient.
func blockSums(_ a: Variable, blocks: [Range<Int>]) -> Variable {
  Variable(Kernels.blockSums(a.value, blocks: blocks), parents: [a]) { g, _, _ in
    [blockSums(g, blocks: blocks)]
  }
}

/// The output activation of a tabular generator in one pass: tanh on `tanhColumns` and a
/// Gumbel-softmax with temperature `tau` on every block of `blocks` (Jang, Gu and Poole,
/// "Categorical Reparameterization with Gumbel-Softmax", ICLR 2017), given the Gumbel noise
/// (only read on block columns). Other columns pass through unchanged. Equal to slicing, applying
/// ``tanh(_:)`` and ``gumbelSoftmax(_:tau:random:)`` per span and joining the parts; the
/// gradient is built from differentiable operations, so it can be differentiated again.
func tabularActivation(
  _ a: Variable, tanhColumns: [Int], blocks: [Range<Int>], tau: Float, noise: Tensor
) -> Variable {
  let cols = a.cols
  var tanhMask = Tensor(rows: 1, cols: cols)
  var blockMask = Tensor(rows: 1, cols: cols)
  for c in tanhColumns { tanhMask.data[c] = 1 }
  for block in blocks { for c in block { blockMask.data[c] = 1 } }
  let value = Kernels.tabularActivation(
    a.value, tanhColumns: tanhColumns, blocks: blocks, tau: tau, noise: noise)
  return Variable(value, parents: [a]) { g, _, y in
    if !g.requiresGrad && !y.requiresGrad {
      return [
        Variable(
          Kernels.tabularActivationBackward(
            g.value, y: y.value, tanhColumns: tanhColumns, blocks: blocks, tau: tau))
      ]
    }
    // Recorded as a graph when a gradient of this gradient is wanted.
    let rows = g.rows
    let passMask = Kernels.map(
      Kernels.zip(tanhMask, blockMask, +), { 1 - $0 })
    // tanh′ = 1 − y²; softmax′ᵀg = y ⊙ (g − Σ_block g ⊙ y), scaled by 1/τ.
    let tanhPart = mulConstant(
      g * addScalar(scale(y * y, -1), 1), Kernels.broadcastRows(tanhMask, rows: rows))
    let softPart = scale(y * (g - blockSums(g * y, blocks: blocks)), 1 / tau)
    let blockPart = mulConstant(softPart, Kernels.broadcastRows(blockMask, rows: rows))
    let passPart = mulConstant(g, Kernels.broadcastRows(passMask, rows: rows))
    return [tanhPart + blockPart + passPart]
  }
}

/// Softmax within every block of columns of each row; columns outside the blocks become 0.
func blockSoftmax(_ a: Variable, blocks: [Range<Int>]) -> Variable {
  let noise = Tensor(rows: a.rows, cols: a.cols)
  let value = Kernels.tabularActivation(
    a.value, tanhColumns: [], blocks: blocks, tau: 1, noise: noise, zeroOutside: true)
  return Variable(value, parents: [a]) { g, _, y in
    [y * (g - blockSums(g * y, blocks: blocks))]
  }
}

/// Σ over blocks b and rows r with a target of weights[b]·(−log softmax(block b of row r) at
/// the target): the cross-entropy of several one-hot blocks in one operation. `targets[b][r]`
/// is the category of row r in block b, or −1 for none. Equal to summing
/// ``crossEntropy(_:targets:)`` over sliced blocks with the matching weights; the gradient is
/// built from differentiable operations.
func blockCrossEntropy(
  _ logits: Variable, blocks: [Range<Int>], targets: [[Int]], weights: [Float]
) -> Variable {
  let rows = logits.rows
  let cols = logits.cols
  var onehot = Tensor(rows: rows, cols: cols)
  var rowWeights = Tensor(rows: rows, cols: cols)
  for (b, block) in blocks.enumerated() {
    for r in 0..<rows {
      let t = targets[b][r]
      guard t >= 0, t < block.count else { continue }
      onehot[r, block.lowerBound + t] = 1
      for c in block { rowWeights[r, c] = weights[b] }
    }
  }
  let total = Kernels.blockCrossEntropy(
    logits.value, blocks: blocks, onehot: onehot, weights: rowWeights)
  return Variable(Tensor(scalar: total), parents: [logits]) { g, x, _ in
    let difference = blockSoftmax(x[0], blocks: blocks) - Variable(onehot)
    let spread = broadcastRows(broadcastCols(g, cols), rows)
    return [mulConstant(difference, rowWeights) * spread]
  }
}
