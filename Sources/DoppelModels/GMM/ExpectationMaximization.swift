import DoppelCore
import Foundation

/// Fits a full-covariance Gaussian mixture by expectation–maximisation.
///
/// Dempster, Laird and Rubin, "Maximum likelihood from incomplete data via the EM algorithm",
/// Journal of the Royal Statistical Society B 39(1), 1977. Initialised from k-means++ centres
/// (Arthur and Vassilvitskii, "k-means++: the advantages of careful seeding", SODA 2007) refined
/// by a few Lloyd iterations; every covariance gets `regularization` added to its diagonal, as
/// scikit-learn's `reg_covar` does, so it stays positive definite. The E-step is spread over all
/// cores by rows, the M-step by components; results do not depend on the number of threads.
struct ExpectationMaximization {
  /// The data, row-major, `rows × dimensions`.
  let data: [Double]
  let rows: Int
  let dimensions: Int
  let regularization: Double
  let maxIterations: Int
  /// Stop when the mean log-likelihood per row improves by less than this.
  let tolerance: Double

  /// A fitted mixture.
  struct Fit: Sendable {
    var weights: [Double]
    /// K × D.
    var means: [[Double]]
    /// K × D × D, row-major.
    var covariances: [[Double]]
    /// The total log-likelihood of the data.
    var logLikelihood: Double
    var iterations: Int
  }

  /// The number of free parameters of a K-component mixture in D dimensions.
  static func parameterCount(components: Int, dimensions d: Int) -> Int {
    components * (d + d * (d + 1) / 2) + components - 1
  }

  /// Runs EM with `components` components.
  func run(components: Int, seed: UInt64) -> Fit {
    let k = max(1, min(components, rows))
    var responsibilities = initialResponsibilities(components: k, seed: seed)
    var fit = maximize(responsibilities, components: k)
    var previous = -Double.infinity
    var iterations = 0
    for iteration in 1...max(maxIterations, 1) {
      iterations = iteration
      let (next, logLikelihood) = expect(fit)
      responsibilities = next
      fit.logLikelihood = logLikelihood
      let mean = logLikelihood / Double(rows)
      let improved = mean - previous
      previous = mean
      fit = maximize(responsibilities, components: k, keeping: fit)
      if improved.isFinite && abs(improved) < tolerance { break }
    }
    // The likelihood of the final parameters.
    fit.logLikelihood = expect(fit).logLikelihood
    fit.iterations = iterations
    return fit
  }

  /// Hard assignments from k-means++ seeding and Lloyd iterations, as responsibilities.
  private func initialResponsibilities(components k: Int, seed: UInt64) -> [Double] {
    let d = dimensions
    var random = SeededGenerator(seed: seed, label: "gmm k-means++", index: UInt64(k))
    var centres: [[Double]] = []
    var nearest = [Double](repeating: .infinity, count: rows)
    func row(_ i: Int) -> ArraySlice<Double> { data[(i * d)..<((i + 1) * d)] }
    func squared(_ i: Int, _ centre: [Double]) -> Double {
      data.withUnsafeBufferPointer { x in
        centre.withUnsafeBufferPointer { c in
          var total = 0.0
          let base = i * d
          for j in 0..<d {
            let gap = x[base + j] - c[j]
            total += gap * gap
          }
          return total
        }
      }
    }
    centres.append(Array(row(random.nextInt(below: rows))))
    while centres.count < k {
      guard let last = centres.last else { break }
      var total = 0.0
      for i in 0..<rows {
        nearest[i] = min(nearest[i], squared(i, last))
        total += nearest[i]
      }
      var pick = random.nextInt(below: rows)
      if total > 0 {
        let target = random.nextUnit() * total
        var running = 0.0
        for i in 0..<rows {
          running += nearest[i]
          if running > target {
            pick = i
            break
          }
        }
      }
      centres.append(Array(row(pick)))
    }
    var assignment = [Int](repeating: 0, count: rows)
    for _ in 0..<10 {
      for i in 0..<rows {
        var best = 0
        var bestDistance = Double.infinity
        for (c, centre) in centres.enumerated() {
          let distance = squared(i, centre)
          if distance < bestDistance {
            bestDistance = distance
            best = c
          }
        }
        assignment[i] = best
      }
      var sums = [[Double]](repeating: [Double](repeating: 0, count: d), count: k)
      var counts = [Double](repeating: 0, count: k)
      data.withUnsafeBufferPointer { x in
        for i in 0..<rows {
          counts[assignment[i]] += 1
          sums[assignment[i]].withUnsafeMutableBufferPointer { sum in
            for j in 0..<d { sum[j] += x[i * d + j] }
          }
        }
      }
      for c in 0..<k where counts[c] > 0 { centres[c] = sums[c].map { $0 / counts[c] } }
    }
    var responsibilities = [Double](repeating: 0, count: rows * k)
    for i in 0..<rows { responsibilities[i * k + assignment[i]] = 1 }
    return responsibilities
  }

  /// The M-step: weights, means and covariances from responsibilities (`rows × k`).
  private func maximize(_ responsibilities: [Double], components k: Int, keeping old: Fit? = nil)
    -> Fit
  {
    let d = dimensions
    var totals = [Double](repeating: 0, count: k)
    for i in 0..<rows {
      for c in 0..<k { totals[c] += responsibilities[i * k + c] }
    }
    let componentTotals = totals
    var means = [[Double]](repeating: [], count: k)
    var covariances = [[Double]](repeating: [], count: k)
    means.withUnsafeMutableBufferPointer { meansOut in
      covariances.withUnsafeMutableBufferPointer { covariancesOut in
        nonisolated(unsafe) let meansOut = meansOut
        nonisolated(unsafe) let covariancesOut = covariancesOut
        data.withUnsafeBufferPointer { x in
          responsibilities.withUnsafeBufferPointer { r in
            nonisolated(unsafe) let x = x
            nonisolated(unsafe) let r = r
            ParallelRows.forEachChunk(count: k, minimumPerWorker: 1) { chunk in
              for c in chunk {
                let total = componentTotals[c]
                if total < 1e-10 {
                  // An empty component keeps its old parameters (or the identity) and weight ~0.
                  meansOut[c] = old?.means[c] ?? [Double](repeating: 0, count: d)
                  covariancesOut[c] =
                    old?.covariances[c] ?? (0..<(d * d)).map { $0 % (d + 1) == 0 ? 1 : 0 }
                  continue
                }
                var mean = [Double](repeating: 0, count: d)
                for i in 0..<rows {
                  let w = r[i * k + c]
                  if w < 1e-12 { continue }
                  for j in 0..<d { mean[j] += w * x[i * d + j] }
                }
                for j in 0..<d { mean[j] /= total }
                var covariance = [Double](repeating: 0, count: d * d)
                var centred = [Double](repeating: 0, count: d)
                covariance.withUnsafeMutableBufferPointer { s in
                  centred.withUnsafeMutableBufferPointer { centred in
                    for i in 0..<rows {
                      let w = r[i * k + c]
                      if w < 1e-12 { continue }
                      for j in 0..<d { centred[j] = x[i * d + j] - mean[j] }
                      for a in 0..<d {
                        let wa = w * centred[a]
                        if wa == 0 { continue }
                        let base = a * d
                        for b in a..<d { s[base + b] += wa * centred[b] }
                      }
                    }
                  }
                  for a in 0..<d {
                    for b in a..<d {
                      let value = s[a * d + b] / total
                      s[a * d + b] = value
                      s[b * d + a] = value
                    }
                    s[a * d + a] += regularization
                  }
                }
                meansOut[c] = mean
                covariancesOut[c] = covariance
              }
            }
          }
        }
      }
    }
    let weights = totals.map { $0 / Double(rows) }
    return Fit(
      weights: weights, means: means, covariances: covariances, logLikelihood: -.infinity,
      iterations: 0)
  }

  /// The E-step: responsibilities (`rows × k`) and the total log-likelihood.
  private func expect(_ fit: Fit) -> (responsibilities: [Double], logLikelihood: Double) {
    let d = dimensions
    let k = fit.weights.count
    let factors = fit.covariances.map { GaussianAlgebra.cholesky($0, dimension: d) }
    let means = fit.means.flatMap { $0 }
    let logNormaliser = fit.weights.indices.map { c in
      log(max(fit.weights[c], 1e-300)) - 0.5 * Double(d) * log(2 * Double.pi)
        - 0.5 * GaussianAlgebra.logDeterminant(factors[c], dimension: d)
    }
    var responsibilities = [Double](repeating: 0, count: rows * k)
    var rowLikelihood = [Double](repeating: 0, count: rows)
    responsibilities.withUnsafeMutableBufferPointer { out in
      rowLikelihood.withUnsafeMutableBufferPointer { likelihoodOut in
        data.withUnsafeBufferPointer { x in
          nonisolated(unsafe) let out = out
          nonisolated(unsafe) let likelihoodOut = likelihoodOut
          nonisolated(unsafe) let x = x
          ParallelRows.forEachChunk(count: rows, minimumPerWorker: 512) { chunk in
            means.withUnsafeBufferPointer { means in
              nonisolated(unsafe) let means = means
              var centred = [Double](repeating: 0, count: d)
              var scores = [Double](repeating: 0, count: k)
              for i in chunk {
                for c in 0..<k {
                  for j in 0..<d { centred[j] = x[i * d + j] - means[c * d + j] }
                  let distance = GaussianAlgebra.solvedSquaredNorm(
                    factors[c], dimension: d, vector: &centred)
                  scores[c] = logNormaliser[c] - 0.5 * distance
                }
                let top = scores.max() ?? 0
                var total = 0.0
                for c in 0..<k { total += exp(scores[c] - top) }
                let logTotal = top + log(total)
                for c in 0..<k { out[i * k + c] = exp(scores[c] - logTotal) }
                likelihoodOut[i] = logTotal
              }
            }
          }
        }
      }
    }
    return (responsibilities, rowLikelihood.reduce(0, +))
  }
}

/// Dense linear algebra for multivariate normals (row-major D × D matrices).
enum GaussianAlgebra {
  /// The lower Cholesky factor L of a symmetric positive-definite matrix (A = L·Lᵀ); when A is
  /// not numerically positive definite, a growing multiple of the identity is added until it is.
  static func cholesky(_ a: [Double], dimension d: Int) -> [Double] {
    var jitter = 0.0
    let trace = (0..<d).reduce(0.0) { $0 + abs(a[$1 * d + $1]) } / Double(max(d, 1))
    for _ in 0..<30 {
      if let factor = tryCholesky(a, dimension: d, jitter: jitter) { return factor }
      jitter = jitter == 0 ? max(trace, 1) * 1e-10 : jitter * 10
    }
    return (0..<(d * d)).map { $0 % (d + 1) == 0 ? 1 : 0 }
  }

  private static func tryCholesky(_ a: [Double], dimension d: Int, jitter: Double) -> [Double]? {
    var l = [Double](repeating: 0, count: d * d)
    for i in 0..<d {
      for j in 0...i {
        var sum = a[i * d + j] + (i == j ? jitter : 0)
        for m in 0..<j { sum -= l[i * d + m] * l[j * d + m] }
        if i == j {
          guard sum > 0, sum.isFinite else { return nil }
          l[i * d + i] = sum.squareRoot()
        } else {
          l[i * d + j] = sum / l[j * d + j]
        }
      }
    }
    return l
  }

  /// log det(A) = 2 Σ log L_ii.
  static func logDeterminant(_ factor: [Double], dimension d: Int) -> Double {
    (0..<d).reduce(0.0) { $0 + 2 * log(factor[$1 * d + $1]) }
  }

  /// ‖L⁻¹ v‖², solving L y = v in place by forward substitution.
  ///
  /// The dot products run in eight independent lanes (two `SIMD4<Double>`), since a plain
  /// floating-point sum cannot be vectorised by the compiler; the order is fixed, so results do
  /// not depend on threads.
  static func solvedSquaredNorm(_ factor: [Double], dimension d: Int, vector v: inout [Double])
    -> Double
  {
    var norm = 0.0
    factor.withUnsafeBufferPointer { l in
      v.withUnsafeMutableBufferPointer { y in
        guard let lBase = l.baseAddress, let yBase = y.baseAddress else { return }
        let lRaw = UnsafeRawPointer(lBase)
        let yRaw = UnsafeRawPointer(yBase)
        let stride = MemoryLayout<Double>.stride
        for i in 0..<d {
          let base = i * d
          var first = SIMD4<Double>()
          var second = SIMD4<Double>()
          var j = 0
          while j + 8 <= i {
            first +=
              lRaw.loadUnaligned(fromByteOffset: (base + j) * stride, as: SIMD4<Double>.self)
              * yRaw.loadUnaligned(fromByteOffset: j * stride, as: SIMD4<Double>.self)
            second +=
              lRaw.loadUnaligned(fromByteOffset: (base + j + 4) * stride, as: SIMD4<Double>.self)
              * yRaw.loadUnaligned(fromByteOffset: (j + 4) * stride, as: SIMD4<Double>.self)
            j += 8
          }
          var sum = y[i] - (first + second).sum()
          while j < i {
            sum -= l[base + j] * y[j]
            j += 1
          }
          let value = sum / l[base + i]
          y[i] = value
          norm += value * value
        }
      }
    }
    return norm
  }
}
