/// Encodes alignments in the binary BAM format (SAM/BAM specification v1.6, section 4.2).
public enum BAMRecord {
  /// The 4-bit codes of `=ACMGRSVTWYHKDBN`, indexed by ASCII.
  static let baseCode: [UInt8] = {
    var table = [UInt8](repeating: 15, count: 256)
    for (code, base) in "=ACMGRSVTWYHKDBN".utf8.enumerated() { table[Int(base)] = UInt8(code) }
    return table
  }()

  /// The UCSC binning scheme bin of the 0-based half-open interval `[begin, end)` (SAM
  /// specification, section 5.3, `reg2bin`).
  /// - Parameters:
  ///   - begin: First base, 0-based.
  ///   - end: One past the last base.
  /// - Returns: The bin number.
  public static func bin(begin: Int, end: Int) -> Int {
    let end = end - 1
    if begin >> 14 == end >> 14 { return ((1 << 15) - 1) / 7 + (begin >> 14) }
    if begin >> 17 == end >> 17 { return ((1 << 12) - 1) / 7 + (begin >> 17) }
    if begin >> 20 == end >> 20 { return ((1 << 9) - 1) / 7 + (begin >> 20) }
    if begin >> 23 == end >> 23 { return ((1 << 6) - 1) / 7 + (begin >> 23) }
    if begin >> 26 == end >> 26 { return ((1 << 3) - 1) / 7 + (begin >> 26) }
    return 0
  }

  /// Appends one BAM alignment record to `out`.
  /// - Parameters:
  ///   - out: The buffer.
  ///   - name: Read name (ASCII, without `@`).
  ///   - contig: Reference index.
  ///   - position: 0-based leftmost aligned base.
  ///   - mapq: Mapping quality.
  ///   - flag: SAM flag bits.
  ///   - cigar: CIGAR words (`length << 4 | op`).
  ///   - span: Reference bases covered (for the bin).
  ///   - sequence: Bases on the forward strand.
  ///   - qualities: Phred scores (not +33), forward strand order.
  ///   - mateContig: Mate reference index, or -1.
  ///   - matePosition: Mate position, or -1.
  ///   - templateLength: Signed TLEN.
  ///   - readGroup: Written as the `RG:Z` tag.
  public static func append(
    to out: inout [UInt8], name: ArraySlice<UInt8>, contig: Int, position: Int, mapq: UInt8,
    flag: UInt16, cigar: [UInt32], span: Int, sequence: ArraySlice<UInt8>,
    qualities: ArraySlice<UInt8>, mateContig: Int, matePosition: Int, templateLength: Int,
    readGroup: [UInt8]
  ) {
    let start = out.count
    appendInt32(&out, 0)  // block_size, filled in below
    appendInt32(&out, Int32(contig))
    appendInt32(&out, Int32(position))
    out.append(UInt8(name.count + 1))
    out.append(mapq)
    appendUInt16(&out, UInt16(bin(begin: position, end: position + max(1, span))))
    appendUInt16(&out, UInt16(cigar.count))
    appendUInt16(&out, flag)
    appendInt32(&out, Int32(sequence.count))
    appendInt32(&out, Int32(mateContig))
    appendInt32(&out, Int32(matePosition))
    appendInt32(&out, Int32(templateLength))
    out.append(contentsOf: name)
    out.append(0)
    for word in cigar { appendUInt32(&out, word) }
    var index = sequence.startIndex
    while index < sequence.endIndex {
      let high = baseCode[Int(sequence[index])]
      let next = sequence.index(after: index)
      let low = next < sequence.endIndex ? baseCode[Int(sequence[next])] : 0
      out.append(high << 4 | low)
      index = sequence.index(index, offsetBy: 2, limitedBy: sequence.endIndex) ?? sequence.endIndex
    }
    out.append(contentsOf: qualities)
    out.append(contentsOf: [UInt8(ascii: "R"), UInt8(ascii: "G"), UInt8(ascii: "Z")])
    out.append(contentsOf: readGroup)
    out.append(0)
    let size = UInt32(out.count - start - 4)
    for shift in 0..<4 { out[start + shift] = UInt8((size >> UInt32(8 * shift)) & 0xff) }
  }

  /// The BAM header block: magic, SAM header text and the reference list.
  /// - Parameters:
  ///   - text: The SAM header text.
  ///   - reference: The reference, for the `n_ref` entries.
  /// - Returns: The uncompressed header bytes.
  public static func header(text: String, reference: Reference) -> [UInt8] {
    var out: [UInt8] = Array("BAM".utf8) + [1]
    let textBytes = Array(text.utf8)
    appendInt32(&out, Int32(textBytes.count))
    out.append(contentsOf: textBytes)
    appendInt32(&out, Int32(reference.contigs.count))
    for contig in reference.contigs {
      appendInt32(&out, Int32(contig.name.utf8.count + 1))
      out.append(contentsOf: contig.name.utf8)
      out.append(0)
      appendInt32(&out, Int32(contig.sequence.count))
    }
    return out
  }

  static func appendInt32(_ out: inout [UInt8], _ value: Int32) {
    appendUInt32(&out, UInt32(bitPattern: value))
  }

  static func appendUInt32(_ out: inout [UInt8], _ value: UInt32) {
    out.append(UInt8(value & 0xff))
    out.append(UInt8((value >> 8) & 0xff))
    out.append(UInt8((value >> 16) & 0xff))
    out.append(UInt8(value >> 24))
  }

  static func appendUInt16(_ out: inout [UInt8], _ value: UInt16) {
    out.append(UInt8(value & 0xff))
    out.append(UInt8(value >> 8))
  }
}
