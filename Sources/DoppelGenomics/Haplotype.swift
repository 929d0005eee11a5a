/// One haplotype of a contig: the reference with its variants applied, and the map back to
/// reference coordinates that gives each read its true position and CIGAR.
///
/// The map is a list of segments in haplotype order: matches (`M`, including substituted
/// bases), insertions (`I`, haplotype bases absent from the reference) and deletions (`D`,
/// reference bases absent from the haplotype). Its size grows with the number of variants, not
/// with the contig length.
public struct Haplotype: Sendable {
  /// A run of the alignment between haplotype and reference.
  struct Segment: Sendable {
    var hapStart: Int
    var refStart: Int
    var length: Int
    var op: UInt8  // CIGAR op code: 0 = M, 1 = I, 2 = D
    var hapEnd: Int { op == 2 ? hapStart : hapStart + length }
    var refEnd: Int { op == 1 ? refStart : refStart + length }
  }

  /// The haplotype's bases.
  public var sequence: [UInt8]
  var segments: [Segment]

  /// Applies variants to a reference sequence.
  /// - Parameters:
  ///   - reference: The contig's bases.
  ///   - variants: Variants of this haplotype, sorted by position and not overlapping.
  public init(reference: [UInt8], variants: [Variant]) {
    var sequence: [UInt8] = []
    sequence.reserveCapacity(reference.count)
    var segments: [Segment] = []
    var refCursor = 0
    func add(_ op: UInt8, _ length: Int, refStart: Int) {
      guard length > 0 else { return }
      if op == 0, let last = segments.last, last.op == 0, last.refEnd == refStart,
        last.hapEnd == sequence.count
      {
        segments[segments.count - 1].length += length
        return
      }
      segments.append(Segment(hapStart: sequence.count, refStart: refStart, length: length, op: op))
    }
    for variant in variants where variant.position >= refCursor && variant.end <= reference.count {
      add(0, variant.position - refCursor, refStart: refCursor)
      sequence.append(contentsOf: reference[refCursor..<variant.position])
      var prefix = 0
      while prefix < variant.ref.count && prefix < variant.alt.count
        && variant.ref[prefix] == variant.alt[prefix]
      {
        prefix += 1
      }
      let restRef = variant.ref.count - prefix
      let restAlt = variant.alt.count - prefix
      let substituted = min(restRef, restAlt)
      add(0, prefix + substituted, refStart: variant.position)
      if restAlt > substituted {
        let hapStart = sequence.count + prefix + substituted
        segments.append(
          Segment(
            hapStart: hapStart, refStart: variant.position + prefix + substituted,
            length: restAlt - substituted, op: 1))
      } else if restRef > substituted {
        segments.append(
          Segment(
            hapStart: sequence.count + prefix + substituted,
            refStart: variant.position + prefix + substituted, length: restRef - substituted, op: 2
          ))
      }
      sequence.append(contentsOf: variant.alt)
      refCursor = variant.end
    }
    add(0, reference.count - refCursor, refStart: refCursor)
    sequence.append(contentsOf: reference[refCursor...])
    self.sequence = sequence
    self.segments = segments
  }

  /// The haplotype position of reference position `refPosition` (for a deleted base, the
  /// haplotype position just after the deletion).
  public func haplotypePosition(ofReference refPosition: Int) -> Int {
    var low = 0
    var high = segments.count
    while low < high {
      let mid = (low + high) / 2
      if segments[mid].refEnd <= refPosition && segments[mid].op != 1
        || segments[mid].op == 1
          && segments[mid].refStart <= refPosition
      {
        low = mid + 1
      } else {
        high = mid
      }
    }
    guard low < segments.count else { return sequence.count }
    let segment = segments[low]
    if segment.op == 0 { return segment.hapStart + max(0, refPosition - segment.refStart) }
    return segment.hapStart
  }

  /// The true alignment of haplotype bases `[start, end)` to the reference.
  ///
  /// Insertions at either end of the read become soft clips and deletions at the ends are
  /// dropped, so the CIGAR starts and ends with an aligned base, as aligners report it.
  /// - Parameters:
  ///   - start: First haplotype base.
  ///   - end: One past the last.
  /// - Returns: The 0-based reference position of the first aligned base, the CIGAR as BAM
  ///   words (`length << 4 | op`), and the reference span; `nil` when no base aligns.
  public func alignment(start: Int, end: Int) -> (position: Int, cigar: [UInt32], span: Int)? {
    var low = 0
    var high = segments.count
    while low < high {
      let mid = (low + high) / 2
      if segments[mid].hapEnd <= start { low = mid + 1 } else { high = mid }
    }
    var ops: [(op: UInt32, length: Int)] = []
    var position: Int?
    var cursor = start
    var index = low
    while cursor < end && index < segments.count {
      let segment = segments[index]
      index += 1
      switch segment.op {
      case 0:
        let take = min(end, segment.hapEnd) - cursor
        guard take > 0 else { continue }
        if position == nil { position = segment.refStart + (cursor - segment.hapStart) }
        append(&ops, 0, take)
        cursor += take
      case 1:
        let take = min(end, segment.hapEnd) - cursor
        guard take > 0 else { continue }
        append(&ops, position == nil ? 4 : 1, take)
        cursor += take
      default:
        if position != nil { append(&ops, 2, segment.length) }
      }
    }
    guard let position else { return nil }
    while let last = ops.last, last.op != 0 {
      ops.removeLast()
      if last.op == 1 || last.op == 4 {
        append(&ops, 4, last.length)
        break
      }
    }
    var span = 0
    for entry in ops where entry.op == 0 || entry.op == 2 { span += entry.length }
    return (position, ops.map { UInt32($0.length) << 4 | $0.op }, span)
  }

  /// Per-base events of haplotype bases `[start, end)`: `(0, ref)` for a base aligned to
  /// reference position `ref`, `(1, -1)` for a base absent from the reference, and `(2, ref)`
  /// for each reference base deleted between them. Ends with a sentinel `(0, -1)`.
  func baseEvents(start: Int, end: Int) -> [(op: UInt8, ref: Int)]? {
    var low = 0
    var high = segments.count
    while low < high {
      let mid = (low + high) / 2
      if segments[mid].hapEnd <= start { low = mid + 1 } else { high = mid }
    }
    var events: [(op: UInt8, ref: Int)] = []
    events.reserveCapacity(end - start + 8)
    var cursor = start
    var index = low
    while cursor < end && index < segments.count {
      let segment = segments[index]
      index += 1
      switch segment.op {
      case 0:
        while cursor < min(end, segment.hapEnd) {
          events.append((0, segment.refStart + cursor - segment.hapStart))
          cursor += 1
        }
      case 1:
        while cursor < min(end, segment.hapEnd) {
          events.append((1, -1))
          cursor += 1
        }
      default:
        if cursor > start {
          for offset in 0..<segment.length { events.append((2, segment.refStart + offset)) }
        }
      }
    }
    guard cursor == end else { return nil }
    events.append((0, -1))
    return events
  }

  private func append(_ ops: inout [(op: UInt32, length: Int)], _ op: UInt32, _ length: Int) {
    if let last = ops.last, last.op == op {
      ops[ops.count - 1].length += length
    } else {
      ops.append((op, length))
    }
  }
}
