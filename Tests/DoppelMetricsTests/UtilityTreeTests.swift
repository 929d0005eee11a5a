import Doppel
import Testing

@Suite("CART trees")
struct UtilityTreeTests {
  @Test("a tree fits a problem separable by a threshold perfectly, on training and new rows")
  func separableThreshold() throws {
    let table = try toyClassification(rows: 400, flip: 0, seed: 1)
    let schema = try FeatureSchema(tables: [table], excluding: ["y"])
    let features = try FeatureMatrix(table: table, schema: schema)
    let target = try classes(of: table, "y", order: ["no", "yes"])
    let tree = try DecisionTree.fit(features: features, target: target, seed: 3)
    #expect(predictedClasses(tree, features) == target.classIndices)
    // One split on `signal` separates the classes; nothing else is needed.
    #expect(tree.depth == 1)
    #expect(tree.impurityImportance == [1, 0, 0])

    let fresh = try toyClassification(rows: 200, flip: 0, seed: 2)
    let freshFeatures = try FeatureMatrix(table: fresh, schema: schema)
    let freshTarget = try classes(of: fresh, "y", order: ["no", "yes"])
    let accuracy = PredictionScores.accuracy(
      truth: freshTarget.classIndices, predicted: predictedClasses(tree, freshFeatures))
    // New rows may fall between the largest "no" and the smallest "yes" of training (a gap of
    // about 1/400 wide), so allow one error.
    #expect(try #require(accuracy) >= 0.995)
  }

  @Test("a categorical split groups categories by their class, whatever the category order")
  func separableCategories() throws {
    let colours = ["red", "green", "blue", "grey", "pink", "teal"]
    let positive: Set = ["green", "pink", "teal"]
    var generator = SeededGenerator(seed: 8)
    let values = (0..<300).map { _ in colours[generator.nextInt(below: colours.count)] }
    let labels = values.map { positive.contains($0) ? "yes" : "no" }
    let table = try Table(columns: [categoryColumn("colour", values), categoryColumn("y", labels)])
    let schema = try FeatureSchema(tables: [table], excluding: ["y"])
    let features = try FeatureMatrix(table: table, schema: schema)
    let target = try classes(of: table, "y", order: ["no", "yes"])
    let tree = try DecisionTree.fit(features: features, target: target)
    #expect(tree.depth == 1)
    #expect(predictedClasses(tree, features) == target.classIndices)

    let reordered = try Table(columns: table.columns.map(reversingCategories))
    let reorderedFeatures = try FeatureMatrix(table: reordered, schema: schema)
    #expect(reorderedFeatures == features)
    #expect(predictedClasses(tree, reorderedFeatures) == target.classIndices)
  }

  @Test("a regression tree recovers a step function exactly")
  func stepFunction() throws {
    let x = (0..<300).map { Double($0) / 300 }
    let step = { (value: Double) -> Double in value < 0.3 ? 0 : (value < 0.7 ? 5 : 2) }
    let table = try Table(columns: [numberColumn("x", x), numberColumn("y", x.map(step))])
    let schema = try FeatureSchema(tables: [table], excluding: ["y"])
    let features = try FeatureMatrix(table: table, schema: schema)
    let tree = try DecisionTree.fit(features: features, target: .numbers(x.map(step)))
    #expect(tree.leafCount == 3)
    #expect(tree.depth == 2)
    let probe = [0.01, 0.29, 0.31, 0.5, 0.69, 0.71, 0.99]
    let probeTable = try Table(columns: [
      numberColumn("x", probe), numberColumn("y", probe.map { _ in 0 }),
    ])
    let predictions = tree.predict(try FeatureMatrix(table: probeTable, schema: schema))
    // Leaf means are exact up to rounding (targets are centred while growing).
    for (prediction, expected) in zip(predictions, probe.map(step)) {
      #expect(abs(prediction - expected) < 1e-12)
    }
  }

  @Test("missing numbers are sent to the side that lowers the impurity")
  func missingNumbers() throws {
    // Label "yes" when x > 0.5 or x is missing: missing rows must join the high side.
    var generator = SeededGenerator(seed: 4)
    var x: [Double] = []
    var missing: [Bool] = []
    var labels: [String] = []
    for _ in 0..<400 {
      let value = generator.nextUnit()
      let isMissing = generator.nextUnit() < 0.2
      x.append(isMissing ? 0 : value)
      missing.append(isMissing)
      labels.append(isMissing || value > 0.5 ? "yes" : "no")
    }
    let table = try Table(columns: [
      numberColumn("x", x, missing: missing), categoryColumn("y", labels),
    ])
    let schema = try FeatureSchema(tables: [table], excluding: ["y"])
    let features = try FeatureMatrix(table: table, schema: schema)
    let target = try classes(of: table, "y", order: ["no", "yes"])
    // One bin per distinct value (400 rows), so the split can fall exactly at 0.5.
    let tree = try DecisionTree.fit(
      features: features, target: target, options: .init(maxBins: 1000))
    #expect(tree.depth == 1)
    #expect(predictedClasses(tree, features) == target.classIndices)
  }

  @Test("a depth limit and a minimum leaf size are respected")
  func limits() throws {
    let table = try toyClassification(rows: 500, flip: 0.2, seed: 6)
    let schema = try FeatureSchema(tables: [table], excluding: ["y"])
    let features = try FeatureMatrix(table: table, schema: schema)
    let target = try classes(of: table, "y", order: ["no", "yes"])
    let shallow = try DecisionTree.fit(
      features: features, target: target, options: .init(maxDepth: 3))
    #expect(shallow.depth <= 3)
    // With a bin per distinct value, an unlimited tree has pure leaves and reproduces its noisy
    // training labels. (With fewer bins, two rows sharing a bin cannot be told apart.)
    let full = try DecisionTree.fit(
      features: features, target: target, options: .init(maxBins: 1000))
    #expect(full.depth > 3)
    #expect(predictedClasses(full, features) == target.classIndices)
    let coarse = try DecisionTree.fit(
      features: features, target: target, options: .init(minSamplesLeaf: 50))
    #expect(coarse.leafCount <= 500 / 50)
  }

  @Test("out-of-range tree options are all reported at once")
  func badOptions() throws {
    let error = #expect(throws: DoppelError.self) {
      try DecisionTreeOptions(minSamplesSplit: 1, minSamplesLeaf: 0, maxBins: 1).validate()
    }
    #expect(error?.code == .invalidArgument)
    #expect(error?.message.contains("minSamplesSplit") == true)
    #expect(error?.message.contains("minSamplesLeaf") == true)
    #expect(error?.message.contains("maxBins") == true)
  }
}

/// The class indices of a categorical column, with classes in `order`.
func classes(of table: Table, _ name: String, order: [String]) throws -> TargetValues {
  let column = try #require(table[name])
  let (codes, labels) = try #require(column.categories)
  let indices = try codes.map { code in Int32(try #require(order.firstIndex(of: labels[Int(code)])))
  }
  return .classes(indices, classCount: order.count)
}

/// The arg-max class of each row of a tree's predictions.
func predictedClasses(_ tree: DecisionTree, _ features: FeatureMatrix) -> [Int] {
  let probabilities = tree.predict(features)
  let width = tree.outputWidth
  return (0..<features.rowCount).map { row in
    (0..<width).max { probabilities[row * width + $0] < probabilities[row * width + $1] } ?? 0
  }
}

extension TargetValues {
  /// The class of each row as `Int` (classification only).
  var classIndices: [Int] {
    if case .classes(let values, _) = self { return values.map(Int.init) }
    return []
  }
}
