import DoppelCore
import Foundation

/// One VCF data line, split into what Doppel uses.
public struct VCFRecord: Sendable {
  /// The CHROM field.
  public var chrom: String
  /// The 1-based POS field.
  public var position: Int
  /// The REF allele, upper-cased.
  public var ref: [UInt8]
  /// The ALT alleles, upper-cased (symbolic alleles kept as written).
  public var alts: [[UInt8]]
  /// The QUAL field, or `nil` for `.`.
  public var quality: Double?
  /// Whether FILTER is `PASS` or `.`.
  public var passes: Bool
  /// The chosen sample's GT allele indexes (`nil` for `.`), or `nil` for a sites-only file.
  public var genotype: [Int?]?
  /// The 1-based line number in the file.
  public var line: Int
}

/// Reads VCF files (plain, gzip or BGZF) and writes bgzipped VCF.
///
/// The reader keeps float QUAL values, any number of samples (one chosen by name, the first by
/// default) and sites-only files. Records that cannot be used are counted, not fatal.
public struct VCFFile: Sendable {
  /// The sample names from the `#CHROM` line.
  public var samples: [String]
  /// The chosen sample, if the file has samples.
  public var sample: String?
  /// The records in file order.
  public var records: [VCFRecord]

  /// Reads a VCF.
  /// - Parameters:
  ///   - path: The file.
  ///   - sample: The sample whose genotypes to read; the first sample when `nil`.
  /// - Returns: The parsed file.
  /// - Throws: ``DoppelError`` `invalidValue` for a malformed line, `invalidArgument` for an
  ///   unknown sample.
  public static func read(path: String, sample: String? = nil) throws -> VCFFile {
    let bytes = try Gzip.readFile(path)
    var samples: [String] = []
    var sampleColumn: Int?
    var records: [VCFRecord] = []
    var sawHeader = false
    var lineNumber = 0
    for rawLine in bytes.split(separator: 10, omittingEmptySubsequences: false) {
      lineNumber += 1
      var line = rawLine
      if line.last == 13 { line = line.dropLast() }
      if line.isEmpty { continue }
      if line.first == UInt8(ascii: "#") {
        if line.starts(with: Array("#CHROM".utf8)) {
          let fields = line.split(separator: 9).map { String(decoding: $0, as: UTF8.self) }
          samples = fields.count > 9 ? Array(fields[9...]) : []
          if let sample {
            guard let index = samples.firstIndex(of: sample) else {
              throw DoppelError(
                .invalidArgument, "the VCF has no sample of the requested name; list its samples",
                context: .init(file: path))
            }
            sampleColumn = 9 + index
          } else if !samples.isEmpty {
            sampleColumn = 9
          }
          sawHeader = true
        }
        continue
      }
      let fields = line.split(separator: 9, omittingEmptySubsequences: false)
      guard fields.count >= 8, let position = Int(String(decoding: fields[1], as: UTF8.self)),
        position >= 1
      else {
        throw DoppelError(
          .invalidValue, "a VCF data line needs at least 8 tab-separated fields and a numeric POS",
          context: .init(file: path, line: lineNumber))
      }
      let ref = upper(fields[3])
      let alts =
        fields[4].count == 1 && fields[4].first == UInt8(ascii: ".")
        ? [] : fields[4].split(separator: UInt8(ascii: ",")).map { upper($0) }
      let qualityText = String(decoding: fields[5], as: UTF8.self)
      let filter = String(decoding: fields[6], as: UTF8.self)
      var genotype: [Int?]?
      if let column = sampleColumn, fields.count > column, fields.count > 8 {
        let format = fields[8].split(separator: UInt8(ascii: ":"))
        if let gtIndex = format.firstIndex(where: { $0.elementsEqual("GT".utf8) }) {
          let values = fields[column].split(
            separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
          if gtIndex < values.count {
            let gt = values[gtIndex].split(
              omittingEmptySubsequences: false,
              whereSeparator: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "|") })
            genotype = gt.map { Int(String(decoding: $0, as: UTF8.self)) }
          } else {
            genotype = [nil]
          }
        }
      }
      records.append(
        VCFRecord(
          chrom: String(decoding: fields[0], as: UTF8.self), position: position, ref: ref,
          alts: alts, quality: qualityText == "." ? nil : Double(qualityText),
          passes: filter == "PASS" || filter == ".", genotype: genotype, line: lineNumber))
    }
    guard sawHeader || !records.isEmpty else {
      throw DoppelError(
        .emptyInput, "the VCF holds no header and no records", context: .init(file: path))
    }
    return VCFFile(
      samples: samples, sample: sampleColumn.map { samples[$0 - 9] }, records: records)
  }

  private static func upper(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
    bytes.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 32 : $0 }
  }

  /// Whether an allele is symbolic (`<DEL>`, breakends, `*`) and so cannot be placed as sequence.
  public static func isSymbolic(_ allele: [UInt8]) -> Bool {
    allele.isEmpty || allele.contains(UInt8(ascii: "<")) || allele.contains(UInt8(ascii: "["))
      || allele.contains(UInt8(ascii: "]")) || allele == [UInt8(ascii: "*")]
      || allele == [UInt8(ascii: ".")]
      || allele.contains { !"ACGTN".utf8.contains($0) }
  }

  /// Writes variants as a bgzipped, coordinate-sorted VCF 4.2 with phased genotypes.
  /// - Parameters:
  ///   - variants: The variants (any order; written sorted by contig, position, alleles).
  ///   - reference: The reference, for the `##contig` lines and names.
  ///   - sample: The sample column name.
  ///   - path: The `.vcf.gz` output.
  ///   - commandLine: Written as a `##doppelCommand` header line when given.
  /// - Throws: ``DoppelError`` `io` when writing fails.
  public static func writeTruth(
    _ variants: [Variant], reference: Reference, sample: String, to path: String,
    commandLine: String? = nil
  ) throws {
    var text = "##fileformat=VCFv4.2\n##source=doppel genome simulate\n"
    if let commandLine { text += "##doppelCommand=\(commandLine)\n" }
    for contig in reference.contigs {
      text += "##contig=<ID=\(contig.name),length=\(contig.sequence.count)>\n"
    }
    text += """
      ##INFO=<ID=VT,Number=1,Type=String,Description="Variant type: SNP, MNP, INS, DEL or COMPLEX">
      ##INFO=<ID=ORIGIN,Number=1,Type=String,Description="given (from the input VCF) or random">
      ##FORMAT=<ID=GT,Number=1,Type=String,Description="Phased genotype, haplotype 1|haplotype 2">
      #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t\(sample)

      """
    let sorted = variants.sorted(by: Variant.precedes)
    let writer = try BGZFWriter(path: path)
    try writer.write(Array(text.utf8))
    var line: [UInt8] = []
    for variant in sorted {
      line.removeAll(keepingCapacity: true)
      line.append(contentsOf: reference.contigs[variant.contig].name.utf8)
      line.append(9)
      line.append(contentsOf: String(variant.position + 1).utf8)
      line.append(contentsOf: Array("\t.\t".utf8))
      line.append(contentsOf: variant.ref)
      line.append(9)
      line.append(contentsOf: variant.alt)
      let info =
        "\t.\tPASS\tVT=\(variant.kind.rawValue);ORIGIN=\(variant.given ? "given" : "random")"
      line.append(contentsOf: info.utf8)
      line.append(contentsOf: "\tGT\t\(variant.genotypeText)\n".utf8)
      try writer.write(line)
    }
    try writer.finish()
  }
}
