import Foundation

/// A symmetric, positive-definite correlation matrix with its Cholesky factor.
///
/// Built from normal scores with pairwise-complete Pearson correlations, then projected to the
/// nearest valid correlation matrix by clipping eigenvalues (Rousseeuw and Molenberghs,
/// "Transformation of non positive semidefinite correlation matrices", Communications in
/// Statistics 22(4), 1993) and rescaling the diagonal to one.
public struct CorrelationMatrix: Sendable, Equatable, Codable {
  /// The number of dimensions.
  public let dimension: Int
  /// The entries, row-major, `dimension × dimension`.
  public let values: [Double]

  /// The smallest eigenvalue kept when repairing a matrix.
  public static let minimumEigenvalue = 1e-6

  /// Creates the identity.
  /// - Parameter dimension: The number of dimensions.
  public init(identity dimension: Int) {
    var values = [Double](repeating: 0, count: dimension * dimension)
    for i in 0..<dimension { values[i * dimension + i] = 1 }
    self.dimension = dimension
    self.values = values
  }

  /// Creates a matrix from row-major entries, repairing it to be a positive-definite correlation
  /// matrix.
  /// - Parameters:
  ///   - dimension: The number of dimensions.
  ///   - values: Row-major entries; non-finite entries are treated as 0 off the diagonal.
  public init(dimension: Int, repairing values: [Double]) {
    precondition(values.count == dimension * dimension, "a square matrix is needed")
    var matrix = values
    for i in 0..<dimension {
      for j in 0..<dimension {
        if i == j {
          matrix[i * dimension + j] = 1
        } else {
          let a = values[i * dimension + j]
          let b = values[j * dimension + i]
          let mean = 0.5 * ((a.isFinite ? a : 0) + (b.isFinite ? b : 0))
          matrix[i * dimension + j] = min(1, max(-1, mean))
        }
      }
    }
    self.dimension = dimension
    self.values = CorrelationMatrix.nearestCorrelation(matrix, dimension)
  }

  /// The pairwise-complete Pearson correlation of columns of scores.
  /// - Parameters:
  ///   - columns: One array of scores per dimension, all of the same length.
  ///   - present: For each dimension, `nil` when every row is present, or one flag per row.
  /// - Returns: The repaired correlation matrix.
  /// - Complexity: O(d² · n) for d dimensions and n rows.
  public static func pairwisePearson(_ columns: [[Double]], present: [[Bool]?]) -> CorrelationMatrix
  {
    let d = columns.count
    var values = [Double](repeating: 0, count: d * d)
    for i in 0..<d {
      values[i * d + i] = 1
      for j in (i + 1)..<max(d, i + 1) {
        let r = pearson(columns[i], columns[j], present[i], present[j])
        values[i * d + j] = r
        values[j * d + i] = r
      }
    }
    return CorrelationMatrix(dimension: d, repairing: values)
  }

  private static func pearson(_ x: [Double], _ y: [Double], _ px: [Bool]?, _ py: [Bool]?) -> Double
  {
    var n = 0.0
    var sx = 0.0
    var sy = 0.0
    for row in 0..<x.count where (px?[row] ?? true) && (py?[row] ?? true) {
      n += 1
      sx += x[row]
      sy += y[row]
    }
    guard n > 2 else { return 0 }
    let mx = sx / n
    let my = sy / n
    var sxx = 0.0
    var syy = 0.0
    var sxy = 0.0
    for row in 0..<x.count where (px?[row] ?? true) && (py?[row] ?? true) {
      let dx = x[row] - mx
      let dy = y[row] - my
      sxx += dx * dx
      syy += dy * dy
      sxy += dx * dy
    }
    guard sxx > 0, syy > 0 else { return 0 }
    return sxy / (sxx * syy).squareRoot()
  }

  /// The lower-triangular Cholesky factor L with L·Lᵀ equal to this matrix, row-major.
  public var choleskyFactor: [Double] {
    let n = dimension
    var lower = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0...i {
        var sum = values[i * n + j]
        for k in 0..<j { sum -= lower[i * n + k] * lower[j * n + k] }
        if i == j {
          lower[i * n + i] = max(sum, 1e-12).squareRoot()
        } else {
          lower[i * n + j] = sum / lower[j * n + j]
        }
      }
    }
    return lower
  }

  /// Symmetric eigen-decomposition by the cyclic Jacobi method (Golub and Van Loan, Matrix
  /// Computations, 4th ed., §8.5).
  /// - Returns: Eigenvalues and row-major eigenvectors (column k is the k-th eigenvector).
  static func symmetricEigen(_ matrix: [Double], _ n: Int) -> (values: [Double], vectors: [Double])
  {
    var a = matrix
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    for _ in 0..<100 {
      var off = 0.0
      for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { off += a[i * n + j] * a[i * n + j] } }
      if off < 1e-22 { break }
      for p in 0..<n {
        for q in (p + 1)..<max(n, p + 1) {
          let apq = a[p * n + q]
          if abs(apq) < 1e-300 { continue }
          let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
          let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
          let c = 1 / (t * t + 1).squareRoot()
          let s = t * c
          for k in 0..<n {
            let akp = a[k * n + p]
            let akq = a[k * n + q]
            a[k * n + p] = c * akp - s * akq
            a[k * n + q] = s * akp + c * akq
          }
          for k in 0..<n {
            let apk = a[p * n + k]
            let aqk = a[q * n + k]
            a[p * n + k] = c * apk - s * aqk
            a[q * n + k] = s * apk + c * aqk
          }
          for k in 0..<n {
            let vkp = v[k * n + p]
            let vkq = v[k * n + q]
            v[k * n + p] = c * vkp - s * vkq
            v[k * n + q] = s * vkp + c * vkq
          }
        }
      }
    }
    return ((0..<n).map { a[$0 * n + $0] }, v)
  }

  private static func nearestCorrelation(_ matrix: [Double], _ n: Int) -> [Double] {
    guard n > 1 else { return matrix }
    let (eigenvalues, vectors) = symmetricEigen(matrix, n)
    if eigenvalues.allSatisfy({ $0 >= minimumEigenvalue }) { return matrix }
    let clipped = eigenvalues.map { max($0, minimumEigenvalue) }
    var result = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in i..<n {
        var sum = 0.0
        for k in 0..<n { sum += vectors[i * n + k] * clipped[k] * vectors[j * n + k] }
        result[i * n + j] = sum
        result[j * n + i] = sum
      }
    }
    var scale = [Double](repeating: 1, count: n)
    for i in 0..<n { scale[i] = 1 / max(result[i * n + i], 1e-300).squareRoot() }
    for i in 0..<n {
      for j in 0..<n { result[i * n + j] *= scale[i] * scale[j] }
      result[i * n + i] = 1
    }
    return result
  }
}
