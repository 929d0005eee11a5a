import Doppel
import Testing

@Suite("Random forests and permutation importance")
struct UtilityForestTests {
  /// A toy table with missing numbers and a categorical feature, its features and target.
  private func toy(rows: Int, seed: UInt64) throws -> (FeatureMatrix, TargetValues) {
    let table = try toyClassification(rows: rows, flip: 0.1, seed: seed)
    var columns = table.columns
    var generator = SeededGenerator(seed: seed + 100)
    columns[1].missing = MissingMask((0..<rows).map { _ in generator.nextUnit() < 0.1 })
    let holed = try Table(columns: columns)
    let schema = try FeatureSchema(tables: [holed], excluding: ["y"])
    return (
      try FeatureMatrix(table: holed, schema: schema),
      try classes(of: holed, "y", order: ["no", "yes"])
    )
  }

  @Test("a forest is the same whatever the number of threads")
  func threadIndependence() throws {
    let (features, target) = try toy(rows: 600, seed: 1)
    let one = try RandomForest.fit(
      features: features, target: target, options: .init(trees: 9, threads: 1), seed: 4)
    let two = try RandomForest.fit(
      features: features, target: target, options: .init(trees: 9, threads: 2), seed: 4)
    let five = try RandomForest.fit(
      features: features, target: target, options: .init(trees: 9, threads: 5), seed: 4)
    #expect(one == two)
    #expect(two == five)
    #expect(one.predict(features, threads: 1) == five.predict(features, threads: 3))
    let other = try RandomForest.fit(
      features: features, target: target, options: .init(trees: 9, threads: 2), seed: 5)
    #expect(other != one)
  }

  @Test("permutation importance equals predicting each shuffled table afresh")
  func permutationMatchesNaive() throws {
    let (train, target) = try toy(rows: 500, seed: 2)
    let (test, truth) = try toy(rows: 300, seed: 3)
    let forest = try RandomForest.fit(
      features: train, target: target, options: .init(trees: 7), seed: 1)
    let truthClasses = truth.classIndices
    let accuracy: @Sendable ([Double]) -> Double = { probabilities in
      let predicted = (0..<(probabilities.count / 2)).map {
        probabilities[2 * $0 + 1] > probabilities[2 * $0] ? 1 : 0
      }
      return PredictionScores.accuracy(truth: truthClasses, predicted: predicted) ?? 0
    }
    let repeats = 2
    let fast = PermutationImportance.compute(
      forest: forest, features: test, repeats: repeats, seed: 9, threads: 2, score: accuracy)
    let baseline = accuracy(forest.predict(test))
    var naive: [Double] = []
    for feature in 0..<test.featureCount {
      var total = 0.0
      for repeat_ in 0..<repeats {
        var generator = SeededGenerator(
          seed: 9, label: "permutation importance", index: UInt64(feature * repeats + repeat_))
        let shuffled = test.permutingFeature(feature, using: &generator)
        total += baseline - accuracy(forest.predict(shuffled))
      }
      naive.append(total / Double(repeats))
    }
    #expect(fast == naive)
    #expect(fast[0] > 0.2)
  }

  @Test("a regression forest examines p/3 features per split and fits a linear trend")
  func regressionForest() throws {
    var generator = SeededGenerator(seed: 12)
    let x = (0..<800).map { _ in generator.nextUnit() }
    let z = (0..<800).map { _ in generator.nextUnit() }
    let w = (0..<800).map { _ in generator.nextUnit() }
    let table = try Table(columns: [
      numberColumn("x", x), numberColumn("z", z), numberColumn("w", w),
      numberColumn("y", x.map { 10 * $0 }),
    ])
    let schema = try FeatureSchema(tables: [table], excluding: ["y"])
    let features = try FeatureMatrix(table: table, schema: schema)
    let options = RandomForestOptions(trees: 10)
    #expect(options.featuresPerSplit(featureCount: 3, task: .regression) == 1)
    #expect(options.featuresPerSplit(featureCount: 14, task: .classification) == 3)
    let forest = try RandomForest.fit(
      features: features, target: .numbers(x.map { 10 * $0 }), options: options, seed: 2)
    let r2 = PredictionScores.r2(truth: x.map { 10 * $0 }, predicted: forest.predict(features))
    #expect(try #require(r2) > 0.95)
    #expect(forest.impurityImportance[0] > 0.5)
  }

  @Test("a category or a missing value unseen in training follows the larger child")
  func unseenValues() throws {
    // "a" (3 rows) is class 0 and "b" (7 rows) class 1; x separates the classes too.
    let labels = ["a", "a", "a", "b", "b", "b", "b", "b", "b", "b"]
    let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    let train = try Table(columns: [
      categoryColumn("letter", labels), numberColumn("x", x),
      categoryColumn("y", labels.map { $0 == "a" ? "no" : "yes" }),
    ])
    let schema = try FeatureSchema(tables: [train], excluding: ["y"])
    let target = try classes(of: train, "y", order: ["no", "yes"])
    let tree = try DecisionTree.fit(
      features: try FeatureMatrix(table: train, schema: schema), target: target,
      options: .init(maxFeatures: 1), seed: 1)
    #expect(tree.depth == 1)
    let test = try Table(columns: [
      categoryColumn("letter", ["purple", "a"]),
      numberColumn("x", [0, 2], missing: [true, false]),
      categoryColumn("y", ["no", "no"]),
    ])
    let encoded = try FeatureMatrix(table: test, schema: schema)
    // An unknown label takes the slot after the known ones.
    #expect(encoded[row: 0, feature: 0] == 3)
    let probabilities = tree.predict(encoded)
    // Row 0 is unknown or missing in whichever feature the root split on: the larger side.
    #expect(probabilities[0] == 0 && probabilities[1] == 1)
    #expect(probabilities[2] == 1 && probabilities[3] == 0)
  }
}
