import DoppelCore
import Foundation
import Testing

@testable import DoppelNeural

/// The critic of CTGAN written with generic differentiable operations and given dropout masks:
/// the reference the fused critic kernel must match.
enum ReferenceCritic {
  /// D(x) for `x` in unpacked rows, with `masks[l]` (packs × width) after hidden layer l.
  static func output(
    _ x: Variable, weights: [Variable], pac: Int, masks: [Tensor]
  ) -> Variable {
    var h = reshape(x, rows: x.rows / pac, cols: x.cols * pac)
    let layers = weights.count / 2
    for k in 0..<layers {
      h = addRow(matmul(h, weights[2 * k]), weights[2 * k + 1])
      if k < layers - 1 { h = mulConstant(leakyRelu(h, slope: 0.2), masks[k]) }
    }
    return h
  }

  /// Rows `range` of each mask.
  static func rows(_ masks: [Tensor], _ range: Range<Int>) -> [Tensor] {
    masks.map { mask in
      Tensor(
        rows: range.count, cols: mask.cols,
        data: Array(mask.data[(range.lowerBound * mask.cols)..<(range.upperBound * mask.cols)]))
    }
  }

  /// mean D(fake) − mean D(real) + 10·mean((‖∂D(x̂)/∂x̂‖ − 1)²), built as a graph.
  static func loss(stacked: Tensor, weights: [Variable], pac: Int, masks: [Tensor]) -> Variable {
    let batch = stacked.rows / 3
    let n = batch / pac
    func part(_ k: Int) -> Tensor {
      Tensor(
        rows: batch, cols: stacked.cols,
        data: Array(stacked.data[(k * batch * stacked.cols)..<((k + 1) * batch * stacked.cols)]))
    }
    let fake = output(Variable(part(0)), weights: weights, pac: pac, masks: rows(masks, 0..<n))
    let real = output(
      Variable(part(1)), weights: weights, pac: pac, masks: rows(masks, n..<(2 * n)))
    let x = Variable(part(2), requiresGrad: true)
    let y = output(x, weights: weights, pac: pac, masks: rows(masks, (2 * n)..<(3 * n)))
    let g = Autodiff.gradients(of: sumAll(y), wrt: [x], createGraph: true)[0]
    let packed = reshape(g, rows: n, cols: stacked.cols * pac)
    let norms = sqrt(addScalar(sumCols(square(packed)), 1e-12))
    let penalty = scale(meanAll(square(addScalar(norms, -1))), 10)
    return meanAll(fake) - meanAll(real) + penalty
  }
}

extension CTGANDiscriminator {
  /// The critic with its weights read as constants, as a graph: the reference for
  /// ``meanScore(fake:hot:conditionWidth:random:)``.
  func withConstantWeights(_ x: Variable, random: inout SeededGenerator) -> Variable {
    var h = reshape(x, rows: x.rows / pac, cols: x.cols * pac)
    for (k, layer) in layers.enumerated() {
      h = addRow(matmul(h, Variable(layer.weight.value)), Variable(layer.bias.value))
      if k < layers.count - 1 {
        h = dropout(leakyRelu(h, slope: 0.2), p: 0.5, random: &random)
      }
    }
    return h
  }
}

@Suite struct FusedKernelTests {
  /// A small critic, fake and real rows (with every entry of the real ones but each
  /// `keepEvery`-th set to 0, as one-hot codes are mostly zeros), one α per pack, the stacked
  /// fake/real/interpolated rows, and masks whose hidden pre-activations all stay 0.05 away from
  /// the LeakyReLU kink (first seed from 40 on).
  static func criticCase(hidden: [Int], keepEvery: Int) -> (
    critic: CTGANDiscriminator, pairs: Tensor, alphas: [Float], stacked: Tensor, masks: [Tensor]
  ) {
    var seed: UInt64 = 40
    while true {
      var random = SeededGenerator(seed: seed)
      let pac = 2
      let width = 4
      let batch = 6
      let critic = CTGANDiscriminator(input: width, hidden: hidden, pac: pac, random: &random)
      var pairs = Tensor.normal(rows: 2 * batch, cols: width, random: &random)
      for i in 0..<(batch * width) where i % keepEvery != 0 { pairs.data[batch * width + i] = 0 }
      let alphas: [Float] = [0.3, 0.8, 0.55]
      var stacked = Tensor(rows: 3 * batch, cols: width)
      for i in 0..<(2 * batch * width) { stacked.data[i] = pairs.data[i] }
      for i in 0..<(batch * width) {
        let alpha = alphas[i / (pac * width)]
        stacked.data[2 * batch * width + i] =
          alpha * pairs.data[batch * width + i] + (1 - alpha) * pairs.data[i]
      }
      let masks = CTGANCriticKernel.masks(
        for: critic, packs: 3 * batch / pac, p: 0.25, random: &random)
      // Pre-activations of every hidden layer, through the generic graph.
      var h = Variable(Tensor(rows: 3 * batch / pac, cols: width * pac, data: stacked.data))
      var clear = true
      for (k, layer) in critic.layers.dropLast().enumerated() {
        h = layer(h)
        clear = clear && h.value.data.allSatisfy { abs($0) > 0.05 }
        h = mulConstant(leakyRelu(h, slope: 0.2), masks[k])
      }
      if clear { return (critic, pairs, alphas, stacked, masks) }
      seed += 1
    }
  }

  /// Real rows with 1 in 5 entries nonzero take the entry-by-entry route, with 1 in 1 the
  /// matrix product.
  @Test(arguments: [[5, 3], [6], []], [5, 1])
  func criticKernelMatchesTheGenericGraphAndFiniteDifferences(hidden: [Int], keepEvery: Int) {
    let (critic, pairs, alphas, stacked, masks) = Self.criticCase(
      hidden: hidden, keepEvery: keepEvery)
    let realRows = SparseRows(
      pairs.data, from: pairs.rows / critic.pac / 2, count: pairs.rows / critic.pac / 2,
      width: pairs.cols * critic.pac)
    #expect(realRows.isSparse(share: CTGANCriticKernel.sparseShare) == (keepEvery > 1))
    func evaluate() -> CTGANCriticKernel.Result {
      CTGANCriticKernel().evaluate(critic: critic, pairs: pairs, alphas: alphas, masks: masks)
    }
    let fused = evaluate()
    let parameters = critic.parameters
    let reference = ReferenceCritic.loss(
      stacked: stacked, weights: parameters, pac: critic.pac, masks: masks)
    let generic = Autodiff.gradients(of: reference, wrt: parameters).map(\.value)
    // Same quantity by two routes: agreement to Float rounding.
    #expect(abs(fused.loss - reference.scalar) <= 1e-4 * max(1, abs(reference.scalar)))
    #expect(fused.gradients.map(\.count) == generic.map(\.count))
    var worstGeneric: Float = 0
    for (a, b) in zip(fused.gradients, generic) {
      for (p, q) in zip(a.data, b.data) {
        worstGeneric = max(worstGeneric, abs(p - q) / (1e-5 + 1e-3 * max(abs(p), abs(q))))
      }
    }
    #expect(worstGeneric <= 1)
    // Central differences of the fused loss itself.
    let original = parameters.map(\.value)
    let numeric = GradientCheck.finiteDifferences(original) { values in
      for (parameter, value) in zip(parameters, values) { parameter.value = value }
      defer { for (parameter, value) in zip(parameters, original) { parameter.value = value } }
      return evaluate().loss
    }
    #expect(GradientCheck.worst(fused.gradients, numeric) <= 1)
  }

  /// The generator step's critic score with one-hot conditions as row look-ups equals the graph
  /// on the joined rows, in value, gradient and the random draws it consumes; rows without a
  /// condition (hot −1) and critics without hidden layers included.
  @Test(arguments: [[7, 5], []])
  func criticScoreMatchesTheGraphOnJoinedRows(hidden: [Int]) {
    var random = SeededGenerator(seed: 60)
    let pac = 2
    let dataWidth = 3
    let conditionWidth = 4
    let rows = 8
    let critic = CTGANDiscriminator(
      input: dataWidth + conditionWidth, hidden: hidden, pac: pac, random: &random)
    let fakeValues = Tensor.normal(rows: rows, cols: dataWidth, random: &random)
    let hot = [0, 3, -1, 2, 1, 1, 3, -1]
    var c = Tensor(rows: rows, cols: conditionWidth)
    for (row, column) in hot.enumerated() where column >= 0 { c[row, column] = 1 }
    let fused = Variable(fakeValues, requiresGrad: true)
    var first = SeededGenerator(seed: 61)
    let score = critic.meanScore(
      fake: fused, hot: hot, conditionWidth: conditionWidth, random: &first)
    let graph = Variable(fakeValues, requiresGrad: true)
    var second = SeededGenerator(seed: 61)
    let reference = meanAll(
      critic.withConstantWeights(concatCols([graph, Variable(c)]), random: &second))
    #expect(first.next() == second.next())
    #expect(abs(score.scalar - reference.scalar) <= 1e-5 * max(1, abs(reference.scalar)))
    let a = Autodiff.gradients(of: scale(score, -2), wrt: [fused])[0].value
    let b = Autodiff.gradients(of: scale(reference, -2), wrt: [graph])[0].value
    #expect(a.rows == rows && a.cols == dataWidth)
    let worst = zip(a.data, b.data).map { abs($0 - $1) / (1e-6 + 1e-4 * abs($1)) }.max() ?? 0
    #expect(worst <= 1)
    #expect(b.data.contains { $0 != 0 })
  }

  @Test func tabularActivationMatchesPerSpanOperationsAndFiniteDifferences() {
    // Columns: tanh at 0, a block 1..<4, a pass-through column 4, tanh at 5, a block 6..<8.
    let x = GradientCheck.input(3, 8, seed: 50)
    var random = SeededGenerator(seed: 51)
    let blocks = [1..<4, 6..<8]
    let noise = Tensor.gumbel(rows: 3, cols: 8, blocks: blocks, random: &random)
    let tau: Float = 0.5
    func fused(_ v: Variable) -> Variable {
      tabularActivation(v, tanhColumns: [0, 5], blocks: blocks, tau: tau, noise: noise)
    }
    func perSpan(_ v: Variable) -> Variable {
      func block(_ range: Range<Int>) -> Variable {
        softmax(
          scale(
            addConstant(
              sliceCols(v, range.lowerBound, range.count),
              Kernels.sliceCols(noise, start: range.lowerBound, count: range.count)), 1 / tau))
      }
      return concatCols([
        tanh(sliceCols(v, 0, 1)), block(1..<4), sliceCols(v, 4, 1), tanh(sliceCols(v, 5, 1)),
        block(6..<8),
      ])
    }
    let a = fused(Variable(x)).value
    let b = perSpan(Variable(x)).value
    #expect(zip(a.data, b.data).allSatisfy { abs($0 - $1) <= 1e-6 })
    #expect(GradientCheck.firstOrder([x]) { fused($0[0]) } <= 1)
    #expect(GradientCheck.secondOrder([x]) { fused($0[0]) } <= 1)
    // The one-pass backward equals the recorded graph it replaces when no second gradient is
    // wanted.
    let weights = GradientCheck.input(3, 8, seed: 52)
    let first = Variable(x, requiresGrad: true)
    let onePass = Autodiff.gradients(
      of: sumAll(fused(first) * Variable(weights)), wrt: [first])[0].value
    let second = Variable(x, requiresGrad: true)
    let graph = Autodiff.gradients(
      of: sumAll(fused(second) * Variable(weights)), wrt: [second], createGraph: true)[0].value
    #expect(zip(onePass.data, graph.data).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
    let gumbelValues = Tensor.gumbel(rows: 200, cols: 8, blocks: blocks, random: &random)
    // Off-block columns carry no noise; the Gumbel mean is the Euler–Mascheroni constant.
    let onBlock = (0..<1600).filter { i in blocks.contains { $0.contains(i % 8) } }
    #expect((0..<1600).filter { !onBlock.contains($0) }.allSatisfy { gumbelValues.data[$0] == 0 })
    let mean = onBlock.reduce(Float(0)) { $0 + gumbelValues.data[$1] } / Float(onBlock.count)
    #expect(abs(mean - 0.5772) < 0.15)
  }

  @Test func gumbelAndNormalNoiseStayFiniteAtTheExtremeBitPatterns() {
    // The largest and smallest 64-bit draws, and the ones next to them: a uniform that rounds to
    // 0 or 1 makes −log(−log U) infinite and the Gumbel-softmax NaN.
    let patterns: [UInt64] = [0, 1, 1 << 41, UInt64.max, UInt64.max - 1, UInt64.max << 41]
    for bits in patterns {
      let value = Tensor.gumbel(bits: bits)
      #expect(value.isFinite)
      #expect(value > -3 && value < 17)
    }
    #expect(Tensor.gumbel(bits: 0) < Tensor.gumbel(bits: UInt64.max))
    // The vectorized logarithm agrees with the C library's across the whole range of uniforms.
    var worst: Double = 0
    var probe = SeededGenerator(seed: 53)
    for k in 0..<200_000 {
      let bits = k < 2 ? (k == 0 ? 0 : UInt64.max) : probe.next()
      let u = Double(Tensor.uniform(bits: bits))
      let exact = -Foundation.log(-Foundation.log(u))
      worst = max(worst, abs(Double(Tensor.gumbel(bits: bits)) - exact) / max(abs(exact), 1))
    }
    #expect(worst < 1e-5)
    // A long run of both samplers: every value finite, moments as stated.
    var random = SeededGenerator(seed: 52)
    let g = Tensor.gumbel(rows: 20_000, cols: 50, blocks: [0..<50], random: &random)
    let n = Tensor.normal(rows: 20_000, cols: 50, random: &random)
    #expect(g.data.allSatisfy { $0.isFinite })
    #expect(n.data.allSatisfy { $0.isFinite })
    let count = Double(g.count)
    let gumbelMean = g.data.reduce(0.0) { $0 + Double($1) } / count
    let normalMean = n.data.reduce(0.0) { $0 + Double($1) } / count
    let normalVariance = n.data.reduce(0.0) { $0 + Double($1) * Double($1) } / count
    // Standard errors over a million values are about 0.0013 (Gumbel) and 0.001 (normal).
    #expect(abs(gumbelMean - 0.577_215_66) < 0.01)
    #expect(abs(normalMean) < 0.01)
    #expect(abs(normalVariance - 1) < 0.01)
  }

  /// A small generator, noise and one-hot conditions (hot column per row) whose hidden batch-norm
  /// outputs all stay 0.2 away from the ReLU kink (first seed from 60 on): batch normalization
  /// magnifies weight steps, so the margin is wider than the critic's.
  static func generatorCase(hidden: [Int]) -> (CTGANGenerator, Tensor, [Int], Tensor) {
    var seed: UInt64 = 60
    let rows = 6
    let noiseWidth = 3
    let hotWidth = 4
    while true {
      var random = SeededGenerator(seed: seed)
      let generator = CTGANGenerator(
        input: noiseWidth + hotWidth, hidden: hidden, output: 5, random: &random)
      for (_, norm) in generator.blocks {
        norm.gamma.value = Tensor.uniform(
          rows: 1, cols: norm.gamma.cols, low: 0.5, high: 1.5, random: &random)
        norm.beta.value = Tensor.normal(rows: 1, cols: norm.beta.cols, random: &random)
      }
      let z = Tensor.normal(rows: rows, cols: noiseWidth, random: &random)
      let hot = (0..<rows).map { $0 == 2 ? -1 : random.nextInt(below: hotWidth) }
      var input = Tensor(rows: rows, cols: noiseWidth + hotWidth)
      for r in 0..<rows {
        for j in 0..<noiseWidth { input[r, j] = z[r, j] }
        if hot[r] >= 0 { input[r, noiseWidth + hot[r]] = 1 }
      }
      var h = Variable(input)
      var clear = true
      for (linear, norm) in generator.blocks {
        let y = norm(linear(h), training: true)
        clear = clear && y.value.data.allSatisfy { abs($0) > 0.2 }
        h = concatCols([relu(y), h])
      }
      if clear { return (generator, z, hot, input) }
      seed += 1
    }
  }

  @Test(arguments: [[4, 3], [5], []])
  func generatorKernelMatchesTheGenericGraphAndFiniteDifferences(hidden: [Int]) {
    let (generator, z, hot, input) = Self.generatorCase(hidden: hidden)
    let kernel = CTGANGeneratorKernel(generator: generator, noiseWidth: z.cols)
    var random = SeededGenerator(seed: 70)
    let outer = Tensor.normal(rows: z.rows, cols: 5, random: &random)
    let statistics = generator.blocks.map { ($0.1.runningMean, $0.1.runningVariance) }
    func restoreStatistics() {
      for (block, saved) in zip(generator.blocks, statistics) {
        block.1.runningMean = saved.0
        block.1.runningVariance = saved.1
      }
    }
    let pass = kernel.forward(noise: z, hot: hot)
    let fusedStatistics = generator.blocks.map { $0.1.runningMean.data + $0.1.runningVariance.data }
    restoreStatistics()
    let fused = kernel.backward(pass, gradient: outer)
    let parameters = generator.parameters
    let reference = generator(Variable(input), training: true)
    let genericStatistics = generator.blocks.map {
      $0.1.runningMean.data + $0.1.runningVariance.data
    }
    restoreStatistics()
    let generic = Autodiff.gradients(
      of: sumAll(mulConstant(reference, outer)), wrt: parameters
    ).map(\.value)
    func close(_ a: [Float], _ b: [Float], relative: Float, absolute: Float) -> Bool {
      a.count == b.count
        && zip(a, b).allSatisfy { abs($0 - $1) <= absolute + relative * max(abs($0), abs($1)) }
    }
    #expect(close(pass.output.data, reference.value.data, relative: 1e-4, absolute: 1e-5))
    #expect(
      zip(fusedStatistics, genericStatistics).allSatisfy {
        close($0, $1, relative: 1e-4, absolute: 1e-6)
      })
    #expect(fused.count == generic.count)
    #expect(
      zip(fused, generic).allSatisfy {
        close($0.data, $1.data, relative: 1e-3, absolute: 1e-4)
      })
    // Central differences of Σ output ⊙ R through the fused forward pass.
    let original = parameters.map(\.value)
    let numeric = GradientCheck.finiteDifferences(original) { values in
      for (parameter, value) in zip(parameters, values) { parameter.value = value }
      defer {
        for (parameter, value) in zip(parameters, original) { parameter.value = value }
        restoreStatistics()
      }
      let out = kernel.forward(noise: z, hot: hot).output
      return zip(out.data, outer.data).reduce(0) { $0 + $1.0 * $1.1 }
    }
    #expect(GradientCheck.worst(fused, numeric) <= 1)
  }

  @Test func blockCrossEntropyMatchesSlicedCrossEntropyAndFiniteDifferences() {
    let x = GradientCheck.input(4, 7, seed: 80)
    let blocks = [0..<3, 4..<7]
    let targets = [[2, -1, 0, 1], [0, 2, -1, 1]]
    let weights: [Float] = [0.25, 1.5]
    func fused(_ v: Variable) -> Variable {
      blockCrossEntropy(v, blocks: blocks, targets: targets, weights: weights)
    }
    func sliced(_ v: Variable) -> Variable {
      var total = scale(
        crossEntropy(sliceCols(v, 0, 3), targets: targets[0]), weights[0] * Float(v.rows))
      total =
        total
        + scale(crossEntropy(sliceCols(v, 4, 3), targets: targets[1]), weights[1] * Float(v.rows))
      return total
    }
    #expect(abs(fused(Variable(x)).scalar - sliced(Variable(x)).scalar) <= 1e-5)
    #expect(GradientCheck.firstOrder([x]) { fused($0[0]) } <= 1)
    #expect(GradientCheck.secondOrder([x]) { fused($0[0]) } <= 1)
    #expect(GradientCheck.firstOrder([x]) { blockSoftmax($0[0], blocks: blocks) } <= 1)
    #expect(GradientCheck.secondOrder([x]) { blockSoftmax($0[0], blocks: blocks) } <= 1)
  }
}
