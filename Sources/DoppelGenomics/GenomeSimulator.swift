import DoppelCore
import Foundation

/// Everything `doppel genome simulate` needs: inputs, variant and read options, outputs.
public struct SimulationRequest: Sendable {
  /// The reference FASTA.
  public var referencePath: String
  /// A VCF of variants to spike, if any.
  public var variantsPath: String?
  /// The VCF sample whose genotypes to use; the first when `nil`.
  public var variantSample: String?
  /// Random variants to add.
  public var random: RandomVariantOptions
  /// A BED file of targets (exome mode), if any.
  public var targetsPath: String?
  /// Regions to simulate (`NAME` or `NAME:START-END`); the whole reference when empty.
  public var regions: [String]
  /// How reads are drawn.
  public var reads: ReadOptions
  /// The folder for the outputs (created if missing).
  public var outputDirectory: String
  /// The sample name in the truth VCF and the BAM read group.
  public var sampleName: String
  /// Whether to write the mutated haplotypes as `haplotypes.fa`.
  public var writeHaplotypes: Bool
  /// Whether to write the golden BAM.
  public var writeBAM: Bool
  /// zlib level of the compressed outputs.
  public var compressionLevel: Int
  /// The seed; equal seeds give byte-identical outputs.
  public var seed: UInt64
  /// Recorded in the BAM `@PG` and VCF headers.
  public var commandLine: String
  /// Blocks worked on at once are twice this; `nil` uses every core, 1 works serially. The
  /// output does not depend on it.
  public var threads: Int?

  /// Creates a request with defaults for everything but the reference and the output folder.
  public init(
    referencePath: String, variantsPath: String? = nil, variantSample: String? = nil,
    random: RandomVariantOptions = RandomVariantOptions(), targetsPath: String? = nil,
    regions: [String] = [], reads: ReadOptions = ReadOptions(), outputDirectory: String,
    sampleName: String = "SAMPLE", writeHaplotypes: Bool = false, writeBAM: Bool = true,
    compressionLevel: Int = 1, seed: UInt64 = 1, commandLine: String = "doppel genome simulate",
    threads: Int? = nil
  ) {
    self.threads = threads
    self.referencePath = referencePath
    self.variantsPath = variantsPath
    self.variantSample = variantSample
    self.random = random
    self.targetsPath = targetsPath
    self.regions = regions
    self.reads = reads
    self.outputDirectory = outputDirectory
    self.sampleName = sampleName
    self.writeHaplotypes = writeHaplotypes
    self.writeBAM = writeBAM
    self.compressionLevel = compressionLevel
    self.seed = seed
    self.commandLine = commandLine
  }
}

/// What a simulation produced.
public struct SimulationSummary: Sendable, Codable {
  /// Fragments drawn (read pairs, or single reads).
  public var fragments: Int
  /// Reads written.
  public var reads: Int
  /// Bases written.
  public var bases: Int
  /// Substitution errors drawn from the qualities.
  public var errors: Int
  /// Insertion and deletion errors (bases).
  public var indelErrors: Int
  /// Variants in the truth VCF, by kind.
  public var variantsByKind: [String: Int]
  /// What happened to the input variants.
  public var spike: SpikeCounts
  /// The files written.
  public var files: [String]
}

/// Simulates sequencing reads with known variants: the core of `doppel genome simulate`.
///
/// Steps: read the reference (and `.fai`), place given and random variants on two haplotypes
/// (normalized, overlaps skipped), then draw fragments block by block. Each 100 kbp block of the
/// reference has its own random stream derived from the seed, the contig name and the block
/// number, so the output is identical for any number of threads; blocks run on all cores and
/// their outputs are written in order. Alignments are coordinate-sorted with memory bounded by a
/// batch of blocks plus one fragment length of overhang.
public enum GenomeSimulator {
  /// Reference bases per block of independent work.
  public static let blockSize = 100_000

  /// Runs a simulation.
  /// - Parameters:
  ///   - request: Inputs, options and outputs.
  ///   - progress: Receives the blocks done per contig.
  /// - Returns: A summary of what was written.
  /// - Throws: ``DoppelError`` for bad input or failed writes; no partial output is left.
  public static func run(
    _ request: SimulationRequest, progress: ProgressReporter? = nil
  ) throws -> SimulationSummary {
    try validate(request)
    let reference = try Reference.read(path: request.referencePath)
    var regions =
      try request.regions.isEmpty
      ? reference.contigs.indices.map {
        GenomicRegion(contig: $0, start: 0, end: reference.contigs[$0].sequence.count)
      } : request.regions.map { try GenomicRegion.parse($0, reference: reference) }
    regions.sort { ($0.contig, $0.start) < ($1.contig, $1.start) }
    let targets = try request.targetsPath.map { try TargetSet.read(path: $0, reference: reference) }
    var counts = SpikeCounts()
    var variants: [Variant] = []
    if let path = request.variantsPath {
      let vcf = try VCFFile.read(path: path, sample: request.variantSample)
      variants += VariantPlanner.givenVariants(
        vcf, reference: reference, regions: regions, targets: targets,
        hetHomRatio: request.random.hetHomRatio, seed: request.seed, counts: &counts)
    }
    if request.random.snpCount == nil {
      // Rates: each region has its own stream, so a region gives the same variants whether it
      // is simulated alone or with others.
      for region in regions {
        variants += VariantPlanner.randomVariants(
          request.random, reference: reference, regions: [region], targets: targets,
          seed: SeededGenerator.derive(
            seed: request.seed, label: "genome/region/" + reference.contigs[region.contig].name,
            index: UInt64(region.start)))
      }
    } else {
      variants += VariantPlanner.randomVariants(
        request.random, reference: reference, regions: regions, targets: targets,
        seed: request.seed)
    }
    variants = VariantPlanner.resolve(variants, reference: reference, counts: &counts)

    try FileManager.default.createDirectory(
      atPath: request.outputDirectory, withIntermediateDirectories: true)
    let directory =
      request.outputDirectory.hasSuffix("/")
      ? request.outputDirectory : request.outputDirectory + "/"
    var files: [String] = []

    let paddedTargets = try request.targetsPath.map {
      try TargetSet.read(path: $0, reference: reference, padding: request.reads.targetPadding)
    }
    var engine = try ReadEngine(
      request: request, reference: reference, regions: regions, targets: paddedTargets,
      directory: directory)
    var haplotypeContigs: [Contig] = []
    var byContig: [Int: [Variant]] = [:]
    for variant in variants { byContig[variant.contig, default: []].append(variant) }
    var doneContigs = Set<Int>()
    for region in regions where doneContigs.insert(region.contig).inserted {
      let contig = reference.contigs[region.contig]
      let contigVariants = byContig[region.contig] ?? []
      let haplotypes = (0..<VariantPlanner.ploidy).map { haplotype in
        Haplotype(
          reference: contig.sequence,
          variants: contigVariants.filter { $0.haplotypes & (1 << UInt8(haplotype)) != 0 })
      }
      if request.writeHaplotypes {
        for (index, haplotype) in haplotypes.enumerated() {
          haplotypeContigs.append(
            Contig(name: "\(contig.name)_hap\(index + 1)", sequence: haplotype.sequence))
        }
      }
      try engine.simulate(contig: region.contig, haplotypes: haplotypes, progress: progress)
    }
    files += try engine.finish()
    let truthPath = directory + "truth.vcf.gz"
    try VCFFile.writeTruth(
      variants, reference: reference, sample: request.sampleName, to: truthPath,
      commandLine: request.commandLine)
    files.append(truthPath)
    if request.writeHaplotypes {
      let path = directory + "haplotypes.fa"
      try Reference.writeFASTA(haplotypeContigs, to: path)
      files.append(path)
    }
    var kinds: [String: Int] = [:]
    for variant in variants { kinds[variant.kind.rawValue, default: 0] += 1 }
    return SimulationSummary(
      fragments: engine.fragments, reads: engine.reads, bases: engine.bases, errors: engine.errors,
      indelErrors: engine.indelErrors,
      variantsByKind: kinds, spike: counts, files: files)
  }

  static func validate(_ request: SimulationRequest) throws {
    let reads = request.reads
    var problems: [String] = []
    if reads.readLength < 10 || reads.readLength > 10_000 {
      problems.append("the read length must be 10 to 10,000 bases")
    }
    if !(reads.coverage > 0) || reads.coverage > 100_000 {
      problems.append("the coverage must be above 0")
    }
    if reads.paired && !(reads.fragmentMean >= Double(reads.readLength)) {
      problems.append("the mean fragment length must be at least the read length")
    }
    if !(reads.fragmentStandardDeviation >= 0) {
      problems.append("the fragment length standard deviation must be 0 or more")
    }
    if !(0..<1).contains(reads.offTargetFraction) {
      problems.append("the off-target fraction must be in [0, 1)")
    }
    if !(0..<0.1).contains(reads.indelErrorRate) {
      problems.append("the indel error rate must be in [0, 0.1) per base")
    }
    if reads.targetPadding < 0 { problems.append("the target padding must be 0 or more") }
    if !(2...60).contains(reads.qualityStart) || !(2...60).contains(reads.qualityEnd) {
      problems.append("the qualities must be 2 to 60")
    }
    let rates = [
      request.random.snpRate, request.random.mnpRate, request.random.insertionRate,
      request.random.deletionRate,
    ]
    if rates.contains(where: { !($0 >= 0 && $0 < 0.2) }) {
      problems.append("variant rates must be in [0, 0.2) per base")
    }
    if (request.random.snpCount ?? 0) < 0 || (request.random.indelCount ?? 0) < 0 {
      problems.append("variant counts must be 0 or more")
    }
    if !(request.random.meanIndelLength >= 1) || request.random.maxIndelLength < 1 {
      problems.append("indel lengths must be at least 1")
    }
    if !(request.random.hetHomRatio >= 0) || !(request.random.transitionTransversionRatio > 0) {
      problems.append("the het/hom ratio must be 0 or more and the Ts/Tv ratio above 0")
    }
    if let threads = request.threads, threads < 1 { problems.append("threads must be at least 1") }
    if request.sampleName.isEmpty || request.sampleName.contains(where: \.isWhitespace) {
      problems.append("the sample name must be non-empty without spaces")
    }
    if !problems.isEmpty {
      throw DoppelError(.invalidArgument, problems.joined(separator: "; "))
    }
  }
}
