import DoppelCore
import Foundation

/// Rates and shapes of the random variants added to a genome.
///
/// Rates are per reference base (for example `0.001` is one SNP per kilobase). Indel lengths
/// follow a geometric distribution with the given mean, capped at `maxIndelLength`; MNPs are 2
/// or 3 bases. The transition/transversion ratio sets how often a SNP is a transition
/// (A↔G, C↔T): with ratio `r` the chance is `r / (r + 1)`, because each base has one transition
/// and two transversions.
public struct RandomVariantOptions: Sendable, Equatable {
  /// SNPs per base.
  public var snpRate: Double
  /// MNPs per base.
  public var mnpRate: Double
  /// Insertions per base.
  public var insertionRate: Double
  /// Deletions per base.
  public var deletionRate: Double
  /// Exact counts instead of rates: SNPs, then indels split evenly between insertions and
  /// deletions. Used when set (`nil` means rates).
  public var snpCount: Int?
  /// Exact number of indels (used with ``snpCount``).
  public var indelCount: Int?
  /// Mean indel length in bases (geometric distribution).
  public var meanIndelLength: Double
  /// The longest indel drawn.
  public var maxIndelLength: Int
  /// Heterozygous to homozygous ratio (2 means two het variants per hom one).
  public var hetHomRatio: Double
  /// Transition/transversion ratio of SNPs.
  public var transitionTransversionRatio: Double

  /// Creates options; the defaults give no random variants.
  public init(
    snpRate: Double = 0, mnpRate: Double = 0, insertionRate: Double = 0, deletionRate: Double = 0,
    snpCount: Int? = nil, indelCount: Int? = nil, meanIndelLength: Double = 2,
    maxIndelLength: Int = 20, hetHomRatio: Double = 2, transitionTransversionRatio: Double = 2
  ) {
    self.snpRate = snpRate
    self.mnpRate = mnpRate
    self.insertionRate = insertionRate
    self.deletionRate = deletionRate
    self.snpCount = snpCount
    self.indelCount = indelCount
    self.meanIndelLength = meanIndelLength
    self.maxIndelLength = maxIndelLength
    self.hetHomRatio = hetHomRatio
    self.transitionTransversionRatio = transitionTransversionRatio
  }
}

/// What happened to the input variants while they were placed.
public struct SpikeCounts: Sendable, Equatable, Codable {
  /// Alternate alleles read from the VCF (one per ALT of each record).
  public var givenAlleles = 0
  /// Alleles placed from the VCF.
  public var givenPlaced = 0
  /// Symbolic or non-ACGTN alleles skipped.
  public var skippedSymbolic = 0
  /// Alleles on contigs missing from the reference, outside the region or targets.
  public var skippedOutside = 0
  /// Records whose REF does not match the reference.
  public var skippedRefMismatch = 0
  /// Alleles not carried by the sample (`0/0`, `./.`).
  public var skippedNotCarried = 0
  /// Alleles that overlap an earlier variant on the same haplotype.
  public var skippedOverlap = 0
  /// Random variants placed.
  public var randomPlaced = 0

  /// Creates zero counts.
  public init() {}
}

/// Builds the list of variants to spike: given ones from a VCF, then random ones, normalized and
/// free of overlaps on each haplotype.
public enum VariantPlanner {
  /// The ploidy simulated.
  public static let ploidy = 2

  /// Reads given variants for the chosen sample from a VCF.
  ///
  /// Multi-allelic records are split; each haplotype carries the allele its GT names. Sites-only
  /// files (or records without GT) get a genotype drawn with `hetHomRatio` from a stream derived
  /// from `seed`. Unphased genotypes keep their written order as the phase.
  /// - Parameters:
  ///   - vcf: The parsed VCF.
  ///   - reference: The reference.
  ///   - regions: Where variants may lie.
  ///   - targets: When given, only variants entirely inside a target are kept.
  ///   - hetHomRatio: For sites without genotypes.
  ///   - seed: The seed.
  ///   - counts: Updated with what was kept and skipped.
  /// - Returns: The variants, unnormalized, in file order.
  public static func givenVariants(
    _ vcf: VCFFile, reference: Reference, regions: [GenomicRegion], targets: TargetSet?,
    hetHomRatio: Double, seed: UInt64, counts: inout SpikeCounts
  ) -> [Variant] {
    var random = SeededGenerator(seed: seed, label: "genome/given-genotypes")
    var result: [Variant] = []
    let homChance = 1 / (1 + max(0, hetHomRatio))
    for record in vcf.records {
      counts.givenAlleles += record.alts.count
      guard let contig = reference.index(of: record.chrom) else {
        counts.skippedOutside += record.alts.count
        continue
      }
      let position = record.position - 1
      let sequence = reference.contigs[contig].sequence
      let end = position + record.ref.count
      guard
        regions.contains(where: { $0.contig == contig && $0.start <= position && end <= $0.end }),
        targets?.contains(contig: contig, start: position, end: end) ?? true
      else {
        counts.skippedOutside += record.alts.count
        continue
      }
      guard end <= sequence.count, sequence[position..<end].elementsEqual(record.ref) else {
        counts.skippedRefMismatch += record.alts.count
        continue
      }
      var alleles: [Int?]
      if let genotype = record.genotype {
        alleles = genotype.count == 1 ? [genotype[0], genotype[0]] : Array(genotype.prefix(2))
      } else {
        let hom = random.nextUnit() < homChance
        let first = random.nextInt(below: 2)
        alleles = hom ? [1, 1] : (first == 0 ? [1, 0] : [0, 1])
        if record.alts.count > 1 {
          alleles = alleles.map { $0 == 1 ? 1 + random.nextInt(below: record.alts.count) : $0 }
        }
      }
      for (altIndex, alt) in record.alts.enumerated() {
        if VCFFile.isSymbolic(alt) || VCFFile.isSymbolic(record.ref) {
          counts.skippedSymbolic += 1
          continue
        }
        var mask: UInt8 = 0
        for (haplotype, allele) in alleles.enumerated() where allele == altIndex + 1 {
          mask |= 1 << UInt8(haplotype)
        }
        guard mask != 0 else {
          counts.skippedNotCarried += 1
          continue
        }
        result.append(
          Variant(
            contig: contig, position: position, ref: record.ref, alt: alt, haplotypes: mask,
            given: true))
      }
    }
    return result
  }

  /// Draws random variants in the regions (and targets), away from `N` bases.
  /// - Parameters:
  ///   - options: Rates and shapes.
  ///   - reference: The reference.
  ///   - regions: Where to place them.
  ///   - targets: When given, only inside targets.
  ///   - seed: The seed; each contig has its own stream.
  /// - Returns: The variants, in position order per contig.
  public static func randomVariants(
    _ options: RandomVariantOptions, reference: Reference, regions: [GenomicRegion],
    targets: TargetSet?, seed: UInt64
  ) -> [Variant] {
    var result: [Variant] = []
    let eligible: [[Range<Int>]] = regions.map { region in
      if let targets {
        return targets.clipped(contig: region.contig, start: region.start, end: region.end)
      }
      return [region.start..<region.end]
    }
    let totalLength = eligible.joined().reduce(0) { $0 + $1.count }
    guard totalLength > 0 else { return [] }
    var random = SeededGenerator(seed: seed, label: "genome/random-variants")
    let homChance = 1 / (1 + max(0, options.hetHomRatio))
    let transitionChance =
      options.transitionTransversionRatio / (options.transitionTransversionRatio + 1)
    // Counts per kind: exact when given, else rate × length with a random rounding.
    func draw(_ rate: Double) -> Int {
      let expected = rate * Double(totalLength)
      let whole = Int(expected)
      return whole + (random.nextUnit() < expected - Double(whole) ? 1 : 0)
    }
    var kinds: [VariantKind] = []
    if let snps = options.snpCount {
      kinds += Array(repeating: .snp, count: snps)
      let indels = options.indelCount ?? 0
      kinds += Array(repeating: .insertion, count: (indels + 1) / 2)
      kinds += Array(repeating: .deletion, count: indels / 2)
    } else {
      kinds += Array(repeating: .snp, count: draw(options.snpRate))
      kinds += Array(repeating: .mnp, count: draw(options.mnpRate))
      kinds += Array(repeating: .insertion, count: draw(options.insertionRate))
      kinds += Array(repeating: .deletion, count: draw(options.deletionRate))
    }
    let bases: [UInt8] = Array("ACGT".utf8)
    let continueChance = 1 - 1 / max(1, options.meanIndelLength)
    func indelLength() -> Int {
      var length = 1
      while length < options.maxIndelLength && random.nextUnit() < continueChance { length += 1 }
      return length
    }
    for kind in kinds {
      for _ in 0..<20 {
        // Pick a position uniformly over all eligible bases.
        var offset = random.nextInt(below: totalLength)
        var chosen: (contig: Int, position: Int)?
        for (regionIndex, list) in eligible.enumerated() {
          for range in list {
            if offset < range.count {
              chosen = (regions[regionIndex].contig, range.lowerBound + offset)
              break
            }
            offset -= range.count
          }
          if chosen != nil { break }
        }
        guard let (contig, position) = chosen else { break }
        let sequence = reference.contigs[contig].sequence
        var ref: [UInt8]
        var alt: [UInt8]
        switch kind {
        case .snp, .mnp:
          let length = kind == .snp ? 1 : 2 + random.nextInt(below: 2)
          guard position + length <= sequence.count else { continue }
          ref = Array(sequence[position..<(position + length)])
          alt = ref.map { base in
            guard let index = bases.firstIndex(of: base) else { return base }
            if random.nextUnit() < transitionChance { return bases[index ^ 2] }  // A↔G, C↔T
            let transversions = index % 2 == 0 ? [1, 3] : [0, 2]
            return bases[transversions[random.nextInt(below: 2)]]
          }
        case .insertion:
          ref = [sequence[position]]
          alt = ref + (0..<indelLength()).map { _ in bases[random.nextInt(below: 4)] }
        case .deletion, .complex:
          let length = indelLength()
          guard position + length + 1 <= sequence.count else { continue }
          ref = Array(sequence[position...(position + length)])
          alt = [ref[0]]
        }
        if ref.contains(where: { !bases.contains($0) }) { continue }
        if let targets,
          !targets.contains(contig: contig, start: position, end: position + ref.count)
        {
          continue
        }
        let hom = random.nextUnit() < homChance
        let mask: UInt8 = hom ? 0b11 : (random.nextInt(below: 2) == 0 ? 0b01 : 0b10)
        result.append(
          Variant(contig: contig, position: position, ref: ref, alt: alt, haplotypes: mask))
        break
      }
    }
    return result
  }

  /// Normalizes variants and drops those overlapping an earlier one on a shared haplotype.
  ///
  /// Variants are taken in position order (given before random at equal positions); each is
  /// left-aligned and trimmed (``Variant/normalize(on:lowerBound:)``) no further left than the
  /// end of the previous kept variant on its haplotypes.
  /// - Parameters:
  ///   - variants: Given and random variants.
  ///   - reference: The reference.
  ///   - counts: Records overlaps and placements.
  /// - Returns: Kept variants sorted by contig and position.
  public static func resolve(
    _ variants: [Variant], reference: Reference, counts: inout SpikeCounts
  ) -> [Variant] {
    let ordered = variants.enumerated().sorted { a, b in
      (a.element.contig, a.element.position, a.element.given ? 0 : 1, a.offset)
        < (b.element.contig, b.element.position, b.element.given ? 0 : 1, b.offset)
    }.map(\.element)
    var kept: [Variant] = []
    var lastEnd = [0, 0]
    var currentContig = -1
    for original in ordered {
      if original.contig != currentContig {
        currentContig = original.contig
        lastEnd = [0, 0]
      }
      var variant = original
      let haplotypes = (0..<ploidy).filter { variant.haplotypes & (1 << UInt8($0)) != 0 }
      let bound = haplotypes.map { lastEnd[$0] }.max() ?? 0
      guard variant.position >= bound,
        variant.normalize(on: reference.contigs[variant.contig].sequence, lowerBound: bound)
      else {
        if original.given { counts.skippedOverlap += 1 }
        continue
      }
      for haplotype in haplotypes { lastEnd[haplotype] = variant.end }
      kept.append(variant)
      if variant.given { counts.givenPlaced += 1 } else { counts.randomPlaced += 1 }
    }
    return kept.sorted(by: Variant.precedes)
  }
}
