import ArgumentParser
import Doppel
import Foundation
import Testing

@testable import DoppelCLI

@Suite("doppel genome")
struct GenomeCommandTests {
  /// A small random reference with one contig, so the test needs no fixture files.
  private func reference(in scratch: Scratch) throws -> String {
    var random = SeededGenerator(seed: 99)
    let bases = Array("ACGT".utf8)
    let sequence = (0..<20_000).map { _ in bases[random.nextInt(below: 4)] }
    var text = ">chrT\n"
    for start in stride(from: 0, to: sequence.count, by: 60) {
      text += String(decoding: sequence[start..<min(sequence.count, start + 60)], as: UTF8.self)
      text += "\n"
    }
    return try scratch.write("ref.fa", text)
  }

  @Test("simulate writes reads, BAM and truth; evaluating the truth against itself is perfect")
  func simulateThenEvaluate() async throws {
    let scratch = try Scratch()
    let ref = try reference(in: scratch)
    try await doppel([
      "genome", "simulate", "--reference", ref, "--snps", "20", "--indels", "10",
      "--coverage", "2", "--region", "chrT:1-15000", "-o", scratch.file("sim"), "--quiet",
    ])
    for file in ["R1.fastq.gz", "R2.fastq.gz", "golden.bam", "golden.bam.bai", "truth.vcf.gz"] {
      #expect(scratch.exists("sim/" + file))
    }
    #expect(scratch.exists("ref.fa.fai"))
    let truth = scratch.file("sim/truth.vcf.gz")
    try await doppel([
      "genome", "evaluate", "--truth", truth, "--calls", truth, "--reference", ref, "-o",
      scratch.file("report.json"),
    ])
    let report = try JSONDecoder().decode(
      ComparisonReport.self,
      from: Data(contentsOf: URL(fileURLWithPath: scratch.file("report.json"))))
    let all = try #require(report.score("ALL"))
    #expect(all.truth == 30)
    #expect(all.recall == 1 && all.precision == 1)
  }

  @Test("simulate refuses an unknown region and leaves no output folder")
  func unknownRegion() async throws {
    let scratch = try Scratch()
    let ref = try reference(in: scratch)
    await #expect(throws: DoppelError.self) {
      try await doppel([
        "genome", "simulate", "--reference", ref, "--region", "chrZ", "-o", scratch.file("sim"),
        "--quiet",
      ])
    }
    #expect(!scratch.exists("sim"))
  }
}
