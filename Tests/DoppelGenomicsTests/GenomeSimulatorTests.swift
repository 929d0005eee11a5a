import DoppelCore
import Foundation
import Testing

@testable import DoppelGenomics

@Suite("Genome simulation")
struct GenomeSimulatorTests {
  private func request(
    _ folder: URL, output: String, seed: UInt64 = 5, whole: Bool = false
  ) -> SimulationRequest {
    SimulationRequest(
      referencePath: folder.appendingPathComponent("ref.fa").path,
      variantsPath: folder.appendingPathComponent("test.vcf.gz").path,
      random: RandomVariantOptions(snpCount: 30, indelCount: 30),
      regions: whole ? [] : ["1:9001-40000"],
      reads: ReadOptions(coverage: whole ? 2 : 4),
      outputDirectory: folder.appendingPathComponent(output).path, writeHaplotypes: true,
      seed: seed)
  }

  @Test("the golden BAM is sorted and each read's position and CIGAR match where it was drawn")
  func goldenBAM() throws {
    let folder = try Fixture.workspace("golden")
    let summary = try GenomeSimulator.run(request(folder, output: "out"))
    let out = folder.appendingPathComponent("out")
    let reference = try Reference.read(path: folder.appendingPathComponent("ref.fa").path)
    let (header, reads) = try BAMDecoder.read(path: out.appendingPathComponent("golden.bam").path)
    #expect(header.hasPrefix("@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:1\tLN:239940\n"))
    #expect(header.contains("@RG\tID:SAMPLE") && header.contains("@PG\tID:doppel"))
    #expect(reads.count == summary.reads)
    #expect(zip(reads, reads.dropFirst()).allSatisfy { $0.position <= $1.position })
    // 9,001-40,000 holds 30,000 non-N bases; 4x in 2 × 150 bp pairs is 30,000 × 4 / 300 = 400
    // pairs (fewer by rounding and fragments redrawn at the N edge).
    #expect(abs(summary.fragments - 400) <= 20)
    let truth = try AlignmentCheck.truthVariants(
      path: out.appendingPathComponent("truth.vcf.gz").path, reference: reference)
    #expect(truth.count >= 60)
    #expect(truth.contains { $0.kind == .insertion } && truth.contains { $0.kind == .deletion })
    #expect(reads.contains { read in read.cigar.contains { $0.op == "I" } })
    #expect(reads.contains { read in read.cigar.contains { $0.op == "D" } })
    let check = AlignmentCheck.mismatches(
      reads: reads, reference: reference.contigs[0].sequence, truth: truth)
    #expect(check.badLength == 0)
    // Only sequencing errors may disagree (an error can also turn an ALT base back into REF,
    // so the count is at most the errors drawn); a wrong position or CIGAR gives ~75% mismatch.
    #expect(check.mismatches <= summary.errors)
    #expect(Double(check.mismatches) < 0.01 * Double(check.bases))
    // Paired flags: every read is paired, proper, and first or second in pair.
    #expect(
      reads.allSatisfy {
        $0.flag & 0x3 == 0x3 && ($0.flag & 0xC0 == 0x40 || $0.flag & 0xC0 == 0x80)
      })
    // The haplotype FASTA holds two sequences per contig.
    let haplotypes = try Reference.read(
      path: out.appendingPathComponent("haplotypes.fa").path, writeIndex: false)
    #expect(haplotypes.contigs.map(\.name) == ["1_hap1", "1_hap2"])
  }

  @Test("with indel errors the golden CIGARs still place every read base correctly")
  func indelErrors() throws {
    let folder = try Fixture.workspace("indel-errors")
    var noisy = request(folder, output: "out")
    noisy.reads.indelErrorRate = 0.01
    let summary = try GenomeSimulator.run(noisy)
    let reference = try Reference.read(path: folder.appendingPathComponent("ref.fa").path)
    let (_, reads) = try BAMDecoder.read(
      path: folder.appendingPathComponent("out/golden.bam").path)
    let truth = try AlignmentCheck.truthVariants(
      path: folder.appendingPathComponent("out/truth.vcf.gz").path, reference: reference)
    // 1% of about 400 pairs × 300 bases = 120,000 bases: about 1,200 indel errors.
    #expect(summary.indelErrors > 900 && summary.indelErrors < 1_500)
    #expect(reads.contains { read in read.cigar.contains { $0.op == "D" && $0.length == 1 } })
    #expect(zip(reads, reads.dropFirst()).allSatisfy { $0.position <= $1.position })
    let check = AlignmentCheck.mismatches(
      reads: reads, reference: reference.contigs[0].sequence, truth: truth)
    #expect(check.badLength == 0)
    // Each error insertion is one unmatched I; substitutions as before. A misplaced read after
    // a wrongly composed CIGAR would add ~75% mismatches over its remaining bases.
    #expect(check.mismatches <= summary.errors + summary.indelErrors)
  }

  @Test("the same seed gives identical files for any thread count; another seed differs")
  func determinism() throws {
    let folder = try Fixture.workspace("determinism")
    // The whole 240 kbp reference is three 100 kbp blocks, so batches differ by thread count.
    _ = try GenomeSimulator.run(request(folder, output: "a", whole: true))
    _ = try GenomeSimulator.run(request(folder, output: "b", whole: true))
    _ = try GenomeSimulator.run(request(folder, output: "c", seed: 6, whole: true))
    var serial = request(folder, output: "d", whole: true)
    serial.threads = 1
    _ = try GenomeSimulator.run(serial)
    var wide = request(folder, output: "e", whole: true)
    wide.threads = 7
    _ = try GenomeSimulator.run(wide)
    for file in ["R1.fastq.gz", "R2.fastq.gz", "golden.bam", "truth.vcf.gz"] {
      let a = try Data(contentsOf: folder.appendingPathComponent("a/\(file)"))
      let b = try Data(contentsOf: folder.appendingPathComponent("b/\(file)"))
      let c = try Data(contentsOf: folder.appendingPathComponent("c/\(file)"))
      #expect(a == b, "\(file) differs between runs with one seed")
      for other in ["d", "e"] {
        let d = try Data(contentsOf: folder.appendingPathComponent("\(other)/\(file)"))
        #expect(a == d, "\(file) depends on the thread count")
      }
      #expect(a != c, "\(file) is the same for two seeds")
    }
  }

  @Test("exome mode puts variants only in targets and most reads on them")
  func exome() throws {
    let folder = try Fixture.workspace("exome")
    let bed = folder.appendingPathComponent("targets.bed").path
    try Data("1\t20000\t21000\n1\t30000\t30500\n".utf8).write(to: URL(fileURLWithPath: bed))
    var exome = request(folder, output: "out")
    exome.variantsPath = nil
    exome.targetsPath = bed
    exome.regions = []
    exome.random = RandomVariantOptions(snpCount: 20, indelCount: 6)
    exome.reads = ReadOptions(coverage: 20, offTargetFraction: 0.1, targetPadding: 50)
    let summary = try GenomeSimulator.run(exome)
    let reference = try Reference.read(path: folder.appendingPathComponent("ref.fa").path)
    let truth = try AlignmentCheck.truthVariants(
      path: folder.appendingPathComponent("out/truth.vcf.gz").path, reference: reference)
    #expect(truth.count == 26)
    #expect(
      truth.allSatisfy {
        (20_000..<21_000).contains($0.position) || (30_000..<30_500).contains($0.position)
      })
    let (_, reads) = try BAMDecoder.read(path: folder.appendingPathComponent("out/golden.bam").path)
    let near = reads.filter {
      (19_400..<21_600).contains($0.position) || (29_400..<31_100).contains($0.position)
    }
    // 10% of fragments are off target; allow sampling noise.
    #expect(Double(near.count) >= 0.8 * Double(reads.count))
    #expect(summary.reads == reads.count)
  }

  @Test("bad options are refused before any file is written")
  func badOptions() throws {
    let folder = try Fixture.workspace("bad")
    var bad = request(folder, output: "out")
    bad.reads.readLength = 5
    bad.random.snpRate = -1
    #expect(throws: DoppelError.self) { try GenomeSimulator.run(bad) }
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    var unknown = request(folder, output: "out")
    unknown.regions = ["chrZ:1-100"]
    #expect(throws: DoppelError.self) { try GenomeSimulator.run(unknown) }
  }

  @Test("evaluation normalizes both sides: a right-shifted indel and a split MNP still match")
  func evaluation() throws {
    let folder = try Fixture.workspace("evaluate")
    let reference = try Reference.read(path: folder.appendingPathComponent("ref.fa").path)
    let sequence = reference.contigs[0].sequence
    // Find a dinucleotide repeat to place an indel whose representation can shift.
    var repeatStart = 0
    for index in 10_000..<170_000
    where sequence[index] == sequence[index + 2] && sequence[index + 1] == sequence[index + 3]
      && sequence[index + 2] == sequence[index + 4] && sequence[index + 3] == sequence[index + 5]
      && sequence[index] != sequence[index + 1] && sequence[index - 1] != sequence[index + 1]
    {
      repeatStart = index
      break
    }
    #expect(repeatStart > 0)
    func text(_ from: Int, _ to: Int) -> String {
      String(decoding: sequence[from..<to], as: UTF8.self)
    }
    let header = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    // Truth: deletion of the first unit, anchored before the repeat; an MNP; a SNP.
    let truth =
      header
      + "1\t\(repeatStart)\t.\t\(text(repeatStart - 1, repeatStart + 2))\t\(text(repeatStart - 1, repeatStart))\t.\tPASS\t.\n"
      + "1\t50001\t.\t\(text(50_000, 50_002))\t\(swap(sequence[50_000]))\(swap(sequence[50_001]))\t.\tPASS\t.\n"
      + "1\t60001\t.\t\(text(60_000, 60_001))\t\(swap(sequence[60_000]))\t.\tPASS\t.\n"
    // Calls: the same deletion written one unit to the right, the MNP as two SNPs, a false SNP,
    // and a low-quality copy of the truth SNP's neighbour.
    let calls =
      header
      + "1\t\(repeatStart + 2)\t.\t\(text(repeatStart + 1, repeatStart + 4))\t\(text(repeatStart + 1, repeatStart + 2))\t50.5\tPASS\t.\n"
      + "1\t50001\t.\t\(text(50_000, 50_001))\t\(swap(sequence[50_000]))\t40\tPASS\t.\n"
      + "1\t50002\t.\t\(text(50_001, 50_002))\t\(swap(sequence[50_001]))\t40\tPASS\t.\n"
      + "1\t70001\t.\t\(text(70_000, 70_001))\t\(swap(sequence[70_000]))\t99\tPASS\t.\n"
      + "1\t70011\t.\t\(text(70_010, 70_011))\t\(swap(sequence[70_010]))\t5\tPASS\t.\n"
    let truthPath = folder.appendingPathComponent("truth.vcf").path
    let callsPath = folder.appendingPathComponent("calls.vcf").path
    try Data(truth.utf8).write(to: URL(fileURLWithPath: truthPath))
    try Data(calls.utf8).write(to: URL(fileURLWithPath: callsPath))
    let report = try VariantComparison.compare(
      truthPath: truthPath, callsPath: callsPath, reference: reference, minimumQuality: 20)
    let snp = try #require(report.score("SNP"))
    let indel = try #require(report.score("INDEL"))
    #expect(snp.truth == 3 && snp.falseNegatives == 1 && snp.falsePositives == 1)
    #expect(indel.truth == 1 && indel.truePositives == 1 && indel.falsePositives == 0)
    #expect(report.missed.map(\.position) == [60_001])
    #expect(report.falseCalls.map(\.position) == [70_001])
    #expect(report.skippedCalls == 1)
  }

  private func swap(_ base: UInt8) -> String {
    switch base {
    case UInt8(ascii: "A"): return "G"
    case UInt8(ascii: "G"): return "A"
    case UInt8(ascii: "C"): return "T"
    default: return "C"
    }
  }
}
