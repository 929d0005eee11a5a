import DoppelGenomics
import Foundation

/// Paths and helpers shared by the genomics tests.
enum Fixture {
  static var directory: URL {
    Bundle.module.bundleURL.appendingPathComponent("Fixtures")
  }

  /// Copies the reference (and VCF) into a fresh temporary folder, so a `.fai` never lands in
  /// the bundle.
  static func workspace(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent(
        "doppel-genomics-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(at: folder)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for file in ["human_g1k_v37_truncated.fasta", "test.vcf.gz"] {
      try FileManager.default.copyItem(
        at: directory.appendingPathComponent(file),
        to: folder.appendingPathComponent(file == "test.vcf.gz" ? file : "ref.fa"))
    }
    return folder
  }
}

/// One alignment as the tests need it.
struct AlignedRead {
  var name: String
  var flag: Int
  var position: Int  // 0-based
  var cigar: [(op: Character, length: Int)]
  var sequence: [UInt8]
}

/// A minimal BAM decoder for checking the golden BAM without external tools.
enum BAMDecoder {
  static func read(path: String) throws -> (header: String, reads: [AlignedRead]) {
    let bytes = try Gzip.readFile(path)
    func int32(_ at: Int) -> Int {
      Int(
        Int32(
          bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16
            | UInt32(bytes[at + 3]) << 24))
    }
    guard bytes.count > 12, bytes[0..<4].elementsEqual([66, 65, 77, 1]) else {
      throw DoppelGenomicsTestError.badBAM
    }
    let textLength = int32(4)
    let header = String(decoding: bytes[8..<(8 + textLength)], as: UTF8.self)
    var offset = 8 + textLength
    let references = int32(offset)
    offset += 4
    for _ in 0..<references { offset += 4 + int32(offset) + 4 }
    var reads: [AlignedRead] = []
    let codes = Array("=ACMGRSVTWYHKDBN".utf8)
    let ops = Array("MIDNSHP=X")
    while offset < bytes.count {
      let size = int32(offset)
      let start = offset + 4
      let position = int32(start + 4)
      let nameLength = Int(bytes[start + 8])
      let cigarCount = Int(bytes[start + 12]) | Int(bytes[start + 13]) << 8
      let flag = Int(bytes[start + 14]) | Int(bytes[start + 15]) << 8
      let sequenceLength = int32(start + 16)
      var cursor = start + 32
      let name = String(decoding: bytes[cursor..<(cursor + nameLength - 1)], as: UTF8.self)
      cursor += nameLength
      var cigar: [(Character, Int)] = []
      for _ in 0..<cigarCount {
        let word = int32(cursor)
        cigar.append((ops[word & 0xf], word >> 4))
        cursor += 4
      }
      var sequence: [UInt8] = []
      for index in 0..<sequenceLength {
        let byte = bytes[cursor + index / 2]
        sequence.append(codes[Int(index % 2 == 0 ? byte >> 4 : byte & 0xf)])
      }
      reads.append(
        AlignedRead(name: name, flag: flag, position: position, cigar: cigar, sequence: sequence))
      offset = start + size
    }
    return (header, reads)
  }
}

enum DoppelGenomicsTestError: Error { case badBAM }

/// Checks reads against the reference and the truth variants.
enum AlignmentCheck {
  /// Walks each read's CIGAR from its position and counts bases that match neither the
  /// reference nor a truth allele there. Wrong positions or CIGARs give mismatches on about
  /// three bases in four; correct ones only at sequencing errors.
  static func mismatches(
    reads: [AlignedRead], reference: [UInt8], truth: [Variant]
  ) -> (mismatches: Int, badLength: Int, bases: Int) {
    var altAt: [Int: Set<UInt8>] = [:]
    var insertedAfter: [Int: Set<[UInt8]>] = [:]
    for variant in truth {
      if variant.ref.count == variant.alt.count {
        for (offset, base) in variant.alt.enumerated() {
          altAt[variant.position + offset, default: []].insert(base)
        }
      } else if variant.alt.count > variant.ref.count {
        insertedAfter[variant.position + variant.ref.count, default: []].insert(
          Array(variant.alt[variant.ref.count...]))
      }
    }
    var mismatches = 0
    var badLength = 0
    var bases = 0
    for read in reads {
      var refPosition = read.position
      var readPosition = 0
      for (op, length) in read.cigar {
        switch op {
        case "M", "=", "X":
          for k in 0..<length {
            let base = read.sequence[readPosition + k]
            let expected = refPosition + k < reference.count ? reference[refPosition + k] : 0
            if base != expected && base != UInt8(ascii: "N")
              && !(altAt[refPosition + k]?.contains(base) ?? false)
            {
              mismatches += 1
            }
          }
          bases += length
          refPosition += length
          readPosition += length
        case "I":
          let inserted = Array(read.sequence[readPosition..<(readPosition + length)])
          if !(insertedAfter[refPosition]?.contains(inserted) ?? false) {
            mismatches += 1
          }
          readPosition += length
        case "S":
          readPosition += length
        case "D":
          refPosition += length
        default:
          break
        }
      }
      if readPosition != read.sequence.count { badLength += 1 }
    }
    return (mismatches, badLength, bases)
  }

  /// Reads the truth VCF into variants on contig 0.
  static func truthVariants(path: String, reference: Reference) throws -> [Variant] {
    let vcf = try VCFFile.read(path: path)
    return vcf.records.compactMap { record in
      guard let contig = reference.index(of: record.chrom), let alt = record.alts.first else {
        return nil
      }
      return Variant(contig: contig, position: record.position - 1, ref: record.ref, alt: alt)
    }
  }
}
