import DoppelCore

/// Builds a BAI index while a coordinate-sorted BAM is written (SAM/BAM specification v1.6,
/// section 5.2): per reference, the chunks of each UCSC bin and a linear index of 16 kbp windows.
///
/// Offsets are gathered as uncompressed positions in the BGZF stream and turned into virtual
/// offsets once the file is finished, so indexing does not wait for compression.
struct BAMIndexBuilder {
  private struct ReferenceIndex {
    var bins: [Int: [(begin: Int, end: Int)]] = [:]
    var windows: [Int] = []
    var first = Int.max
    var last = 0
    var mapped: UInt64 = 0
  }

  private var references: [ReferenceIndex]

  init(referenceCount: Int) {
    references = Array(repeating: ReferenceIndex(), count: referenceCount)
  }

  /// Records one alignment at uncompressed offsets `[begin, end)` of the BAM stream.
  mutating func add(contig: Int, position: Int, span: Int, begin: Int, end: Int) {
    // In place: a copy of the entry would copy its dictionary on every record.
    Self.add(to: &references[contig], position: position, span: span, begin: begin, end: end)
  }

  private static func add(
    to entry: inout ReferenceIndex, position: Int, span: Int, begin: Int, end: Int
  ) {
    let stop = position + max(1, span)
    let bin = BAMRecord.bin(begin: position, end: stop)
    if let last = entry.bins[bin]?.last, last.end == begin {
      entry.bins[bin, default: []][(entry.bins[bin]?.count ?? 1) - 1].end = end
    } else {
      entry.bins[bin, default: []].append((begin, end))
    }
    let firstWindow = position >> 14
    let lastWindow = (stop - 1) >> 14
    if entry.windows.count <= lastWindow {
      entry.windows += Array(repeating: -1, count: lastWindow + 1 - entry.windows.count)
    }
    for window in firstWindow...lastWindow where entry.windows[window] < 0 {
      entry.windows[window] = begin
    }
    entry.first = min(entry.first, begin)
    entry.last = max(entry.last, end)
    entry.mapped += 1
  }

  /// The index file's bytes, with offsets mapped through `writer` (already finished).
  func encode(writer: BGZFWriter) -> [UInt8] {
    var offsets: [Int] = []
    for reference in references {
      for bin in reference.bins.keys.sorted() {
        for chunk in reference.bins[bin] ?? [] { offsets += [chunk.begin, chunk.end] }
      }
      offsets += reference.windows
      if reference.mapped > 0 { offsets += [reference.first, reference.last] }
    }
    let virtual = writer.virtualOffsets(offsets.map { max(0, $0) })
    var cursor = 0
    func next() -> UInt64 {
      defer { cursor += 1 }
      return virtual[cursor]
    }
    var out: [UInt8] = Array("BAI".utf8) + [1]
    BAMRecord.appendInt32(&out, Int32(references.count))
    for reference in references {
      let bins = reference.bins.keys.sorted()
      BAMRecord.appendInt32(&out, Int32(bins.count + (reference.mapped > 0 ? 1 : 0)))
      for bin in bins {
        let chunks = reference.bins[bin] ?? []
        BAMRecord.appendUInt32(&out, UInt32(bin))
        BAMRecord.appendInt32(&out, Int32(chunks.count))
        for _ in chunks {
          append64(&out, next())
          append64(&out, next())
        }
      }
      // Windows with no alignment take the offset of the previous window (as htslib writes).
      var windows: [UInt64] = []
      var previous: UInt64 = 0
      for window in reference.windows {
        let value = next()
        if window >= 0 { previous = value }
        windows.append(previous)
      }
      if reference.mapped > 0 {
        // The pseudo-bin 37450 holds the reference's offset range and its read counts.
        BAMRecord.appendUInt32(&out, 37_450)
        BAMRecord.appendInt32(&out, 2)
        append64(&out, next())
        append64(&out, next())
        append64(&out, reference.mapped)
        append64(&out, 0)
      }
      BAMRecord.appendInt32(&out, Int32(windows.count))
      for value in windows { append64(&out, value) }
    }
    append64(&out, 0)
    return out
  }

  private func append64(_ out: inout [UInt8], _ value: UInt64) {
    for shift in stride(from: 0, to: 64, by: 8) {
      out.append(UInt8((value >> UInt64(shift)) & 0xff))
    }
  }
}
