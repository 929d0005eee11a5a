import DoppelCore
import DoppelModels
import Foundation

/// log(1 + eᵃ), computed stably as max(a, 0) + log(1 + e^−|a|); its derivative is σ(a).
func softplus(_ a: Variable) -> Variable {
  let value = Kernels.map(a.value) { max($0, 0) + Foundation.log1p(Foundation.exp(-abs($0))) }
  return Variable(value, parents: [a]) { g, x, _ in [g * sigmoid(x[0])] }
}

extension CTGANSynthesizer {
  /// Whether the critic is trained with DP-SGD: `dpNoiseMultiplier` or `dpEpsilon` > 0.
  ///
  /// DP-CTGAN follows Abadi et al., "Deep Learning with Differential Privacy" (CCS 2016), applied
  /// to the critic as in DP-CTGAN (Fang, Dhami and Kersting, "DP-CTGAN: Differentially Private
  /// Medical Data Generation Using CTGANs", AIME 2022) and SmartNoise's `DPCTGAN`. The privacy
  /// unit is one training row, and in private training:
  /// - the critic sees one row per input (pac = 1 whatever `pac` says): with packs, one clipped
  ///   gradient would mix several rows, and adding or removing a row would shift every later pack;
  /// - real rows join each critic step independently with probability q = batch/rows (Poisson
  ///   sampling); each real row's gradient is clipped to `dpMaxGradNorm` (computed for all rows
  ///   in one backward pass, ``PerExampleGradients``), the clipped sum gets Gaussian noise of
  ///   deviation σ·C and is divided by the expected batch; the fake rows' part of the gradient
  ///   depends on no real row and is added unclipped;
  /// - the critic is a classifier with the logistic (cross-entropy) loss and the generator uses
  ///   the non-saturating loss, as SmartNoise's default; the WGAN gradient penalty is dropped,
  ///   since it evaluates the critic between real and fake rows and so needs each real row's
  ///   double-backward gradient inside the clipped per-row gradient;
  /// - each real row is paired with its own category of a uniformly chosen categorical column as
  ///   its condition (training-by-sampling would pick real rows by category, which Poisson
  ///   sampling forbids); fake rows draw conditions by frequency, without the log-frequency
  ///   rebalancing, so both sides see the same condition distribution;
  /// - the category frequencies kept for conditions (in training and sampling) are released once
  ///   with the Gaussian mechanism: each count gets noise of deviation 10·σ·√k for k categorical
  ///   columns (one row changes k counts by 1, L2 sensitivity √k), rounded and clamped at 0;
  ///   its Rényi cost α/(200σ²) is added to the critic's;
  /// - ε is computed by the RDP accountant (``RDPAccountant``) over every critic step plus that
  ///   release; generator steps only read the private critic, so they are post-processing.
  ///
  /// Treated as public, and not covered by (ε, δ): the column encoding fitted on the real table
  /// (``TabularEncoder``: each categorical column's category list, each number's range and its
  /// Gaussian-mixture modes), the number of rows, and the schema. If these are sensitive, use a
  /// synthesizer whose whole pipeline is private (`privbayes`, `mst`).
  public var isPrivate: Bool { dpNoiseMultiplier > 0 || dpEpsilon > 0 }

  /// The rows packed into one critic input: `pac`, or 1 in private training.
  var criticPac: Int { isPrivate ? 1 : pac }

  /// The deviation of the count noise over σ·√k (see ``isPrivate``).
  static let countNoiseScale = 10.0

  /// The RDP at order α of a private run for noise multiplier σ: `criticSteps` sampled Gaussian
  /// steps at rate q, plus the count release when there are categorical columns.
  static func privateRDP(
    sigma: Double, order: Int, sampleRate: Double, criticSteps: Int, releasesCounts: Bool
  ) -> Double {
    let steps =
      Double(criticSteps)
      * RDPAccountant.stepRDP(sampleRate: sampleRate, noiseMultiplier: sigma, order: order)
    guard releasesCounts else { return steps }
    let deviation = countNoiseScale * sigma
    return steps + Double(order) / (2 * deviation * deviation)
  }

  /// The DP-SGD training loop (see ``isPrivate``).
  func fitPrivately(
    encoder: TabularEncoder, data: EncodedRows, loop: inout EpochLoop, metadata: TableMetadata,
    seed: UInt64
  ) throws -> CTGANModel {
    let n = data.rowCount
    let batch = max(min(batchSize, n), 1)
    let sampleRate = Double(batch) / Double(n)
    let stepsPerEpoch = max(n / batch, 1)
    let criticSteps = stepsPerEpoch * discriminatorSteps * epochs
    let releasesCounts = !ConditionalVector(encoder: encoder, data: data).parts.isEmpty
    let rdp = { (sigma: Double, order: Int) in
      Self.privateRDP(
        sigma: sigma, order: order, sampleRate: sampleRate, criticSteps: criticSteps,
        releasesCounts: releasesCounts)
    }
    guard
      let plan = try PrivateTrainingPlan.resolve(
        kind: Self.kind, noiseMultiplier: dpNoiseMultiplier, targetEpsilon: dpEpsilon,
        delta: dpDelta, rows: n, rdp: rdp)
    else {
      throw DoppelError(
        .invalidArgument, "ctgan private training needs dpNoiseMultiplier or dpEpsilon above 0")
    }
    var trainer = CTGANTrainer(synthesizer: self, encoder: encoder, data: data, seed: seed)
    var countRandom = SeededGenerator(seed: seed, label: "ctgan dp counts")
    trainer.condition = trainer.condition.noisyCounts(
      deviation: Self.countNoiseScale * plan.noiseMultiplier
        * Double(trainer.condition.parts.count).squareRoot(),
      random: &countRandom)
    let first = try loop.resume(&trainer)
    let clip = Float(dpMaxGradNorm)
    let noise = Float(plan.noiseMultiplier)
    let guarantee = plan.guarantee(
      maxGradientNorm: dpMaxGradNorm, sampleRate: sampleRate, steps: criticSteps, rdp: rdp)
    let statisticsCount = trainer.generator.statistics.count
    let condition = trainer.condition
    loop.stage = "training ctgan (DP-SGD)"
    let model = try loop.run(&trainer, from: first) { trainer, epoch in
      trainer.random = SeededGenerator(seed: seed, label: "ctgan train", index: UInt64(epoch))
      var sampler = SeededGenerator(seed: seed, label: "ctgan dp batches", index: UInt64(epoch))
      var lossG: Float = 0
      var lossD: Float = 0
      for _ in 0..<stepsPerEpoch {
        try Task.checkCancellation()
        for _ in 0..<discriminatorSteps {
          let rows = (0..<n).filter { _ in sampler.nextUnit() < sampleRate }
          lossD = trainer.privateCriticStep(rows: rows, clip: clip, noiseMultiplier: noise)
        }
        lossG = trainer.privateGeneratorStep()
      }
      return EpochSummary(
        finite: lossG.isFinite && lossD.isFinite,
        losses: "G \(Training.format(lossG)), D \(Training.format(lossD))")
    } model: { weights, _ in
      CTGANModel(
        synthesizer: self, metadata: metadata, trainingRowCount: n, encoder: encoder,
        condition: condition, generator: Array(weights.dropLast(statisticsCount)),
        statistics: Array(weights.suffix(statisticsCount)), privacy: guarantee)
    }
    loop.report(guarantee)
    return model
  }
}

extension ConditionalVector {
  /// The same parts with Gaussian noise of deviation `deviation` added to every count, rounded
  /// and clamped at 0; a part left with no positive count gets a count of 1 for every slot.
  func noisyCounts(deviation: Double, random: inout SeededGenerator) -> ConditionalVector {
    var copy = self
    for p in copy.parts.indices {
      var counts = copy.parts[p].counts.map {
        max(0, Int((Double($0) + deviation * random.nextNormal()).rounded()))
      }
      if !counts.contains(where: { $0 > 0 }) { counts = counts.map { _ in 1 } }
      copy.parts[p].counts = counts
    }
    return copy
  }
}

extension CTGANTrainer {
  /// Dropout masks for the critic's hidden layers (0 or 2 for p = 0.5), one row per example.
  mutating func criticDropoutMasks(rows: Int) -> [Tensor] {
    critic.layers.dropLast().map { layer in
      var mask = Tensor(rows: rows, cols: layer.bias.cols)
      for i in 0..<mask.count { mask.data[i] = random.nextUnit() < 0.5 ? 0 : 2 }
      return mask
    }
  }

  /// The critic (pac = 1) on `x` with the given dropout masks, recording its linear layers.
  func tracedCritic(_ x: Variable, masks: [Tensor], into traces: inout [LinearTrace])
    -> Variable
  {
    var h = x
    for (k, layer) in critic.layers.enumerated() {
      h = layer.traced(h, into: &traces)
      if k < critic.layers.count - 1 {
        h = mulConstant(leakyRelu(h, slope: 0.2), masks[k])
      }
    }
    return h
  }

  /// The encoded real rows with their conditions: each row's own category of a uniformly chosen
  /// categorical column.
  mutating func privateRealBatch(rows: [Int]) -> Tensor {
    var c = Tensor(rows: rows.count, cols: condition.width)
    if !condition.parts.isEmpty {
      for (i, row) in rows.enumerated() {
        let part = condition.parts[random.nextInt(below: condition.parts.count)]
        c[i, part.offset + Int(data.slots[part.column][row])] = 1
      }
    }
    let encoded = encoder.batch(data, rows: rows)
    return condition.width > 0 ? Kernels.concatCols([encoded, c]) : encoded
  }

  /// The summed logistic loss Σ log(1 + e^−D(x)) of real rows, with the critic traced.
  mutating func realCriticLoss(_ real: Tensor) -> (Variable, [LinearTrace]) {
    var traces: [LinearTrace] = []
    let masks = criticDropoutMasks(rows: real.rows)
    let y = tracedCritic(Variable(real), masks: masks, into: &traces)
    return (sumAll(softplus(scale(y, -1))), traces)
  }

  /// One DP-SGD critic step on the Poisson-sampled real `rows`; returns the critic loss (mean
  /// logistic loss of the fake rows plus that of the real rows).
  mutating func privateCriticStep(rows: [Int], clip: Float, noiseMultiplier: Float) -> Float {
    let parameters = critic.parameters
    let (c, _, _) = condition.sample(rows: batch, logFrequency: false, random: &random)
    let fake = activate(generator(noise(c), training: true)).value
    let fakeAll = condition.width > 0 ? Kernels.concatCols([fake, c]) : fake
    let fakeLoss = meanAll(softplus(critic(Variable(fakeAll), random: &random)))
    var gradients = Autodiff.gradients(of: fakeLoss, wrt: parameters).map(\.value)
    var realLoss: Float = 0
    let privateGradients: [Tensor]
    if rows.isEmpty {
      privateGradients = PerExampleGradients.noisyAverage(
        parameters.map { Tensor(rows: $0.rows, cols: $0.cols) }, noise: noiseMultiplier, clip: clip,
        expectedRows: batch, random: &random)
    } else {
      let (loss, traces) = realCriticLoss(privateRealBatch(rows: rows))
      realLoss = loss.scalar / Float(rows.count)
      privateGradients = PerExampleGradients.privateGradients(
        of: loss, rows: rows.count, parameters: parameters, linear: traces, broadcast: [],
        clip: clip, noise: noiseMultiplier, expectedRows: batch, random: &random)
    }
    for k in gradients.indices {
      gradients[k] = Kernels.zip(gradients[k], privateGradients[k], +)
    }
    adamD.update(parameters, gradients: gradients)
    return fakeLoss.scalar + realLoss
  }

  /// One generator step against the private critic with the non-saturating loss
  /// mean log(1 + e^−D(G(z))) plus the condition cross-entropy; returns the loss.
  mutating func privateGeneratorStep() -> Float {
    let (c, parts, slots) = condition.sample(
      rows: batch, logFrequency: false, random: &random)
    let raw = generator(noise(c), training: true)
    let fake = activate(raw)
    let input = condition.width > 0 ? concatCols([fake, Variable(c)]) : fake
    var loss = meanAll(softplus(scale(critic(input, random: &random), -1)))
    for (p, part) in condition.parts.enumerated() {
      var targets = [Int](repeating: -1, count: batch)
      for row in 0..<batch where parts[row] == p { targets[row] = slots[row] }
      loss =
        loss + crossEntropy(sliceCols(raw, part.dataOffset, part.counts.count), targets: targets)
    }
    let parameters = generator.parameters
    let grads = Autodiff.gradients(of: loss, wrt: parameters)
    adamG.update(parameters, gradients: grads.map(\.value))
    return loss.scalar
  }
}
