import ArgumentParser
import Doppel
import Foundation
import Testing

@testable import DoppelCLI

@Suite("doppel sample --condition and --rebalance")
struct ConditionalSampleCommandTests {
  /// The values of one CSV column (no quoted commas in these files).
  func column(_ path: String, _ name: String) throws -> [Substring] {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
    let index = try #require(header.firstIndex(of: Substring(name)))
    return lines.dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false)[index]
    }
  }

  @Test("conditions and rebalancing from the command line")
  func conditionsAndRebalance() async throws {
    let scratch = try Scratch()
    try await doppel(["fit", exampleData("pbc.csv"), "-o", scratch.file("m.json"), "-q"])
    try await doppel([
      "sample", scratch.file("m.json"), "--rows", "300", "--condition", "status=1",
      "--condition", "age>=60", "-o", scratch.file("c.csv"), "-q",
    ])
    #expect(try column(scratch.file("c.csv"), "status").allSatisfy { $0 == "1" })
    let ages = try column(scratch.file("c.csv"), "age").compactMap { Double($0) }
    #expect(ages.count == 300)
    #expect(ages.allSatisfy { $0 >= 60 })
    try await doppel([
      "sample", scratch.file("m.json"), "--rows", "900", "--rebalance", "status", "-o",
      scratch.file("r.csv"), "-q",
    ])
    let status = try column(scratch.file("r.csv"), "status")
    #expect(status.count == 900)
    for label in ["0", "1", "2"] {
      #expect(status.filter { $0 == label }.count == 300)
    }
  }

  @Test("an impossible condition fails and writes nothing; --shard with --condition is refused")
  func refusals() async throws {
    let scratch = try Scratch()
    try await doppel(["fit", exampleData("pbc.csv"), "-o", scratch.file("m.json"), "-q"])
    await expectDoppelError(
      .impossibleCondition,
      [
        "sample", scratch.file("m.json"), "--rows", "10", "--condition", "sex=x", "-o",
        scratch.file("bad.csv"), "-q",
      ])
    #expect(try scratch.listing() == ["m.json"])
    #expect(throws: (any Error).self) {
      _ = try DoppelCommand.parseAsRoot([
        "sample", scratch.file("m.json"), "--condition", "sex=f", "--shard", "0/2",
      ])
    }
  }
}
