import DoppelCore
import Foundation

/// One normalized allele used in a comparison, with its origin in the file.
public struct ComparedVariant: Sendable, Codable, Equatable {
  /// Contig name.
  public var chrom: String
  /// 1-based position after normalization.
  public var position: Int
  /// Reference allele.
  public var ref: String
  /// Alternate allele.
  public var alt: String
  /// Kind after normalization.
  public var kind: VariantKind
  /// QUAL of the record, if any.
  public var quality: Double?
}

/// Counts and scores for one variant kind.
public struct KindScore: Sendable, Codable, Equatable {
  /// The kind (`SNP`, `INS`, `DEL`, `COMPLEX`) or `INDEL` (all three indel kinds together).
  public var kind: String
  /// Truth alleles.
  public var truth: Int
  /// Truth alleles found in the calls.
  public var truePositives: Int
  /// Truth alleles not called.
  public var falseNegatives: Int
  /// Called alleles absent from the truth.
  public var falsePositives: Int

  /// TP / (TP + FN); 1 when there is no truth.
  public var recall: Double {
    truth == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
  }
  /// TP / (TP + FP); 1 when nothing was called.
  public var precision: Double {
    truePositives + falsePositives == 0
      ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
  }
  /// The harmonic mean of recall and precision.
  public var f1: Double {
    recall + precision == 0 ? 0 : 2 * recall * precision / (recall + precision)
  }
}

/// The result of comparing a call set with a truth set.
public struct ComparisonReport: Sendable, Codable {
  /// Scores per kind, then `INDEL` and `ALL`.
  public var scores: [KindScore]
  /// Truth alleles that were not called.
  public var missed: [ComparedVariant]
  /// Calls that are not in the truth.
  public var falseCalls: [ComparedVariant]
  /// Records skipped (symbolic alleles, unknown contigs, REF mismatches, filtered or low QUAL).
  public var skippedTruth: Int
  /// Call records skipped for the same reasons.
  public var skippedCalls: Int

  /// The score row for `kind` (`SNP`, `INDEL`, `ALL`, …).
  public func score(_ kind: String) -> KindScore? { scores.first { $0.kind == kind } }
}

/// Compares variant calls with a truth set after normalizing both, as `doppel genome evaluate`.
///
/// Both sides are split into biallelic records, decomposed (MNPs into their SNPs, so callers that
/// report adjacent SNPs separately still match), then left-aligned and trimmed against the
/// reference (Tan, Abecasis and Kang, Bioinformatics 31(13), 2015). An allele matches when
/// contig, position, REF and ALT agree; genotypes are not compared (like `vcfeval
/// --squash-ploidy`). Calls whose genotype carries no alternate allele are ignored, as are
/// filtered calls and calls below the minimum QUAL.
public enum VariantComparison {
  /// Compares two VCF files.
  /// - Parameters:
  ///   - truthPath: The truth VCF (plain or gzip).
  ///   - callsPath: The calls VCF.
  ///   - reference: The reference both refer to.
  ///   - targets: When given, only alleles starting inside a target count.
  ///   - minimumQuality: Calls with a lower QUAL are dropped (a missing QUAL is kept).
  /// - Returns: The report.
  /// - Throws: ``DoppelError`` when a file cannot be read.
  public static func compare(
    truthPath: String, callsPath: String, reference: Reference, targets: TargetSet? = nil,
    minimumQuality: Double = 0
  ) throws -> ComparisonReport {
    let truthFile = try VCFFile.read(path: truthPath)
    let callsFile = try VCFFile.read(path: callsPath)
    let (truth, skippedTruth) = normalized(
      truthFile, reference: reference, targets: targets, minimumQuality: nil)
    let (calls, skippedCalls) = normalized(
      callsFile, reference: reference, targets: targets, minimumQuality: minimumQuality)
    return compare(
      truth: truth, calls: calls, skippedTruth: skippedTruth, skippedCalls: skippedCalls)
  }

  /// Compares normalized allele lists.
  static func compare(
    truth: [ComparedVariant], calls: [ComparedVariant], skippedTruth: Int, skippedCalls: Int
  ) -> ComparisonReport {
    func key(_ v: ComparedVariant) -> String { "\(v.chrom)\t\(v.position)\t\(v.ref)\t\(v.alt)" }
    let callKeys = Set(calls.map(key))
    let truthKeys = Set(truth.map(key))
    let missed = truth.filter { !callKeys.contains(key($0)) }
    let falseCalls = calls.filter { !truthKeys.contains(key($0)) }
    var scores: [KindScore] = []
    let groups: [(String, (VariantKind) -> Bool)] =
      [VariantKind.snp, .insertion, .deletion, .complex].map { kind in
        (kind.rawValue, { $0 == kind })
      } + [("INDEL", { $0.isIndel }), ("ALL", { _ in true })]
    for (name, member) in groups {
      let truthCount = truth.filter { member($0.kind) }.count
      let missedCount = missed.filter { member($0.kind) }.count
      let falseCount = falseCalls.filter { member($0.kind) }.count
      scores.append(
        KindScore(
          kind: name, truth: truthCount, truePositives: truthCount - missedCount,
          falseNegatives: missedCount, falsePositives: falseCount))
    }
    return ComparisonReport(
      scores: scores, missed: missed, falseCalls: falseCalls, skippedTruth: skippedTruth,
      skippedCalls: skippedCalls)
  }

  /// Splits, decomposes, normalizes and deduplicates the alleles of a VCF.
  static func normalized(
    _ file: VCFFile, reference: Reference, targets: TargetSet?, minimumQuality: Double?
  ) -> ([ComparedVariant], Int) {
    var result: [ComparedVariant] = []
    var seen = Set<String>()
    var skipped = 0
    for record in file.records {
      guard let contig = reference.index(of: record.chrom), record.passes else {
        skipped += 1
        continue
      }
      if let minimumQuality, let quality = record.quality, quality < minimumQuality {
        skipped += 1
        continue
      }
      let sequence = reference.contigs[contig].sequence
      let position = record.position - 1
      guard position + record.ref.count <= sequence.count,
        sequence[position..<(position + record.ref.count)].elementsEqual(record.ref)
      else {
        skipped += 1
        continue
      }
      for (index, alt) in record.alts.enumerated() {
        if let genotype = record.genotype, !genotype.contains(index + 1) { continue }
        guard !VCFFile.isSymbolic(alt), !VCFFile.isSymbolic(record.ref) else {
          skipped += 1
          continue
        }
        var pieces: [Variant] = []
        if alt.count == record.ref.count {
          for offset in 0..<alt.count where alt[offset] != record.ref[offset] {
            pieces.append(
              Variant(
                contig: contig, position: position + offset, ref: [record.ref[offset]],
                alt: [alt[offset]]))
          }
        } else {
          pieces.append(Variant(contig: contig, position: position, ref: record.ref, alt: alt))
        }
        for var piece in pieces {
          guard piece.normalize(on: sequence) else { continue }
          if let targets,
            !targets.contains(contig: contig, start: piece.position, end: piece.position + 1)
          {
            continue
          }
          let item = ComparedVariant(
            chrom: record.chrom, position: piece.position + 1,
            ref: String(decoding: piece.ref, as: UTF8.self),
            alt: String(decoding: piece.alt, as: UTF8.self), kind: piece.kind,
            quality: record.quality)
          if seen.insert("\(item.chrom)\t\(item.position)\t\(item.ref)\t\(item.alt)").inserted {
            result.append(item)
          }
        }
      }
    }
    return (result, skipped)
  }
}
