import DoppelCore
import Foundation

/// Ordinary least squares and logistic regression with their usual standard errors.
///
/// OLS solves the normal equations XᵀX β = Xᵀy by Cholesky; the covariance is s²(XᵀX)⁻¹ with
/// s² = RSS/(n − p). Logistic regression maximizes the likelihood by Newton's method
/// (iteratively reweighted least squares, McCullagh and Nelder, *Generalized Linear Models*,
/// 2nd ed., 1989, §4.4) with step halving; the covariance is the inverse Fisher information
/// (XᵀWX)⁻¹ at the estimate, as R's `glm` reports.
enum LeastSquares {
  static func ordinary(x: [Double], y: [Double], names: [String]) throws -> RegressionEstimates {
    let p = names.count
    let n = y.count
    var xtx = [Double](repeating: 0, count: p * p)
    var xty = [Double](repeating: 0, count: p)
    for i in 0..<n {
      let base = i * p
      for a in 0..<p {
        let xa = x[base + a]
        if xa == 0 { continue }
        xty[a] += xa * y[i]
        for b in 0...a { xtx[a * p + b] += xa * x[base + b] }
      }
    }
    guard let inverse = invertSymmetric(lower: xtx, size: p) else { throw singular() }
    var beta = [Double](repeating: 0, count: p)
    for a in 0..<p {
      for b in 0..<p { beta[a] += inverse[a * p + b] * xty[b] }
    }
    var rss = 0.0
    for i in 0..<n {
      var fitted = 0.0
      for a in 0..<p { fitted += x[i * p + a] * beta[a] }
      rss += (y[i] - fitted) * (y[i] - fitted)
    }
    let s2 = rss / Double(n - p)
    return RegressionEstimates(
      names: names, coefficients: beta,
      standardErrors: (0..<p).map { (max(0, s2 * inverse[$0 * p + $0])).squareRoot() }, rows: n)
  }

  static func logistic(x: [Double], y: [Double], names: [String]) throws -> RegressionEstimates {
    let p = names.count
    let n = y.count
    var beta = [Double](repeating: 0, count: p)
    let share = y.reduce(0, +) / Double(n)
    guard share > 0 && share < 1 else {
      throw DoppelError(
        .fitFailed, "the outcome takes only one value in a table; logistic regression needs both")
    }
    beta[0] = log(share / (1 - share))
    func logLikelihood(_ beta: [Double]) -> Double {
      var total = 0.0
      for i in 0..<n {
        var eta = 0.0
        for a in 0..<p { eta += x[i * p + a] * beta[a] }
        // y·η − log(1 + e^η), computed without overflow.
        total += y[i] * eta - (eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta)))
      }
      return total
    }
    var current = logLikelihood(beta)
    var information = [Double](repeating: 0, count: p * p)
    for _ in 0..<100 {
      information = [Double](repeating: 0, count: p * p)
      var score = [Double](repeating: 0, count: p)
      for i in 0..<n {
        let base = i * p
        var eta = 0.0
        for a in 0..<p { eta += x[base + a] * beta[a] }
        let mu = 1 / (1 + exp(-eta))
        let w = mu * (1 - mu)
        for a in 0..<p {
          let xa = x[base + a]
          if xa == 0 { continue }
          score[a] += xa * (y[i] - mu)
          for b in 0...a { information[a * p + b] += w * xa * x[base + b] }
        }
      }
      guard let inverse = invertSymmetric(lower: information, size: p) else { throw singular() }
      var step = [Double](repeating: 0, count: p)
      for a in 0..<p {
        for b in 0..<p { step[a] += inverse[a * p + b] * score[b] }
      }
      var scale = 1.0
      var next = beta
      var value = current
      for _ in 0..<30 {
        next = zip(beta, step).map { $0 + scale * $1 }
        value = logLikelihood(next)
        if value >= current - 1e-12 * abs(current) { break }
        scale /= 2
      }
      let moved = zip(beta, next).map { abs($0 - $1) }.max() ?? 0
      beta = next
      current = value
      if moved < 1e-10 { break }
    }
    // The information at the final estimate.
    information = [Double](repeating: 0, count: p * p)
    for i in 0..<n {
      let base = i * p
      var eta = 0.0
      for a in 0..<p { eta += x[base + a] * beta[a] }
      let mu = 1 / (1 + exp(-eta))
      let w = mu * (1 - mu)
      for a in 0..<p {
        let xa = x[base + a]
        if xa == 0 { continue }
        for b in 0...a { information[a * p + b] += w * xa * x[base + b] }
      }
    }
    guard let inverse = invertSymmetric(lower: information, size: p),
      beta.allSatisfy(\.isFinite)
    else { throw singular() }
    return RegressionEstimates(
      names: names, coefficients: beta,
      standardErrors: (0..<p).map { max(0, inverse[$0 * p + $0]).squareRoot() }, rows: n)
  }

  private static func singular() -> DoppelError {
    DoppelError(
      .fitFailed,
      "the regression cannot be estimated in a table (collinear predictors, a category level that does not occur, or perfect separation); drop or merge predictors"
    )
  }

  /// The inverse of a symmetric positive definite matrix given by its lower triangle, by
  /// Cholesky; `nil` when it is not positive definite.
  static func invertSymmetric(lower a: [Double], size p: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: p * p)
    var scale = 0.0
    for i in 0..<p { scale = max(scale, abs(a[i * p + i])) }
    for i in 0..<p {
      for j in 0...i {
        var sum = a[i * p + j]
        for k in 0..<j { sum -= l[i * p + k] * l[j * p + k] }
        if i == j {
          guard sum > 1e-12 * max(scale, 1e-300) else { return nil }
          l[i * p + i] = sum.squareRoot()
        } else {
          l[i * p + j] = sum / l[j * p + j]
        }
      }
    }
    // L⁻¹ by forward substitution, then (L⁻¹)ᵀ L⁻¹.
    var li = [Double](repeating: 0, count: p * p)
    for c in 0..<p {
      for i in c..<p {
        var sum = i == c ? 1.0 : 0.0
        for k in c..<i { sum -= l[i * p + k] * li[k * p + c] }
        li[i * p + c] = sum / l[i * p + i]
      }
    }
    var inverse = [Double](repeating: 0, count: p * p)
    for i in 0..<p {
      for j in 0...i {
        var sum = 0.0
        for k in i..<p { sum += li[k * p + i] * li[k * p + j] }
        inverse[i * p + j] = sum
        inverse[j * p + i] = sum
      }
    }
    return inverse
  }
}
