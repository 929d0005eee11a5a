import Foundation

/// L2-regularized logistic regression fitted by Newton's method (iteratively reweighted least
/// squares) with step halving, on a sparse ``PropensityDesign``.
///
/// The penalized log-likelihood Σ [yᵢηᵢ − log(1 + e^ηᵢ)] − (λ/2) Σⱼ₌₁ βⱼ² (the intercept β₀
/// is not penalized) is strictly concave, so the fit is unique even when the tables separate
/// perfectly. The iteration count is capped and every step is deterministic (McCullagh and
/// Nelder, *Generalized Linear Models*, 2nd ed., 1989, §4.4; Hastie, Tibshirani and Friedman,
/// *The Elements of Statistical Learning*, 2nd ed., §4.4.4).
struct LogisticRegression {
  /// The L2 penalty λ on the non-intercept coefficients.
  var penalty: Double
  /// The most Newton steps.
  var maximumIterations: Int
  /// Stop when no coefficient moves more than this.
  var tolerance: Double

  /// Fits the model and returns the fitted probabilities of every row.
  /// - Parameter design: The design matrix and labels.
  /// - Returns: p̂ᵢ = P(label = 1 | row i), one per row.
  /// - Complexity: O(iterations · (Σᵢ nnzᵢ² + k³)) for k parameters.
  func fittedProbabilities(_ design: PropensityDesign) -> [Double] {
    let k = design.parameterCount
    let n = design.rowCount
    let share = design.labels.reduce(0, +) / Double(n)
    var beta = [Double](repeating: 0, count: k)
    beta[0] = log(share / (1 - share))
    var eta = linearPredictor(design, beta)
    var objective = logLikelihood(design, eta, beta)
    for _ in 0..<maximumIterations {
      var hessian = [Double](repeating: 0, count: k * k)
      var gradient = [Double](repeating: 0, count: k)
      accumulate(design, eta, &hessian, &gradient)
      hessian[0] += 1e-9 * Double(n)
      for j in 1..<k {
        hessian[j * k + j] += penalty
        gradient[j] -= penalty * beta[j]
      }
      guard let step = LogisticRegression.solve(lowerHessian: hessian, gradient, size: k) else {
        break
      }
      var scale = 1.0
      var accepted = false
      for _ in 0..<30 {
        let candidate = zip(beta, step).map { $0 + scale * $1 }
        let candidateEta = linearPredictor(design, candidate)
        let candidateObjective = logLikelihood(design, candidateEta, candidate)
        if candidateObjective >= objective - 1e-12 * abs(objective) {
          beta = candidate
          eta = candidateEta
          objective = candidateObjective
          accepted = true
          break
        }
        scale /= 2
      }
      let largest = step.reduce(0) { Swift.max($0, abs($1)) } * scale
      if !accepted || largest < tolerance { break }
    }
    return eta.map(LogisticRegression.sigmoid)
  }

  /// Adds Xᵀ W X (lower triangle, row-major) and Xᵀ (y − p) at the current linear predictor.
  private func accumulate(
    _ design: PropensityDesign, _ eta: [Double], _ hessian: inout [Double],
    _ gradient: inout [Double]
  ) {
    let k = design.parameterCount
    design.indices.withUnsafeBufferPointer { indices in
      design.values.withUnsafeBufferPointer { values in
        design.rowStarts.withUnsafeBufferPointer { starts in
          hessian.withUnsafeMutableBufferPointer { h in
            gradient.withUnsafeMutableBufferPointer { g in
              for row in 0..<design.rowCount {
                let p = LogisticRegression.sigmoid(eta[row])
                let weight = p * (1 - p)
                let residual = design.labels[row] - p
                let start = starts[row]
                for a in start..<starts[row + 1] {
                  let ia = Int(indices[a])
                  let va = values[a]
                  g[ia] += residual * va
                  let scaled = weight * va
                  let base = ia * k
                  for b in start...a { h[base + Int(indices[b])] += scaled * values[b] }
                }
              }
            }
          }
        }
      }
    }
  }

  private func linearPredictor(_ design: PropensityDesign, _ beta: [Double]) -> [Double] {
    design.indices.withUnsafeBufferPointer { indices in
      design.values.withUnsafeBufferPointer { values in
        (0..<design.rowCount).map { row in
          var sum = 0.0
          for entry in design.rowStarts[row]..<design.rowStarts[row + 1] {
            sum += beta[Int(indices[entry])] * values[entry]
          }
          return sum
        }
      }
    }
  }

  private func logLikelihood(_ design: PropensityDesign, _ eta: [Double], _ beta: [Double])
    -> Double
  {
    var sum = 0.0
    for row in 0..<design.rowCount {
      let e = eta[row]
      sum += design.labels[row] * e - (Swift.max(e, 0) + log1p(exp(-abs(e))))
    }
    var squares = 0.0
    for j in 1..<beta.count { squares += beta[j] * beta[j] }
    return sum - penalty / 2 * squares
  }

  static func sigmoid(_ x: Double) -> Double {
    x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
  }

  /// Solves H x = g for a symmetric positive definite H given by its lower triangle (row-major),
  /// by Cholesky factorization.
  /// - Returns: x, or `nil` when H is not positive definite.
  static func solve(lowerHessian h: [Double], _ g: [Double], size k: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: k * k)
    for i in 0..<k {
      for j in 0...i {
        var sum = h[i * k + j]
        for m in 0..<j { sum -= l[i * k + m] * l[j * k + m] }
        if i == j {
          guard sum > 0, sum.isFinite else { return nil }
          l[i * k + i] = sum.squareRoot()
        } else {
          l[i * k + j] = sum / l[j * k + j]
        }
      }
    }
    var y = [Double](repeating: 0, count: k)
    for i in 0..<k {
      var sum = g[i]
      for m in 0..<i { sum -= l[i * k + m] * y[m] }
      y[i] = sum / l[i * k + i]
    }
    var x = [Double](repeating: 0, count: k)
    for i in stride(from: k - 1, through: 0, by: -1) {
      var sum = y[i]
      for m in (i + 1)..<k { sum -= l[m * k + i] * x[m] }
      x[i] = sum / l[i * k + i]
    }
    return x
  }
}
