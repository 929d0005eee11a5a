import DoppelCore
import Foundation
import Testing

@testable import DoppelGenomics

/// The external tools of the end-to-end test and whether they are here.
enum ExternalTools {
  static let names = ["bwa", "samtools", "bcftools", "tabix"]
  static let inCI = ProcessInfo.processInfo.environment["CI"] != nil
  static let available = names.allSatisfy { name in
    (try? Shell.run("command -v \(name)"))?.status == 0
  }
}

/// Runs shell commands for the end-to-end test.
enum Shell {
  struct Result {
    var status: Int32
    var output: String
  }

  static func run(_ command: String, in directory: URL? = nil) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
  }
}

@Suite("Genome truth end to end")
struct EndToEndTests {
  @Test(
    "bwa + bcftools recover the spiked variants; samtools and bcftools accept the outputs",
    .enabled(
      if: ExternalTools.available || ExternalTools.inCI,
      "needs bwa, samtools, bcftools and tabix on PATH (scripts/setup installs them; CI runs this)")
  )
  func recovery() throws {
    try #require(
      ExternalTools.available, "CI must have bwa, samtools, bcftools and tabix: run scripts/setup")
    let folder = try Fixture.workspace("e2e")
    let out = folder.appendingPathComponent("sim")
    // The real variants of the VCF's first sample plus 100 random SNPs and indels, 30x, 2×150 bp.
    let request = SimulationRequest(
      referencePath: folder.appendingPathComponent("ref.fa").path,
      variantsPath: folder.appendingPathComponent("test.vcf.gz").path,
      random: RandomVariantOptions(snpCount: 50, indelCount: 50),
      reads: ReadOptions(readLength: 150, coverage: 30), outputDirectory: out.path, seed: 2026)
    let summary = try GenomeSimulator.run(request)
    #expect(summary.spike.givenPlaced > 10)
    #expect(summary.spike.randomPlaced == 100)

    func sh(_ command: String) throws -> String {
      let result = try Shell.run(command, in: folder)
      #expect(result.status == 0, "command failed: \(command)\n\(result.output)")
      return result.output
    }
    _ = try sh("samtools quickcheck -v sim/golden.bam")
    _ = try sh("bcftools norm --check-ref e -f ref.fa sim/truth.vcf.gz -Ou -o /dev/null")
    _ = try sh("tabix -f -p vcf sim/truth.vcf.gz")
    // Doppel's BAI answers region queries exactly as an index made by samtools does.
    _ = try sh("cp sim/golden.bam copy.bam && samtools index copy.bam")
    var random = SeededGenerator(seed: 8)
    for _ in 0..<12 {
      let start = 9_000 + random.nextInt(below: 225_000)
      let region = "1:\(start)-\(start + random.nextInt(below: 40_000))"
      let ours = try sh("samtools view -c sim/golden.bam \(region)")
      let theirs = try sh("samtools view -c copy.bam \(region)")
      #expect(ours == theirs, "region \(region)")
    }
    // samtools must see the same records and positions as Doppel's own check.
    let sam = try sh("samtools view sim/golden.bam | cut -f 1-6,10")
    let reads: [AlignedRead] = sam.split(separator: "\n").map { line in
      let fields = line.split(separator: "\t")
      var cigar: [(op: Character, length: Int)] = []
      var number = 0
      for character in fields[5] {
        if let digit = character.wholeNumberValue {
          number = number * 10 + digit
        } else {
          cigar.append((character, number))
          number = 0
        }
      }
      return AlignedRead(
        name: String(fields[0]), flag: Int(fields[1]) ?? 0, position: (Int(fields[3]) ?? 0) - 1,
        cigar: cigar, sequence: Array(fields[6].utf8))
    }
    #expect(reads.count == summary.reads)
    let reference = try Reference.read(path: folder.appendingPathComponent("ref.fa").path)
    let truth = try AlignmentCheck.truthVariants(
      path: out.appendingPathComponent("truth.vcf.gz").path, reference: reference)
    let check = AlignmentCheck.mismatches(
      reads: reads, reference: reference.contigs[0].sequence, truth: truth)
    #expect(check.badLength == 0)
    #expect(check.mismatches <= summary.errors)

    _ = try sh("bwa index ref.fa 2>/dev/null")
    _ = try sh(
      "bwa mem -t 2 -R '@RG\\tID:S\\tSM:S' ref.fa sim/R1.fastq.gz sim/R2.fastq.gz 2>/dev/null"
        + " | samtools sort -o aligned.bam - && samtools index aligned.bam")
    _ = try sh(
      "bcftools mpileup -f ref.fa aligned.bam -Ou 2>/dev/null | bcftools call -mv -Ou 2>/dev/null"
        + " | bcftools norm -f ref.fa -m- -Oz -o calls.vcf.gz 2>/dev/null")
    let report = try VariantComparison.compare(
      truthPath: out.appendingPathComponent("truth.vcf.gz").path,
      callsPath: folder.appendingPathComponent("calls.vcf.gz").path, reference: reference,
      minimumQuality: 20)
    let snp = try #require(report.score("SNP"))
    let indel = try #require(report.score("INDEL"))
    print(
      "genome end to end: SNP recall \(snp.recall) (\(snp.truePositives)/\(snp.truth)), precision "
        + "\(snp.precision); INDEL recall \(indel.recall) (\(indel.truePositives)/\(indel.truth)), "
        + "precision \(indel.precision)")
    #expect(snp.recall >= 0.99)
    #expect(indel.recall >= 0.95)
  }
}
