import DoppelCore
import Foundation

// The differentiable operations. Each backward rule uses only these operations, so gradients
// can be differentiated again.

/// op(a)·op(b), with optional transposes.
func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false)
  -> Variable
{
  let value = Kernels.gemm(a.value, transposeA: transposeA, b.value, transposeB: transposeB)
  return Variable(value, parents: [a, b]) { g, x, _ in
    let a = x[0]
    let b = x[1]
    switch (transposeA, transposeB) {
    case (false, false):
      return [
        matmul(g, b, transposeB: true), matmul(a, g, transposeA: true),
      ]
    case (true, false):
      return [
        matmul(b, g, transposeB: true), matmul(a, g),
      ]
    case (false, true):
      return [matmul(g, b), matmul(g, a, transposeA: true)]
    case (true, true):
      return [
        matmul(b, g, transposeA: true, transposeB: true),
        matmul(g, a, transposeA: true, transposeB: true),
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
  Variable(Kernels.addRow(a.value, row.value), parents: [a, row]) { g, _, _ in
    [g, sumRows(g)]
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
  var mask = Tensor(rows: a.rows, cols: a.cols)
  let keep = 1 / (1 - p)
  for i in 0..<mask.count { mask.data[i] = random.nextUnit() < Double(p) ? 0 : keep }
  return mulConstant(a, mask)
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
