import Doppel
import Foundation

/// Example tables shared by the Bayesian network and PrivBayes tests, loaded once.
enum NetworkFixtures {
  /// `Examples/data/adult.csv` (32,561 rows × 15 columns), or `nil` if it cannot be read.
  static let adult: (table: Table, metadata: TableMetadata)? = try? exampleTable("adult.csv")

  /// Every tenth row of adult (3,257 rows): a sample for the conformance checks.
  static let adultSample: (table: Table, metadata: TableMetadata)? = adult.map {
    ($0.table.selectingRows(Array(stride(from: 0, to: $0.table.rowCount, by: 10))), $0.metadata)
  }
}
