import ArgumentParser
import Doppel
import Foundation
import Testing

@testable import DoppelCLI

@Suite("doppel evaluate and doppel report")
struct EvaluateCommandTests {
  /// Fits pbc on 80% of its rows and samples; returns the train, holdout and synthetic paths.
  static func prepare(_ scratch: Scratch) async throws -> (
    train: String, holdout: String, synthetic: String
  ) {
    let (table, metadata) = try TableSource.load(path: exampleData("pbc.csv"))
    let (train, holdout) = table.split(holdoutFraction: 0.2, seed: 4)
    for (name, part) in [("train.csv", train), ("holdout.csv", holdout)] {
      try Data(CSVWriter.encode(TextTable(table: part))).write(
        to: URL(fileURLWithPath: scratch.file(name)))
    }
    try TableSource.encode(metadata).write(to: URL(fileURLWithPath: scratch.file("meta.json")))
    try await doppel([
      "fit", scratch.file("train.csv"), "--metadata", scratch.file("meta.json"), "-o",
      scratch.file("m.json"), "-q",
    ])
    try await doppel([
      "sample", scratch.file("m.json"), "--seed", "2", "-o", scratch.file("synth.csv"), "-q",
    ])
    return (scratch.file("train.csv"), scratch.file("holdout.csv"), scratch.file("synth.csv"))
  }

  @Test("evaluate writes the documented keys, all in [0, 1], and report renders them offline")
  func evaluateAndReport() async throws {
    let scratch = try Scratch()
    let files = try await EvaluateCommandTests.prepare(scratch)
    try await doppel([
      "evaluate", files.train, files.synthetic, "--holdout", files.holdout, "--label", "status",
      "--keys", "sex,stage", "--sensitive", "status", "--metadata", scratch.file("meta.json"),
      "-o", scratch.file("eval.json"), "--summary-dir", scratch.path,
    ])
    let data = try Data(contentsOf: URL(fileURLWithPath: scratch.file("eval.json")))
    let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    func number(_ path: String) -> Double? {
      var node: Any? = object
      for key in path.split(separator: ".") { node = (node as? [String: Any])?[String(key)] }
      return (node as? NSNumber)?.doubleValue
    }
    for key in [
      "quality.overall", "quality.columnShapes", "quality.columnPairTrends",
      "privacy.exactCopyRate", "privacy.dcrShareCloserToTrain", "utility.tstr.f1Macro",
      "utility.trtr.f1Macro",
    ] {
      let value = try #require(number(key), "\(key) missing")
      #expect(value >= 0 && value <= 1, "\(key) = \(value)")
    }
    let evaluation = try Evaluator.decode(data)
    #expect(evaluation.privacy.attributeDisclosure?.sensitive == "status")
    #expect(scratch.exists("summary_real.csv") && scratch.exists("summary_synthetic.csv"))
    let summary = try String(contentsOfFile: scratch.file("summary_real.csv"), encoding: .utf8)
    #expect(
      summary.hasPrefix("column,kind,count,missing,distinct,mean,std,min,p5,p25,p50,p75,p95,max"))
    try await doppel(["report", scratch.file("eval.json"), "-o", scratch.file("report.html")])
    let html = try String(contentsOfFile: scratch.file("report.html"), encoding: .utf8)
    #expect(html.contains("<svg"))
    #expect(!html.contains("http://") && !html.contains("https://"))
  }

  @Test("a synthetic table with missing or extra columns is refused, naming them")
  func mismatchedColumns() async throws {
    let scratch = try Scratch()
    let real = try scratch.write("real.csv", "a,b,c\n1,x,2.5\n2,y,3.5\n3,x,1.5\n4,y,0.5\n")
    let synth = try scratch.write("synth.csv", "a,b,d\n1,x,9\n2,y,8\n")
    let error = await expectDoppelError(
      .schemaMismatch, ["evaluate", real, synth, "-o", scratch.file("e.json")])
    #expect(error?.message.contains("missing c") == true)
    #expect(error?.message.contains("extra d") == true)
    #expect(!scratch.exists("e.json"))
  }

  @Test("a synthetic column of a different type is refused")
  func differentTypes() async throws {
    let scratch = try Scratch()
    let real = try scratch.write("real.csv", "a,b\n1.5,x\n2.5,y\n3.5,x\n4.5,y\n5.5,x\n6.5,y\n")
    let synth = try scratch.write("synth.csv", "a,b\nten,x\neleven,y\n")
    let error = await expectDoppelError(
      .invalidValue, ["evaluate", real, synth, "-o", scratch.file("e.json")])
    #expect(error?.context.column == "a")
  }

  @Test("an empty synthetic table is refused")
  func emptySynthetic() async throws {
    let scratch = try Scratch()
    let real = try scratch.write("real.csv", "a,b\n1,x\n2,y\n3,x\n")
    let synth = try scratch.write("synth.csv", "a,b\n")
    await expectDoppelError(.noRows, ["evaluate", real, synth, "-o", scratch.file("e.json")])
  }

  @Test("a label without a holdout is refused with advice")
  func labelNeedsHoldout() async throws {
    let scratch = try Scratch()
    let files = try await EvaluateCommandTests.prepare(scratch)
    let error = await expectDoppelError(
      .invalidArgument,
      [
        "evaluate", files.train, files.synthetic, "--label", "status", "--metadata",
        scratch.file("meta.json"), "-o", scratch.file("e.json"),
      ])
    #expect(error?.message.contains("--holdout") == true)
  }

  @Test("a damaged or newer evaluation file is refused by report")
  func damagedEvaluation() async throws {
    let scratch = try Scratch()
    let bad = try scratch.write("eval.json", #"{"formatVersion": 1, "quality": 3}"#)
    await expectDoppelError(.invalidArgument, ["report", bad, "-o", scratch.file("r.html")])
    let newer = try scratch.write("newer.json", #"{"formatVersion": 7}"#)
    await expectDoppelError(.unsupportedVersion, ["report", newer, "-o", scratch.file("r.html")])
    #expect(!scratch.exists("r.html"))
  }
}
