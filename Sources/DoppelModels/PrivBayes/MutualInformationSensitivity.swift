import Foundation

/// The sensitivity of mutual information, which PrivBayes' exponential mechanism needs.
///
/// For tables of n rows that differ in one row, I(X; Π) changes by at most
/// - (1/n)·ln n + ((n−1)/n)·ln(n/(n−1)) when X or Π has two values, and
/// - (2/n)·ln((n+1)/2) + ((n−1)/n)·ln((n+1)/(n−1)) otherwise
///
/// (Zhang, Cormode, Procopiuc, Srivastava and Xiao, "PrivBayes: private data release via Bayesian
/// networks", ACM TODS 42(4), 2017, Lemma 4.1). The lemma is stated in any logarithm base as long
/// as mutual information uses the same one; Doppel uses natural logarithms for both.
enum MutualInformationSensitivity {
  /// The bound for `rows` rows, a child of `childValues` values and parents with
  /// `parentConfigurations` joint values.
  static func bound(rows: Int, childValues: Int, parentConfigurations: Int) -> Double {
    // With fewer than two rows every mutual information is 0 on both tables; any positive scale
    // keeps the exponential mechanism well defined.
    guard rows >= 2 else { return 1 }
    let n = Double(rows)
    if childValues == 2 || parentConfigurations == 2 {
      return log(n) / n + (n - 1) / n * log(n / (n - 1))
    }
    return 2 / n * log((n + 1) / 2) + (n - 1) / n * log((n + 1) / (n - 1))
  }
}
