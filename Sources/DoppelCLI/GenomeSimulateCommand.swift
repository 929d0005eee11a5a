import ArgumentParser
import Doppel
import Foundation

/// `doppel genome simulate`: spike variants into a reference and draw reads from it.
struct GenomeSimulateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate",
    abstract: "Spike variants into a reference and simulate reads with a golden BAM and truth VCF.",
    discussion: """
      Writes R1.fastq.gz (and R2.fastq.gz for pairs), golden.bam and golden.bam.bai \
      (coordinate-sorted, true positions and CIGARs) and truth.vcf.gz (normalized, phased) into the output folder. \
      The same seed gives the same files on any number of cores. To spread a genome over \
      machines, run one command per --region and merge with samtools merge and bcftools concat.
      """)

  @Option(name: .long, help: "Reference FASTA (plain or gzip); a .fai is written if missing.")
  var reference: String

  @Option(name: .long, help: "VCF or VCF.gz of variants to spike.")
  var vcf: String?

  @Option(name: .long, help: "The VCF sample whose genotypes to spike (default: the first).")
  var vcfSample: String?

  @Option(name: .long, help: "BED of targets: exome mode (reads and variants on targets).")
  var targets: String?

  @Option(name: .long, help: "Region NAME or NAME:START-END (1-based); repeatable.")
  var region: [String] = []

  @Option(name: [.short, .long], help: "Output folder.")
  var output: String = "genome-sim"

  @Option(name: .long, help: "Random SNPs per base.") var snpRate: Double = 0
  @Option(name: .long, help: "Random MNPs per base.") var mnpRate: Double = 0
  @Option(name: .long, help: "Random insertions per base.") var insertionRate: Double = 0
  @Option(name: .long, help: "Random deletions per base.") var deletionRate: Double = 0
  @Option(name: .long, help: "Exact number of random SNPs (overrides the rates).") var snps: Int?
  @Option(name: .long, help: "Exact number of random indels (half insertions, half deletions).")
  var indels: Int?
  @Option(name: .long, help: "Mean random indel length (geometric).") var meanIndelLength = 2.0
  @Option(name: .long, help: "Longest random indel.") var maxIndelLength = 20
  @Option(name: .long, help: "Heterozygous to homozygous ratio.") var hetHomRatio = 2.0
  @Option(name: .long, help: "SNP transition/transversion ratio.") var titv = 2.0

  @Flag(name: .long, help: "Single-end reads instead of pairs.") var singleEnd = false
  @Option(name: .long, help: "Read length.") var readLength = 150
  @Option(name: .long, help: "Mean fragment length.") var fragmentMean = 400.0
  @Option(name: .long, help: "Fragment length standard deviation.") var fragmentSd = 50.0
  @Option(name: .long, help: "Mean coverage (over targets in exome mode).") var coverage = 30.0
  @Option(name: .long, help: "Mean quality at the first cycle.") var qualityStart = 37.0
  @Option(name: .long, help: "Mean quality at the last cycle.") var qualityEnd = 30.0
  @Option(name: .long, help: "Quality jitter per base.") var qualitySpread = 3
  @Option(name: .long, help: "Insertion/deletion sequencing errors per base (default 0).")
  var indelErrorRate = 0.0
  @Option(name: .long, help: "Exome mode: fraction of fragments off target.")
  var offTarget = 0.2
  @Option(name: .long, help: "Exome mode: bases added to each side of a target.")
  var targetPadding = 100

  @Option(name: .long, help: "Sample name in the truth VCF and the BAM read group.")
  var sample = "SAMPLE"
  @Flag(name: .long, help: "Also write the mutated haplotypes as haplotypes.fa.")
  var haplotypes = false
  @Flag(name: .long, help: "Do not write the golden BAM.") var noBam = false
  @Option(
    name: .long,
    help: "zlib level of the BGZF outputs: 1 (default) is fastest, 6 about 10% smaller.")
  var compressionLevel = 1
  @Option(name: .long, help: "Random seed.") var seed: UInt64 = 1
  @Option(name: .long, help: "Threads (default: all cores); the output does not depend on it.")
  var threads: Int?

  @OptionGroup var style: OutputStyleOptions

  func validate() throws {
    if !(0...9).contains(compressionLevel) {
      throw ValidationError("--compression-level must be 0 to 9")
    }
  }

  func run() async throws {
    let random = RandomVariantOptions(
      snpRate: snpRate, mnpRate: mnpRate, insertionRate: insertionRate,
      deletionRate: deletionRate, snpCount: snps ?? (indels == nil ? nil : 0), indelCount: indels,
      meanIndelLength: meanIndelLength, maxIndelLength: maxIndelLength, hetHomRatio: hetHomRatio,
      transitionTransversionRatio: titv)
    let reads = ReadOptions(
      readLength: readLength, paired: !singleEnd, fragmentMean: fragmentMean,
      fragmentStandardDeviation: fragmentSd, coverage: coverage, qualityStart: qualityStart,
      qualityEnd: qualityEnd, qualitySpread: qualitySpread, offTargetFraction: offTarget,
      targetPadding: targetPadding, indelErrorRate: indelErrorRate)
    let request = SimulationRequest(
      referencePath: reference, variantsPath: vcf, variantSample: vcfSample, random: random,
      targetsPath: targets, regions: region, reads: reads, outputDirectory: output,
      sampleName: sample, writeHaplotypes: haplotypes, writeBAM: !noBam,
      compressionLevel: compressionLevel, seed: seed,
      commandLine: (["doppel"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
      threads: threads)
    let summary = try GenomeSimulator.run(request, progress: style.progress())
    let kinds = summary.variantsByKind.sorted { $0.key < $1.key }
      .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    print("fragments: \(summary.fragments), reads: \(summary.reads), bases: \(summary.bases)")
    print("truth variants: \(kinds.isEmpty ? "none" : kinds)")
    let spike = summary.spike
    if spike.givenAlleles > 0 {
      print(
        "VCF alleles: \(spike.givenAlleles) read, \(spike.givenPlaced) placed; skipped: "
          + "\(spike.skippedNotCarried) not carried by the sample, \(spike.skippedSymbolic) "
          + "symbolic, \(spike.skippedOutside) outside region/targets, \(spike.skippedRefMismatch) "
          + "REF mismatch, \(spike.skippedOverlap) overlapping")
    }
    for file in summary.files { print("wrote \(file)") }
  }
}
