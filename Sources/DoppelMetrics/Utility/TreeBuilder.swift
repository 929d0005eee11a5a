import DoppelCore

/// Grows one CART tree on binned features (see ``DecisionTree`` for the method).
///
/// Rows carry weights, so a bootstrap sample is a weight per row (how often it was drawn) rather
/// than a copy of the rows; sizes such as `minSamplesLeaf` count weight.
struct TreeBuilder: Sendable {
  let data: BinnedFeatures
  let target: TargetValues
  let options: DecisionTreeOptions
  let maxFeatures: Int
  let schema: FeatureSchema

  /// Checks that a target fits a feature matrix.
  static func check(features: FeatureMatrix, target: TargetValues) throws {
    guard features.rowCount > 0 else {
      throw DoppelError(.invalidArgument, "there are no rows to fit a tree to; give it data")
    }
    guard target.count == features.rowCount else {
      throw DoppelError(
        .invalidArgument,
        "the target has \(target.count) rows but the features have \(features.rowCount)")
    }
    switch target {
    case .classes(let classes, let classCount):
      guard classCount >= 1, classes.allSatisfy({ $0 >= 0 && Int($0) < classCount }) else {
        throw DoppelError(.invalidArgument, "class indices must be in 0..<classCount")
      }
    case .numbers(let numbers):
      guard numbers.allSatisfy(\.isFinite) else {
        throw DoppelError(.invalidArgument, "target numbers must be finite; drop missing targets")
      }
    }
  }

  /// Grows a tree on the rows `rows` (each with a positive weight in `weights`).
  func build(rows: [Int32], weights: [Double], generator: inout SeededGenerator) -> DecisionTree {
    var classes: [Int32] = []
    var numbers: [Double] = []
    var classCount = 0
    var offset = 0.0
    switch target {
    case .classes(let values, let count):
      classes = values
      classCount = count
    case .numbers(let values):
      // Centred targets keep the sums of squares well conditioned for large values, such as
      // datetimes in seconds.
      offset = values.reduce(0, +) / Double(max(1, values.count))
      numbers = values.map { $0 - offset }
    }
    var rows = rows
    return data.bins.withUnsafeBufferPointer { bins in
      classes.withUnsafeBufferPointer { classes in
        numbers.withUnsafeBufferPointer { numbers in
          weights.withUnsafeBufferPointer { weights in
            rows.withUnsafeMutableBufferPointer { rows in
              let growth = TreeGrowth(
                builder: self, classCount: classCount, offset: offset, bins: bins,
                classes: classes,
                numbers: numbers, weights: weights)
              return growth.grow(rows: rows, generator: &generator)
            }
          }
        }
      }
    }
  }
}
