import DoppelCore
import Foundation
import Testing

@testable import DoppelGenomics

@Suite("Genomics building blocks")
struct GenomicsUnitTests {
  /// Applies one variant to a sequence.
  private func apply(_ variant: Variant, to sequence: [UInt8]) -> [UInt8] {
    Array(sequence[..<variant.position]) + variant.alt + Array(sequence[variant.end...])
  }

  @Test("normalization moves a deletion in a repeat to its leftmost place and keeps the haplotype")
  func deletionInRepeat() {
    let sequence = Array("GCACACACAT".utf8)
    var variant = Variant(contig: 0, position: 5, ref: Array("CAC".utf8), alt: Array("C".utf8))
    let before = apply(variant, to: sequence)
    let normalized = variant.normalize(on: sequence)
    #expect(normalized)
    #expect(variant.position == 0)
    #expect(variant.ref == Array("GCA".utf8))
    #expect(variant.alt == Array("G".utf8))
    #expect(apply(variant, to: sequence) == before)
  }

  @Test("normalized random indels keep the haplotype, are parsimonious and fully left-aligned")
  func normalizationProperties() {
    var random = SeededGenerator(seed: 7)
    let bases = Array("AC".utf8)  // two letters make repeats common
    for _ in 0..<500 {
      let sequence = (0..<40).map { _ in bases[random.nextInt(below: 2)] }
      let position = 10 + random.nextInt(below: 20)
      let length = 1 + random.nextInt(below: 4)
      var variant: Variant
      if random.nextInt(below: 2) == 0 {
        variant = Variant(
          contig: 0, position: position, ref: Array(sequence[position...(position + length)]),
          alt: [sequence[position]])
      } else {
        variant = Variant(
          contig: 0, position: position, ref: [sequence[position]],
          alt: [sequence[position]] + (0..<length).map { _ in bases[random.nextInt(below: 2)] })
      }
      let before = apply(variant, to: sequence)
      let normalized = variant.normalize(on: sequence)
      #expect(normalized)
      #expect(apply(variant, to: sequence) == before)
      // Parsimonious: one anchor base, and the alleles differ in their last base.
      #expect(min(variant.ref.count, variant.alt.count) == 1)
      #expect(variant.ref.last != variant.alt.last || variant.position == 0)
    }
  }

  @Test("a bound stops left-alignment at an earlier variant")
  func boundedNormalization() {
    let sequence = Array("GCACACACAT".utf8)
    var variant = Variant(contig: 0, position: 5, ref: Array("CAC".utf8), alt: Array("C".utf8))
    let normalized = variant.normalize(on: sequence, lowerBound: 4)
    #expect(normalized)
    #expect(variant.position >= 4)
  }

  @Test("haplotype alignments reproduce every read from the reference and its variants")
  func haplotypeAlignments() throws {
    var random = SeededGenerator(seed: 11)
    let bases = Array("ACGT".utf8)
    let reference = (0..<5_000).map { _ in bases[random.nextInt(below: 4)] }
    var variants: [Variant] = []
    var position = 20
    while position < 4_900 {
      let kind = random.nextInt(below: 4)
      switch kind {
      case 0:
        let alt = bases.filter { $0 != reference[position] }[random.nextInt(below: 3)]
        variants.append(
          Variant(contig: 0, position: position, ref: [reference[position]], alt: [alt]))
      case 1:
        let length = 1 + random.nextInt(below: 12)
        variants.append(
          Variant(
            contig: 0, position: position, ref: [reference[position]],
            alt: [reference[position]] + (0..<length).map { _ in bases[random.nextInt(below: 4)] }))
      default:
        let length = 1 + random.nextInt(below: 12)
        variants.append(
          Variant(
            contig: 0, position: position, ref: Array(reference[position...(position + length)]),
            alt: [reference[position]]))
      }
      position = variants[variants.count - 1].end + 5 + random.nextInt(below: 60)
    }
    let haplotype = Haplotype(reference: reference, variants: variants)
    var reads: [AlignedRead] = []
    for index in 0..<2_000 {
      let start = random.nextInt(below: haplotype.sequence.count - 100)
      let aligned = try #require(haplotype.alignment(start: start, end: start + 100))
      let ops = Array("MIDNSHP=X")
      reads.append(
        AlignedRead(
          name: "r\(index)", flag: 0, position: aligned.position,
          cigar: aligned.cigar.map { (ops[Int($0 & 0xf)], Int($0 >> 4)) },
          sequence: Array(haplotype.sequence[start..<(start + 100)])))
      // A read starts and ends with an aligned base or a soft clip.
      #expect(aligned.cigar.first.map { $0 & 0xf == 0 || $0 & 0xf == 4 } ?? false)
      #expect(aligned.cigar.last.map { $0 & 0xf == 0 || $0 & 0xf == 4 } ?? false)
    }
    let check = AlignmentCheck.mismatches(reads: reads, reference: reference, truth: variants)
    #expect(check.mismatches == 0)
    #expect(check.badLength == 0)
    // The haplotype position of a reference base maps back onto that base.
    for variant in variants.prefix(50) {
      let after = variant.end + 2
      let hapPosition = haplotype.haplotypePosition(ofReference: after)
      #expect(haplotype.sequence[hapPosition] == reference[after])
    }
  }

  @Test("BGZF output inflates back to the input, in blocks of at most 64 KiB ending in EOF")
  func bgzfRoundTrip() throws {
    var random = SeededGenerator(seed: 3)
    let input = (0..<300_000).map { index in
      index % 3 == 0
        ? UInt8(truncatingIfNeeded: random.next()) : UInt8(ascii: "A") + UInt8(index % 4)
    }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("doppel-bgzf-test.gz")
      .path
    let writer = try BGZFWriter(path: path, level: 6)
    try writer.write(Array(input[..<100_000]))
    try writer.write(Array(input[100_000...]))
    try writer.finish()
    let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(try Gzip.inflateAll(file) == input)
    #expect(Array(file.suffix(28)) == BGZFWriter.eofBlock)
    var offset = 0
    var blocks = 0
    while offset < file.count {
      #expect(file[offset] == 0x1f && file[offset + 1] == 0x8b && file[offset + 12] == 0x42)
      let size = Int(file[offset + 16]) | Int(file[offset + 17]) << 8
      #expect(size + 1 <= 65_536)
      offset += size + 1
      blocks += 1
    }
    #expect(offset == file.count)
    #expect(blocks >= 6)
  }

  @Test("a sites-only VCF gets genotypes drawn from the seed")
  func sitesOnly() throws {
    let folder = try Fixture.workspace("sites")
    let reference = try Reference.read(path: folder.appendingPathComponent("ref.fa").path)
    let sequence = reference.contigs[0].sequence
    var text = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    for position in stride(from: 20_000, to: 20_400, by: 10) {
      let ref = sequence[position]
      let alt = ref == UInt8(ascii: "A") ? "C" : "A"
      text += "1\t\(position + 1)\t.\t\(Character(UnicodeScalar(ref)))\t\(alt)\t30.5\t.\t.\n"
    }
    let path = folder.appendingPathComponent("sites.vcf").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let vcf = try VCFFile.read(path: path)
    #expect(vcf.samples.isEmpty)
    var counts = SpikeCounts()
    let region = [GenomicRegion(contig: 0, start: 0, end: sequence.count)]
    let first = VariantPlanner.givenVariants(
      vcf, reference: reference, regions: region, targets: nil, hetHomRatio: 1, seed: 4,
      counts: &counts)
    let again = VariantPlanner.givenVariants(
      vcf, reference: reference, regions: region, targets: nil, hetHomRatio: 1, seed: 4,
      counts: &counts)
    #expect(first.count == 40)
    #expect(first == again)
    // Het/hom ratio 1: about half homozygous (40 draws; 8 to 32 is far outside chance).
    let hom = first.filter { $0.haplotypes == 0b11 }.count
    #expect((8...32).contains(hom))
    #expect(first.contains { $0.haplotypes == 0b01 } && first.contains { $0.haplotypes == 0b10 })
  }

  @Test("reg2bin follows the SAM specification's binning scheme")
  func bins() {
    // Level 5 bins (16 kbp) start at 4681; a read crossing a 16 kbp boundary goes a level up.
    #expect(BAMRecord.bin(begin: 0, end: 150) == 4681)
    #expect(BAMRecord.bin(begin: 16_384 * 3 + 10, end: 16_384 * 3 + 160) == 4681 + 3)
    #expect(BAMRecord.bin(begin: 16_300, end: 16_450) == 585)
    #expect(BAMRecord.bin(begin: 0, end: 1 << 29) == 0)
  }

  @Test("VCF reading keeps float QUAL, picks the sample's genotypes and splits multi-allelics")
  func vcfReading() throws {
    let folder = try Fixture.workspace("vcf")
    let vcf = try VCFFile.read(path: folder.appendingPathComponent("test.vcf.gz").path)
    #expect(vcf.samples.count == 189)
    #expect(vcf.records.count == 115)
    #expect(vcf.records.contains { ($0.quality ?? 0).rounded() != $0.quality })
    let text = """
      ##fileformat=VCFv4.2
      #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ta\tb
      1\t20001\t.\tC\tA,G\t12.5\tPASS\t.\tGT\t1|2\t0/0
      1\t20011\t.\tC\t<DEL>\t.\t.\t.\tGT\t1/1\t0/1

      """
    let reference = try Reference.read(path: folder.appendingPathComponent("ref.fa").path)
    let sequence = reference.contigs[0].sequence
    let fixed = text.replacingOccurrences(
      of: "\tC\tA,G", with: "\t\(Character(UnicodeScalar(sequence[20_000])))\tA,G"
    )
    .replacingOccurrences(
      of: "\tC\t<DEL>", with: "\t\(Character(UnicodeScalar(sequence[20_010])))\t<DEL>")
    let path = folder.appendingPathComponent("multi.vcf").path
    try Data(fixed.utf8).write(to: URL(fileURLWithPath: path))
    let parsed = try VCFFile.read(path: path, sample: "a")
    var counts = SpikeCounts()
    let variants = VariantPlanner.givenVariants(
      parsed, reference: reference,
      regions: [GenomicRegion(contig: 0, start: 0, end: sequence.count)], targets: nil,
      hetHomRatio: 2, seed: 1, counts: &counts)
    let placed = variants.filter { $0.alt != [sequence[20_000]] }
    #expect(counts.skippedSymbolic == 1)
    #expect(placed.count == 2 || placed.count == 1)
    #expect(Set(variants.map(\.haplotypes)) == [0b01, 0b10])
  }
}
