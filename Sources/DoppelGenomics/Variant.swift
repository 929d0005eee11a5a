/// The kind of a small variant, from the lengths of its alleles after trimming.
public enum VariantKind: String, Sendable, CaseIterable, Codable, Comparable {
  /// One base replaced by another.
  case snp = "SNP"
  /// Two or more adjacent bases replaced by as many others.
  case mnp = "MNP"
  /// Bases added after an anchor base.
  case insertion = "INS"
  /// Bases removed after an anchor base.
  case deletion = "DEL"
  /// Replacement of bases by a different number of other bases.
  case complex = "COMPLEX"

  /// Whether the kind changes the sequence length (an indel in the broad sense).
  public var isIndel: Bool { self == .insertion || self == .deletion || self == .complex }

  /// Orders kinds as listed.
  public static func < (lhs: VariantKind, rhs: VariantKind) -> Bool {
    let order = allCases
    return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
  }
}

/// One biallelic variant placed on haplotypes of a diploid genome.
///
/// `position` is 0-based on the reference; `ref` and `alt` are upper-case ASCII as in VCF (an
/// indel carries one anchor base before the change after normalization).
public struct Variant: Sendable, Equatable {
  /// The contig index in the reference.
  public var contig: Int
  /// 0-based position of the first base of `ref`.
  public var position: Int
  /// The reference allele.
  public var ref: [UInt8]
  /// The alternate allele.
  public var alt: [UInt8]
  /// Bit `h` is set when haplotype `h` (0 or 1) carries the alternate allele.
  public var haplotypes: UInt8
  /// Whether the variant came from the input VCF (`true`) or was drawn at random.
  public var given: Bool

  /// Creates a variant.
  /// - Parameters:
  ///   - contig: Contig index.
  ///   - position: 0-based position.
  ///   - ref: Reference allele.
  ///   - alt: Alternate allele.
  ///   - haplotypes: Bit mask of the haplotypes carrying `alt`.
  ///   - given: Whether it came from the input VCF.
  public init(
    contig: Int, position: Int, ref: [UInt8], alt: [UInt8], haplotypes: UInt8 = 0b11,
    given: Bool = false
  ) {
    self.contig = contig
    self.position = position
    self.ref = ref
    self.alt = alt
    self.haplotypes = haplotypes
    self.given = given
  }

  /// The kind, from the allele lengths and anchor.
  public var kind: VariantKind {
    if ref.count == alt.count { return ref.count == 1 ? .snp : .mnp }
    if ref.count == 1 && alt.first == ref.first { return .insertion }
    if alt.count == 1 && alt.first == ref.first { return .deletion }
    return .complex
  }

  /// One past the last reference base the variant covers.
  public var end: Int { position + ref.count }

  /// The VCF `GT` text for ploidy 2, phased (`1|0`, `0|1`, `1|1`).
  public var genotypeText: String {
    "\(haplotypes & 1 == 0 ? 0 : 1)|\(haplotypes & 2 == 0 ? 0 : 1)"
  }

  /// Orders variants by contig, position, then alleles.
  public static func precedes(_ a: Variant, _ b: Variant) -> Bool {
    if a.contig != b.contig { return a.contig < b.contig }
    if a.position != b.position { return a.position < b.position }
    if a.ref != b.ref { return a.ref.lexicographicallyPrecedes(b.ref) }
    return a.alt.lexicographicallyPrecedes(b.alt)
  }

  /// Left-aligns and trims the variant to its parsimonious form.
  ///
  /// This is the algorithm of Tan, Abecasis and Kang, "Unified representation of genetic
  /// variants", Bioinformatics 31(13):2202–2204, 2015 (as in `vt normalize` and `bcftools norm`):
  /// while both alleles end in the same base, drop it; when an allele becomes empty, prepend the
  /// preceding reference base to both; finally drop shared leading bases while both alleles keep
  /// at least one. Left shifting never moves the variant before `lowerBound`, so it does not
  /// cross an earlier variant on the same haplotype (whose sequence differs from the reference).
  /// - Parameters:
  ///   - sequence: The contig's reference sequence.
  ///   - lowerBound: The smallest position the variant may start at.
  /// - Returns: `false` when the alleles are equal (no variant) or do not fit the sequence.
  /// - Complexity: O(shift × allele length).
  @discardableResult
  public mutating func normalize(on sequence: [UInt8], lowerBound: Int = 0) -> Bool {
    guard ref != alt, !ref.isEmpty, !alt.isEmpty, position >= 0, end <= sequence.count else {
      return false
    }
    while let lastRef = ref.last, let lastAlt = alt.last, lastRef == lastAlt {
      if ref.count == 1 || alt.count == 1 {
        guard position - 1 >= lowerBound, position >= 1 else { break }
        position -= 1
        ref.insert(sequence[position], at: 0)
        alt.insert(sequence[position], at: 0)
      }
      ref.removeLast()
      alt.removeLast()
    }
    var leading = 0
    while ref.count - leading > 1 && alt.count - leading > 1 && ref[leading] == alt[leading] {
      leading += 1
    }
    if leading > 0 {
      ref.removeFirst(leading)
      alt.removeFirst(leading)
      position += leading
    }
    return true
  }
}
