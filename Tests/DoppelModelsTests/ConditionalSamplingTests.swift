import Doppel
import Foundation
import Testing

/// A model that hides any native conditional sampling, so the generic rejection path is used.
private struct PlainModel: FittedModel {
  static let kind = "plain-test"
  let inner: GaussianCopulaModel
  var metadata: TableMetadata { inner.metadata }
  var trainingRowCount: Int { inner.trainingRowCount }
  func sample(range: Range<Int>, seed: UInt64) throws -> Table {
    try inner.sample(range: range, seed: seed)
  }
}

/// Mean of the non-missing numbers of a column.
private func mean(_ table: Table, _ name: String) -> Double {
  guard let column = table[name], let values = column.numbers else { return .nan }
  var sum = 0.0
  var count = 0
  for row in values.indices where !column.missing[row] {
    sum += values[row]
    count += 1
  }
  return sum / Double(count)
}

/// Share of rows whose label in `name` equals `label`.
private func share(_ table: Table, _ name: String, _ label: String) -> Double {
  guard let column = table[name], let (codes, labels) = column.categories,
    let code = labels.firstIndex(of: label)
  else { return .nan }
  let hits = codes.indices.filter { !column.missing[$0] && codes[$0] == Int32(code) }.count
  return Double(hits) / Double(codes.count)
}

@Suite("Conditional sampling and rebalancing")
struct ConditionalSamplingTests {
  /// A copula fitted on the correlated table: band "high" is x > 55 (about 31% of rows).
  static func copula() async throws -> GaussianCopulaModel {
    let table = try correlatedTable(rows: 3000, seed: 4)
    return try await GaussianCopulaSynthesizer().fit(
      table, metadata: metadata(of: table), seed: 1, progress: nil)
  }

  @Test("parses conditions and rebalance targets")
  func parsing() throws {
    #expect(
      try SamplingCondition(parsing: "age>=60")
        == .init(column: "age", relation: .greaterOrEqual, value: "60"))
    #expect(try SamplingCondition(parsing: "smoker=yes").relation == .equal)
    #expect(try SamplingCondition(parsing: "a<3").relation == .less)
    #expect(try SamplingCondition(parsing: "a>3").value == "3")
    #expect(try SamplingCondition(parsing: "income=<=50K").value == "<=50K")
    #expect(throws: DoppelError.self) { try SamplingCondition(parsing: "no operator") }
    #expect(throws: DoppelError.self) { try SamplingCondition(parsing: "=3") }
    let target = try RebalanceTarget(parsing: "income=<=50K:0.25,>50K:0.75")
    #expect(target.column == "income")
    #expect(target.shares?.map(\.label) == ["<=50K", ">50K"])
    #expect(target.shares?.map(\.share) == [0.25, 0.75])
    #expect(try RebalanceTarget(parsing: "y").shares == nil)
    #expect(throws: DoppelError.self) { try RebalanceTarget(parsing: "y=a:-1") }
    #expect(throws: DoppelError.self) { try RebalanceTarget(parsing: "y=a:0") }
  }

  @Test("every copula row meets the conditions and the result does not depend on batching")
  func copulaRowsMeetConditions() async throws {
    let model = try await Self.copula()
    let conditions = [
      SamplingCondition(column: "band", value: "high"),
      SamplingCondition(column: "count", relation: .greaterOrEqual, value: "10"),
    ]
    var whole = try ConditionalSampler(model: model, conditions: conditions, seed: 7)
    let all = try whole.next(3000)
    #expect(all.rowCount == 3000)
    #expect(share(all, "band", "high") == 1)
    let counts = try #require(all["count"]?.numbers)
    #expect(counts.allSatisfy { $0 >= 10 })
    var pieces = try ConditionalSampler(model: model, conditions: conditions, seed: 7)
    var joined = try pieces.next(1000)
    try joined.append(pieces.next(2000))
    #expect(joined == all)
    var other = try ConditionalSampler(model: model, conditions: conditions, seed: 8)
    #expect(try other.next(3000) != all)
  }

  /// The GHK draws must follow the copula's own conditional distribution: compare with the rows
  /// that plain rejection keeps from the unconditional sample of the same model.
  @Test("copula conditional rows match rejection from the unconditional sample")
  func copulaMatchesRejection() async throws {
    let model = try await Self.copula()
    let conditions = [
      SamplingCondition(column: "band", value: "high"),
      SamplingCondition(column: "y", relation: .greaterOrEqual, value: "110"),
    ]
    var native = try ConditionalSampler(model: model, conditions: conditions, seed: 3)
    let direct = try native.next(5000)
    var generic = try ConditionalSampler(
      model: PlainModel(inner: model), conditions: conditions, seed: 3)
    let rejected = try generic.next(5000)
    // With 5,000 rows each, the standard error of a difference of means is about 0.06 for x
    // (sd about 3 here), 0.16 for y and 0.15 for count; the tolerances are about five of them.
    #expect(abs(mean(direct, "x") - mean(rejected, "x")) < 0.3)
    #expect(abs(mean(direct, "y") - mean(rejected, "y")) < 0.8)
    #expect(abs(mean(direct, "count") - mean(rejected, "count")) < 0.75)
    #expect(abs(share(direct, "band", "high") - 1) < 1e-12)
    // And conditioning really moves the distribution: unconditional x has mean about 50.
    #expect(mean(direct, "x") > 54)
  }

  @Test("the generic path keeps exactly the matching rows of the unconditional sample")
  func genericIsSubsetOfSample() async throws {
    let model = PlainModel(inner: try await Self.copula())
    let condition = SamplingCondition(column: "band", value: "low")
    var sampler = try ConditionalSampler(model: model, conditions: [condition], seed: 11)
    let kept = try sampler.next(500)
    let plain = try model.sample(range: 0..<sampler.proposalsMade, seed: 11)
    let resolved = try condition.resolve(in: model.metadata)
    let expected = ConditionalSampler.keep(plain, conditions: [resolved]).slice(0..<500)
    #expect(kept == expected)
  }

  @Test("a numeric equality fixes the value and shifts correlated columns")
  func numericEquality() async throws {
    let model = try await Self.copula()
    var sampler = try ConditionalSampler(
      model: model, conditions: [SamplingCondition(column: "x", value: "65")], seed: 2)
    let rows = try sampler.next(4000)
    #expect(try #require(rows["x"]?.numbers).allSatisfy { $0 == 65 })
    // y ≈ 2x: given x = 65, y's mean moves far above its unconditional mean of about 100.
    #expect(mean(rows, "y") > 115)
  }

  @Test("Bayesian network conditional rows match rejection")
  func networkMatchesRejection() async throws {
    let table = try correlatedTable(rows: 3000, seed: 9)
    let model = try await BayesianNetworkSynthesizer().fit(
      table, metadata: metadata(of: table), seed: 1, progress: nil)
    let conditions = [SamplingCondition(column: "band", value: "low")]
    var native = try ConditionalSampler(model: model, conditions: conditions, seed: 5)
    let direct = try native.next(20_000)
    #expect(share(direct, "band", "low") == 1)
    let plain = try model.sample(range: 0..<200_000, seed: 6)
    let resolved = try conditions.map { try $0.resolve(in: model.metadata) }
    let rejected = ConditionalSampler.keep(plain, conditions: resolved)
    #expect(rejected.rowCount > 20_000)
    #expect(abs(mean(direct, "x") - mean(rejected, "x")) < 0.25)
    #expect(abs(mean(direct, "count") - mean(rejected, "count")) < 0.3)
  }

  @Test("impossible or invalid conditions fail with clear errors before sampling")
  func errors() async throws {
    let model = try await Self.copula()
    func code(_ conditions: [SamplingCondition]) -> DoppelError.Code? {
      do {
        _ = try ConditionalSampler(model: model, conditions: conditions, seed: 1)
        return nil
      } catch let error as DoppelError {
        #expect(!error.message.contains("unicorn"))
        return error.code
      } catch {
        return nil
      }
    }
    #expect(code([.init(column: "nope", value: "1")]) == .unknownColumn)
    #expect(code([.init(column: "band", value: "unicorn")]) == .impossibleCondition)
    #expect(code([.init(column: "band", relation: .less, value: "3")]) == .invalidArgument)
    #expect(code([.init(column: "x", value: "unicorn")]) == .invalidValue)
    #expect(code([.init(column: "x", relation: .greater, value: "1000")]) == .impossibleCondition)
    #expect(code([.init(column: "count", value: "2.5")]) == .impossibleCondition)
    #expect(
      code([.init(column: "band", value: "high"), .init(column: "band", value: "low")])
        == .impossibleCondition)
    #expect(
      code([
        .init(column: "x", relation: .greater, value: "60"),
        .init(column: "x", relation: .less, value: "40"),
      ]) == .impossibleCondition)
  }

  @Test("rebalancing gives exact class counts, shuffled, reproducibly")
  func rebalancing() async throws {
    let model = try await Self.copula()
    var equal = try RebalancedSampler(
      model: model, target: RebalanceTarget(column: "band"), rows: 3001, seed: 4)
    #expect(equal.plan.map(\.rows).reduce(0, +) == 3001)
    #expect(equal.plan.map(\.rows).max()! - equal.plan.map(\.rows).min()! <= 1)
    var all: Table?
    while let chunk = try equal.next(700) {
      if all == nil { all = chunk } else { try all?.append(chunk) }
    }
    let table = try #require(all)
    #expect(table.rowCount == 3001)
    for (label, rows) in equal.plan {
      #expect(abs(share(table, "band", label) * 3001 - Double(rows)) < 0.5)
    }
    // Not grouped by class: the first 300 rows already hold every class.
    let head = table.slice(0..<300)
    #expect(["high", "mid", "low"].allSatisfy { share(head, "band", $0) > 0.2 })
    var again = try RebalancedSampler(
      model: model, target: RebalanceTarget(column: "band"), rows: 3001, seed: 4)
    var second: Table?
    while let chunk = try again.next(700) {
      if second == nil { second = chunk } else { try second?.append(chunk) }
    }
    #expect(second == table)
    var shares = try RebalancedSampler(
      model: model, target: RebalanceTarget(parsing: "band=low:3,high:1"), rows: 1000, seed: 4)
    #expect(shares.plan.map(\.label) == ["low", "high"])
    #expect(shares.plan.map(\.rows) == [750, 250])
    let part = try #require(try shares.next(1000))
    #expect(abs(share(part, "band", "low") - 0.75) < 1e-9)
    #expect(throws: DoppelError.self) {
      _ = try RebalancedSampler(
        model: model, target: RebalanceTarget(column: "x"), rows: 10, seed: 1)
    }
  }
}
