/// How reads are drawn from the haplotypes.
///
/// Qualities follow a position-dependent model: the mean Phred score falls quadratically from
/// `qualityStart` at the first cycle to `qualityEnd` at the last, each base varies uniformly by
/// up to `qualitySpread`, and a base is miscalled with probability `10^(-Q/10)`, so errors are
/// drawn from the very qualities written (as in ART, Huang et al., Bioinformatics 28(4), 2012,
/// in simplified form).
public struct ReadOptions: Sendable, Equatable {
  /// Bases per read.
  public var readLength: Int
  /// Whether to simulate read pairs (`true`) or single reads.
  public var paired: Bool
  /// Mean fragment (insert) length for pairs.
  public var fragmentMean: Double
  /// Standard deviation of the fragment length (normal distribution, at least one read long).
  public var fragmentStandardDeviation: Double
  /// Mean depth over the simulated bases (over targets in exome mode).
  public var coverage: Double
  /// Mean Phred quality at the first cycle.
  public var qualityStart: Double
  /// Mean Phred quality at the last cycle.
  public var qualityEnd: Double
  /// Uniform jitter of each quality around its mean, in Phred units.
  public var qualitySpread: Int
  /// Fragments with more than this fraction of `N` bases are redrawn.
  public var maxNFraction: Double
  /// In exome mode, the fraction of fragments drawn anywhere instead of on targets.
  public var offTargetFraction: Double
  /// In exome mode, bases added to each side of every target for read placement.
  public var targetPadding: Int
  /// Insertion and deletion errors per base (half each), away from the read ends; 0 by default.
  /// The golden CIGAR includes them, composed with the haplotype's true alignment.
  public var indelErrorRate: Double

  /// Creates read options with Illumina-like defaults (2×150 bp, 400 ± 50 bp fragments, 30x).
  public init(
    readLength: Int = 150, paired: Bool = true, fragmentMean: Double = 400,
    fragmentStandardDeviation: Double = 50, coverage: Double = 30, qualityStart: Double = 37,
    qualityEnd: Double = 30, qualitySpread: Int = 3, maxNFraction: Double = 0.1,
    offTargetFraction: Double = 0.2, targetPadding: Int = 100, indelErrorRate: Double = 0
  ) {
    self.indelErrorRate = indelErrorRate
    self.readLength = readLength
    self.paired = paired
    self.fragmentMean = fragmentMean
    self.fragmentStandardDeviation = fragmentStandardDeviation
    self.coverage = coverage
    self.qualityStart = qualityStart
    self.qualityEnd = qualityEnd
    self.qualitySpread = qualitySpread
    self.maxNFraction = maxNFraction
    self.offTargetFraction = offTargetFraction
    self.targetPadding = targetPadding
  }
}
