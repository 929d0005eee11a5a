import DoppelCore
import Foundation

/// How the noise level β_t of a diffusion grows over its steps.
public enum NoiseSchedule: String, Codable, Sendable, CaseIterable {
  /// ᾱ_t = f(t)/f(0) with f(t) = cos²((t/T + 0.008)/1.008 · π/2), each β capped at 0.999 (Nichol and
  /// Dhariwal, "Improved Denoising Diffusion Probabilistic Models", ICML 2021); TabDDPM's default.
  case cosine
  /// β_t evenly spaced from 10⁻⁴·1000/T to 0.02·1000/T (Ho, Jain and Abbeel, "Denoising
  /// Diffusion Probabilistic Models", NeurIPS 2020, extended to any T as in improved DDPM), each
  /// capped at 0.999 so that T < 20 stays valid.
  case linear
}

/// The per-step constants of a diffusion with T steps, indexed t = 0…T−1 as in the TabDDPM code.
///
/// Gaussian part (Ho et al. 2020): q(x_t | x_0) = N(√ᾱ_t·x_0, (1−ᾱ_t)·I) with ᾱ_t = ∏_{s≤t} α_s,
/// α_t = 1 − β_t. Multinomial part (Hoogeboom, Nielsen, Jaini, Forré and Welling, "Argmax Flows and
/// Multinomial Diffusion", NeurIPS 2021): q(x_t | x_0) = Cat(ᾱ_t·x_0 + (1−ᾱ_t)/K).
/// Values are computed in double precision.
struct DiffusionSchedule: Sendable, Equatable {
  /// The number of steps T.
  let steps: Int
  /// β_t.
  let betas: [Double]
  /// α_t = 1 − β_t.
  let alphas: [Double]
  /// ᾱ_t = ∏_{s≤t} α_s (computed as the exponential of a sum of logarithms, as the reference code).
  let alphaBars: [Double]

  init(_ schedule: NoiseSchedule, steps: Int) {
    self.steps = steps
    var betas: [Double] = []
    betas.reserveCapacity(steps)
    switch schedule {
    case .linear:
      let scale = 1000 / Double(steps)
      let start = scale * 0.0001
      let end = scale * 0.02
      for t in 0..<steps {
        let beta = steps == 1 ? start : start + (end - start) * Double(t) / Double(steps - 1)
        betas.append(min(beta, 0.999))
      }
    case .cosine:
      func f(_ u: Double) -> Double {
        let c = Foundation.cos((u + 0.008) / 1.008 * Double.pi / 2)
        return c * c
      }
      for t in 0..<steps {
        let t1 = Double(t) / Double(steps)
        let t2 = Double(t + 1) / Double(steps)
        betas.append(min(1 - f(t2) / f(t1), 0.999))
      }
    }
    self.betas = betas
    alphas = betas.map { 1 - $0 }
    var sum = 0.0
    alphaBars = alphas.map { alpha in
      sum += Foundation.log(alpha)
      return Foundation.exp(sum)
    }
  }

  /// ᾱ_{t−1}, with ᾱ_{−1} = 1 (no noise before the first step).
  func alphaBarBefore(_ t: Int) -> Double { t == 0 ? 1 : alphaBars[t - 1] }

  /// The constants of one reverse Gaussian step x_{t−1} = a·x_t − b·ε̂ + σ·z: the posterior mean
  /// 1/√α_t·(x_t − β_t/√(1−ᾱ_t)·ε̂) and the model deviation σ = √β_t (0 at t = 0), as the TabDDPM
  /// code's `gaussian_p_sample` (whose variance at t ≥ 1 is β_t).
  func gaussianReverse(_ t: Int) -> (a: Float, b: Float, sigma: Float) {
    let rootAlpha = alphas[t].squareRoot()
    return (
      Float(1 / rootAlpha), Float(betas[t] / (rootAlpha * (1 - alphaBars[t]).squareRoot())),
      t == 0 ? 0 : Float(betas[t].squareRoot())
    )
  }

  /// A draw of x_t ~ q(x_t | x_0) = N(√ᾱ_t·x_0, 1−ᾱ_t) given the standard normal `noise`.
  func noisyNumber(_ start: Float, step t: Int, noise: Float) -> Float {
    let alphaBar = alphaBars[t]
    return Float(alphaBar.squareRoot()) * start + Float((1 - alphaBar).squareRoot()) * noise
  }

  /// A draw of x_t ~ q(x_t | x_0) = Cat(ᾱ_t·e_{x_0} + (1−ᾱ_t)/K): x_0 with probability ᾱ_t,
  /// otherwise a uniform class.
  func noisyClass(
    _ start: Int32, classes k: Int, step t: Int, random: inout SeededGenerator
  ) -> Int32 {
    random.nextUnit() < alphaBars[t] ? start : Int32(random.nextInt(below: k))
  }

  /// The constants of the multinomial posterior at step t, as logarithms: log ᾱ_{t−1},
  /// log(1−ᾱ_{t−1}) (−∞ at t = 0), log α_t and log(1−α_t).
  func multinomialLogs(_ t: Int) -> MultinomialStep {
    let before = alphaBarBefore(t)
    return MultinomialStep(
      logAlphaBarBefore: Float(Foundation.log(before)),
      logOneMinusAlphaBarBefore: t == 0 ? -Float.infinity : Float(Foundation.log1p(-before)),
      logAlpha: Float(Foundation.log(alphas[t])), logOneMinusAlpha: Float(Foundation.log(betas[t])))
  }
}

/// The logarithms that define the multinomial posterior of one step.
struct MultinomialStep: Sendable, Equatable {
  var logAlphaBarBefore: Float
  var logOneMinusAlphaBarBefore: Float
  var logAlpha: Float
  var logOneMinusAlpha: Float
}

/// The multinomial diffusion posterior of Hoogeboom et al. (2021) in the form of the TabDDPM code
/// (`q_posterior`): for a start distribution x̂_0 (log-probabilities) and the noisy class j of x_t,
/// q(x_{t−1} | x_t, x̂_0) ∝ (ᾱ_{t−1}·x̂_0 + (1−ᾱ_{t−1})/K) ⊙ (α_t·e_j + (1−α_t)/K).
enum MultinomialPosterior {
  /// log(eᵃ + eᵇ), exact when either is −∞.
  @inline(__always)
  static func logAddExp(_ a: Float, _ b: Float) -> Float {
    let m = max(a, b)
    if m == -Float.infinity { return m }
    return m + Foundation.log(Foundation.exp(a - m) + Foundation.exp(b - m))
  }

  /// Writes log q(x_{t−1} | x_t = j, x̂_0) to `output[0..<K]`, and
  /// log(ᾱ_{t−1}·x̂_0 + (1−ᾱ_{t−1})/K) to `startTerm` (needed by the gradient).
  /// - Parameters:
  ///   - logStart: log x̂_0, K values.
  ///   - noisy: The class j of x_t.
  ///   - step: The step's constants.
  ///   - output: Receives the K log-probabilities.
  ///   - startTerm: Receives the K start terms.
  @inline(__always)
  static func logPosterior(
    logStart: UnsafeBufferPointer<Float>, noisy: Int, step: MultinomialStep,
    output: UnsafeMutableBufferPointer<Float>, startTerm: UnsafeMutableBufferPointer<Float>
  ) {
    let k = logStart.count
    let logK = Foundation.log(Float(k))
    let uniformBefore = step.logOneMinusAlphaBarBefore - logK
    let uniformNow = step.logOneMinusAlpha - logK
    let keepNow = logAddExp(step.logAlpha, uniformNow)
    var m = -Float.infinity
    for c in 0..<k {
      let s = logAddExp(step.logAlphaBarBefore + logStart[c], uniformBefore)
      startTerm[c] = s
      let u = s + (c == noisy ? keepNow : uniformNow)
      output[c] = u
      m = max(m, u)
    }
    var total: Float = 0
    for c in 0..<k { total += Foundation.exp(output[c] - m) }
    let lse = m + Foundation.log(total)
    for c in 0..<k { output[c] -= lse }
  }

  /// log x_0 for a known class: 0 at the class and log 10⁻³⁰ elsewhere, as the reference code's
  /// `index_to_log_onehot`.
  static let logZero: Float = -69.07755
}
