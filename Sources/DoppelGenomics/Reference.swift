import DoppelCore
import Foundation

/// One sequence of a reference genome, upper-cased, with its name.
public struct Contig: Sendable {
  /// The name from the FASTA header (the text up to the first space).
  public var name: String
  /// The bases as upper-case ASCII (`A`, `C`, `G`, `T`, `N`, IUPAC codes kept as given).
  public var sequence: [UInt8]

  /// Creates a contig.
  /// - Parameters:
  ///   - name: The sequence name.
  ///   - sequence: The bases.
  public init(name: String, sequence: [UInt8]) {
    self.name = name
    self.sequence = sequence
  }
}

/// A reference genome read from FASTA (plain or gzip).
///
/// Lower-case (soft-masked) bases are upper-cased; `N` runs are kept and no read is drawn from
/// them. Reading also writes the samtools `.fai` index next to an uncompressed FASTA when it is
/// missing.
public struct Reference: Sendable {
  /// The contigs in file order.
  public var contigs: [Contig]

  /// Creates a reference from contigs.
  /// - Parameter contigs: The sequences in order.
  public init(contigs: [Contig]) {
    self.contigs = contigs
  }

  /// The index of the contig named `name`, if any.
  /// - Parameter name: A contig name.
  /// - Returns: Its index in ``contigs``.
  public func index(of name: String) -> Int? {
    contigs.firstIndex { $0.name == name }
  }

  /// Reads a FASTA file.
  /// - Parameters:
  ///   - path: The FASTA (optionally gzip-compressed).
  ///   - writeIndex: Whether to write `path.fai` when it is missing and the file is not compressed.
  /// - Returns: The reference.
  /// - Throws: ``DoppelError`` `invalidValue` for a file that is not FASTA, `io` when unreadable.
  public static func read(path: String, writeIndex: Bool = true) throws -> Reference {
    let raw: Data
    do {
      raw = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
      throw DoppelError(
        .io, "cannot read the reference FASTA; check that it exists and is readable",
        context: .init(file: path))
    }
    let compressed =
      raw.count >= 2 && raw[raw.startIndex] == 0x1f && raw[raw.startIndex + 1] == 0x8b
    let bytes = compressed ? try Gzip.readFile(path) : [UInt8](raw)
    var contigs: [Contig] = []
    var index = ""
    var names = Set<String>()
    var position = 0
    var line = 1
    let count = bytes.count
    while position < count {
      guard bytes[position] == UInt8(ascii: ">") else {
        if bytes[position] == UInt8(ascii: "\n") || bytes[position] == UInt8(ascii: "\r") {
          position += 1
          line += 1
          continue
        }
        throw DoppelError(
          .invalidValue, "expected a FASTA header line starting with '>'",
          context: .init(file: path, line: line))
      }
      var end = position
      while end < count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
      let header = String(decoding: bytes[(position + 1)..<end], as: UTF8.self)
      let name = String(
        header.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).first ?? "")
      guard !name.isEmpty else {
        throw DoppelError(
          .invalidValue, "a FASTA header has no sequence name",
          context: .init(file: path, line: line))
      }
      guard names.insert(name).inserted else {
        throw DoppelError(
          .invalidValue, "two FASTA records share a name; rename one",
          context: .init(file: path, line: line))
      }
      position = min(count, end + 1)
      line += 1
      let sequenceOffset = position
      var sequence: [UInt8] = []
      var lineBases = 0
      var lineBytes = 0
      var firstLine = true
      while position < count && bytes[position] != UInt8(ascii: ">") {
        var lineEnd = position
        while lineEnd < count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        var basesInLine = 0
        for k in position..<lineEnd {
          var base = bytes[k]
          if base == UInt8(ascii: "\r") || base == UInt8(ascii: " ") { continue }
          if base >= UInt8(ascii: "a") && base <= UInt8(ascii: "z") { base -= 32 }
          guard
            base >= UInt8(ascii: "A") && base <= UInt8(ascii: "Z") || base == UInt8(ascii: "*")
              || base == UInt8(ascii: "-")
          else {
            throw DoppelError(
              .invalidValue, "a FASTA sequence line holds a character that is not a base",
              context: .init(file: path, line: line))
          }
          sequence.append(base == UInt8(ascii: "*") || base == UInt8(ascii: "-") ? 78 : base)
          basesInLine += 1
        }
        if firstLine {
          lineBases = basesInLine
          lineBytes = min(count, lineEnd + 1) - position
          firstLine = false
        }
        position = min(count, lineEnd + 1)
        line += 1
      }
      index += "\(name)\t\(sequence.count)\t\(sequenceOffset)\t\(lineBases)\t\(lineBytes)\n"
      contigs.append(Contig(name: name, sequence: sequence))
    }
    guard !contigs.isEmpty else {
      throw DoppelError(.emptyInput, "the FASTA holds no sequences", context: .init(file: path))
    }
    let faiPath = path + ".fai"
    if writeIndex && !compressed && !FileManager.default.fileExists(atPath: faiPath) {
      try? TemporaryPath.writeAtomically(Array(index.utf8), to: faiPath)
    }
    return Reference(contigs: contigs)
  }

  /// Writes sequences as FASTA with 60 bases per line.
  /// - Parameters:
  ///   - contigs: The sequences.
  ///   - path: The output file (written whole or not at all).
  /// - Throws: ``DoppelError`` `io` when writing fails.
  public static func writeFASTA(_ contigs: [Contig], to path: String) throws {
    var out: [UInt8] = []
    out.reserveCapacity(contigs.reduce(0) { $0 + $1.sequence.count * 61 / 60 + 64 })
    for contig in contigs {
      out.append(UInt8(ascii: ">"))
      out.append(contentsOf: contig.name.utf8)
      out.append(10)
      var start = 0
      while start < contig.sequence.count {
        let end = min(contig.sequence.count, start + 60)
        out.append(contentsOf: contig.sequence[start..<end])
        out.append(10)
        start = end
      }
    }
    try TemporaryPath.writeAtomically(out, to: path)
  }
}

/// A half-open interval `[start, end)` on one contig, 0-based.
public struct GenomicRegion: Sendable, Equatable {
  /// The contig index in the reference.
  public var contig: Int
  /// The first base, 0-based.
  public var start: Int
  /// One past the last base.
  public var end: Int

  /// Creates a region.
  /// - Parameters:
  ///   - contig: Contig index.
  ///   - start: 0-based first base.
  ///   - end: Exclusive end.
  public init(contig: Int, start: Int, end: Int) {
    self.contig = contig
    self.start = start
    self.end = end
  }

  /// Parses `chr`, `chr:start-end` or `chr:start` (1-based, inclusive, commas allowed), as samtools.
  /// - Parameters:
  ///   - text: The region text.
  ///   - reference: The reference it refers to.
  /// - Returns: The region, clipped to the contig.
  /// - Throws: ``DoppelError`` `invalidArgument` for an unknown contig or a malformed range.
  public static func parse(_ text: String, reference: Reference) throws -> GenomicRegion {
    if let whole = reference.index(of: text) {
      return GenomicRegion(contig: whole, start: 0, end: reference.contigs[whole].sequence.count)
    }
    guard let colon = text.lastIndex(of: ":"),
      let contig = reference.index(of: String(text[..<colon]))
    else {
      throw DoppelError(
        .invalidArgument,
        "the region names a contig that is not in the reference; write it as NAME or NAME:START-END"
      )
    }
    let length = reference.contigs[contig].sequence.count
    let range = text[text.index(after: colon)...].replacingOccurrences(of: ",", with: "")
    let parts = range.split(separator: "-", omittingEmptySubsequences: false)
    guard let first = parts.first.flatMap({ Int($0) }), first >= 1, parts.count <= 2 else {
      throw DoppelError(
        .invalidArgument, "the region's range is not START-END with 1-based positions")
    }
    var last = length
    if parts.count == 2 {
      guard let value = Int(parts[1]), value >= first else {
        throw DoppelError(.invalidArgument, "the region's END is not a number at least START")
      }
      last = min(length, value)
    }
    guard first <= length else {
      throw DoppelError(.invalidArgument, "the region starts after the end of its contig")
    }
    return GenomicRegion(contig: contig, start: first - 1, end: last)
  }
}

/// Target intervals from a BED file (exome capture regions), merged and sorted per contig.
public struct TargetSet: Sendable {
  /// Sorted, non-overlapping intervals per contig index.
  public var intervals: [[Range<Int>]]

  /// Creates a target set from intervals, sorting and merging them.
  /// - Parameter intervals: Intervals per contig index (any order, may overlap).
  public init(intervals: [[Range<Int>]]) {
    self.intervals = intervals.map(Self.merge)
  }

  /// Reads a BED file; lines naming contigs absent from the reference are skipped.
  /// - Parameters:
  ///   - path: BED (optionally gzip), 0-based half-open intervals.
  ///   - reference: The reference.
  ///   - padding: Bases added on each side of every interval.
  /// - Returns: The targets.
  /// - Throws: ``DoppelError`` `invalidValue` for a malformed line.
  public static func read(path: String, reference: Reference, padding: Int = 0) throws -> TargetSet
  {
    let bytes = try Gzip.readFile(path)
    var intervals = Array(repeating: [Range<Int>](), count: reference.contigs.count)
    var lineNumber = 0
    for line in bytes.split(separator: 10, omittingEmptySubsequences: false) {
      lineNumber += 1
      let text = String(decoding: line, as: UTF8.self).trimmingCharacters(
        in: .whitespacesAndNewlines)
      if text.isEmpty || text.hasPrefix("#") || text.hasPrefix("track") || text.hasPrefix("browser")
      {
        continue
      }
      let fields = text.split(whereSeparator: { $0 == "\t" || $0 == " " })
      guard fields.count >= 3, let start = Int(fields[1]), let end = Int(fields[2]), start >= 0,
        end >= start
      else {
        throw DoppelError(
          .invalidValue, "a BED line needs CHROM, START and END with 0 <= START <= END",
          context: .init(file: path, line: lineNumber))
      }
      guard let contig = reference.index(of: String(fields[0])) else { continue }
      let length = reference.contigs[contig].sequence.count
      let low = max(0, start - padding)
      let high = min(length, end + padding)
      if low < high { intervals[contig].append(low..<high) }
    }
    return TargetSet(intervals: intervals)
  }

  /// Whether the interval `[start, end)` on `contig` lies entirely inside one target.
  public func contains(contig: Int, start: Int, end: Int) -> Bool {
    guard contig < intervals.count else { return false }
    let list = intervals[contig]
    var low = 0
    var high = list.count
    while low < high {
      let mid = (low + high) / 2
      if list[mid].upperBound <= start { low = mid + 1 } else { high = mid }
    }
    return low < list.count && list[low].lowerBound <= start && end <= list[low].upperBound
  }

  /// The parts of the targets inside `[start, end)` on `contig`.
  public func clipped(contig: Int, start: Int, end: Int) -> [Range<Int>] {
    guard contig < intervals.count else { return [] }
    return intervals[contig].compactMap { range in
      let low = max(start, range.lowerBound)
      let high = min(end, range.upperBound)
      return low < high ? low..<high : nil
    }
  }

  private static func merge(_ list: [Range<Int>]) -> [Range<Int>] {
    let sorted = list.sorted { $0.lowerBound < $1.lowerBound }
    var merged: [Range<Int>] = []
    for range in sorted {
      if let last = merged.last, range.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
      } else {
        merged.append(range)
      }
    }
    return merged
  }
}
