import DoppelCore
import Foundation

/// Draws the fragments of one block: positions, strands, errors, FASTQ text and BAM records.
struct BlockWorker: Sendable {
  let request: SimulationRequest
  let contigName: String
  let haplotypes: [Haplotype]
  let quality: QualityModel
  let readGroup: [UInt8]

  private static let complement: [UInt8] = {
    var table = [UInt8](repeating: UInt8(ascii: "N"), count: 256)
    for (base, other) in zip("ACGTNacgtn".utf8, "TGCANtgcan".utf8) { table[Int(base)] = other }
    return table
  }()
  private static let bases: [UInt8] = Array("ACGT".utf8)

  /// One read as drawn: its haplotype interval, strand and true alignment.
  private struct DrawnRead {
    /// The read's bases in haplotype (forward) order, before substitution errors.
    var bases: [UInt8]
    var reverse: Bool
    var position: Int
    var cigar: [UInt32]
    var span: Int
    var indelErrors: Int
  }

  /// Draws a read with insertion and deletion errors and composes its true CIGAR: the errors'
  /// alignment to the haplotype followed by the haplotype's alignment to the reference.
  private func withIndelErrors(
    haplotype: Haplotype, anchor: Int, reverse: Bool, random: inout SeededGenerator
  ) -> DrawnRead? {
    let length = request.reads.readLength
    let rate = request.reads.indelErrorRate
    // Read operations in haplotype order: 0 = base from the haplotype, 1 = inserted base,
    // 2 = skipped haplotype base.
    var readOps: [UInt8] = []
    var emitted = 0
    var span = 0
    while emitted < length {
      let draw = random.nextUnit()
      if draw < rate / 2 && emitted > 0 && emitted < length - 1 {
        readOps.append(1)
        emitted += 1
      } else if draw < rate && emitted > 0 && emitted < length - 1 {
        readOps.append(2)
        span += 1
      } else {
        readOps.append(0)
        emitted += 1
        span += 1
      }
    }
    let start = reverse ? anchor - span : anchor
    let sequence = haplotype.sequence
    guard start >= 0, start + span <= sequence.count,
      let events = haplotype.baseEvents(start: start, end: start + span)
    else { return nil }
    var bases: [UInt8] = []
    bases.reserveCapacity(length)
    var ops: [(op: UInt32, length: Int)] = []
    func push(_ op: UInt32) {
      if let last = ops.last, last.op == op {
        ops[ops.count - 1].length += 1
      } else {
        ops.append((op, 1))
      }
    }
    var eventIndex = 0
    var hapPosition = start
    var position: Int?
    var errors = 0
    // The next haplotype base's event, emitting reference-only deletions met on the way.
    func nextBase() -> (op: UInt8, ref: Int) {
      while events[eventIndex].op == 2 {
        if position != nil { push(2) }
        eventIndex += 1
      }
      defer { eventIndex += 1 }
      return events[eventIndex]
    }
    for op in readOps {
      switch op {
      case 0:
        let event = nextBase()
        bases.append(sequence[hapPosition])
        hapPosition += 1
        if event.op == 0 {
          if position == nil { position = event.ref }
          push(0)
        } else {
          push(position == nil ? 4 : 1)
        }
      case 1:
        bases.append(Self.bases[random.nextInt(below: 4)])
        push(position == nil ? 4 : 1)
        errors += 1
      default:
        let event = nextBase()
        hapPosition += 1
        if event.op == 0 && position != nil { push(2) }
        errors += 1
      }
    }
    guard let position else { return nil }
    while let last = ops.last, last.op != 0 {
      ops.removeLast()
      if last.op == 1 || last.op == 4 {
        if let previous = ops.last, previous.op == 4 {
          ops[ops.count - 1].length += last.length
        } else {
          ops.append((4, last.length))
        }
        // Deletions before the trailing clip are dropped too.
        while ops.count >= 2, ops[ops.count - 2].op == 2 || ops[ops.count - 2].op == 1 {
          let removed = ops.remove(at: ops.count - 2)
          if removed.op == 1 { ops[ops.count - 1].length += removed.length }
        }
        break
      }
    }
    var referenceSpan = 0
    for entry in ops where entry.op == 0 || entry.op == 2 { referenceSpan += entry.length }
    return DrawnRead(
      bases: bases, reverse: reverse, position: position,
      cigar: ops.map { UInt32($0.length) << 4 | $0.op }, span: referenceSpan, indelErrors: errors)
  }

  func run(_ block: SimulationBlock) -> BlockOutput {
    var output = BlockOutput()
    var random = SeededGenerator(
      seed: request.seed, label: "genome/reads/" + contigName, index: UInt64(block.number))
    let options = request.reads
    let targetTotal = block.targets.reduce(0) { $0 + $1.count }
    for (haplotypeIndex, haplotype) in haplotypes.enumerated() {
      var kinds: [Bool] = []  // true = on target
      for (expected, onTarget) in [(block.uniformFragments, false), (block.targetFragments, true)] {
        let whole = Int(expected)
        let count = whole + (random.nextUnit() < expected - Double(whole) ? 1 : 0)
        kinds += Array(repeating: onTarget, count: count)
      }
      for (fragmentIndex, onTarget) in kinds.enumerated() {
        attempts: for _ in 0..<16 {
          var length = options.readLength
          if options.paired {
            let drawn =
              options.fragmentMean + options.fragmentStandardDeviation * random.nextNormal()
            length = max(options.readLength, Int(drawn.rounded()))
          }
          var refStart: Int
          if onTarget && targetTotal > 0 {
            var offset = random.nextInt(below: targetTotal)
            var point = block.start
            for range in block.targets {
              if offset < range.count {
                point = range.lowerBound + offset
                break
              }
              offset -= range.count
            }
            refStart = max(block.start, point - length / 2)
          } else {
            refStart = block.start + random.nextInt(below: block.end - block.start)
          }
          let start = haplotype.haplotypePosition(ofReference: refStart)
          let sequence = haplotype.sequence
          guard start + length <= sequence.count else { continue attempts }
          var nCount = 0
          for index in start..<(start + length) where sequence[index] == UInt8(ascii: "N") {
            nCount += 1
          }
          guard Double(nCount) <= options.maxNFraction * Double(length) else { continue attempts }
          let forward = random.next() & 1 == 0
          let leftStart = start
          let rightStart = start + length - options.readLength
          var drawn: [DrawnRead] = []
          let layout: [(Int, Bool)] =
            options.paired
            ? (forward
              ? [(leftStart, false), (rightStart, true)]
              : [(rightStart, true), (leftStart, false)])
            : [forward ? (leftStart, false) : (rightStart, true)]
          for (readStart, reverse) in layout {
            if options.indelErrorRate > 0 {
              guard
                let read = withIndelErrors(
                  haplotype: haplotype,
                  anchor: reverse ? readStart + options.readLength : readStart,
                  reverse: reverse, random: &random)
              else { continue attempts }
              drawn.append(read)
              continue
            }
            guard
              let aligned = haplotype.alignment(
                start: readStart, end: readStart + options.readLength)
            else { continue attempts }
            drawn.append(
              DrawnRead(
                bases: Array(sequence[readStart..<(readStart + options.readLength)]),
                reverse: reverse, position: aligned.position, cigar: aligned.cigar,
                span: aligned.span, indelErrors: 0))
          }
          emit(
            drawn, haplotype: haplotype, haplotypeIndex: haplotypeIndex, block: block,
            fragment: fragmentIndex, random: &random, output: &output)
          break attempts
        }
      }
    }
    return output
  }

  private func emit(
    _ drawn: [DrawnRead], haplotype: Haplotype, haplotypeIndex: Int, block: SimulationBlock,
    fragment: Int, random: inout SeededGenerator, output: inout BlockOutput
  ) {
    let length = request.reads.readLength
    let name = Array(
      "DOPPEL:1:SIM:\(block.contig + 1):\(block.number + 1):\(haplotypeIndex + 1):\(fragment + 1)"
        .utf8)
    output.fragments += 1
    var bases = [UInt8](repeating: 0, count: length)
    var qualities = [UInt8](repeating: 0, count: length)
    var forwardBases = [UInt8](repeating: 0, count: length)
    var forwardQualities = [UInt8](repeating: 0, count: length)
    let spread = quality.spread
    for (readIndex, read) in drawn.enumerated() {
      output.indelErrors += read.indelErrors
      // The read as the sequencer reports it (reverse-complemented for the reverse strand).
      for cycle in 0..<length {
        let base =
          read.reverse
          ? Self.complement[Int(read.bases[length - 1 - cycle])]
          : read.bases[cycle]
        let bits = random.next()
        var score = quality.means[cycle]
        if spread > 0 { score += Int((bits >> 40) % UInt64(2 * spread + 1)) - spread }
        score = min(41, max(2, score))
        if base == UInt8(ascii: "N") {
          bases[cycle] = base
          qualities[cycle] = 2
          continue
        }
        if bits & 0xFFFF_FFFF < quality.thresholds[score] {
          var other = Self.bases[Int((bits >> 32) & 3)]
          if other == base {
            other = Self.bases[(Int((bits >> 32) & 3) + 1 + Int((bits >> 34) & 1)) & 3]
          }
          bases[cycle] = other
          output.errors += 1
        } else {
          bases[cycle] = base
        }
        qualities[cycle] = UInt8(score)
      }
      var text = name
      text.append(contentsOf: " \(readIndex + 1):N:0:1\n".utf8)
      text.insert(UInt8(ascii: "@"), at: 0)
      text.append(contentsOf: bases)
      text.append(contentsOf: [10, UInt8(ascii: "+"), 10])
      for score in qualities { text.append(score + 33) }
      text.append(10)
      if readIndex == 0 {
        output.fastq1.append(contentsOf: text)
      } else {
        output.fastq2.append(contentsOf: text)
      }
      output.reads += 1
      output.bases += length
      guard request.writeBAM else { continue }
      for cycle in 0..<length {
        if read.reverse {
          forwardBases[cycle] = Self.complement[Int(bases[length - 1 - cycle])]
          forwardQualities[cycle] = qualities[length - 1 - cycle]
        } else {
          forwardBases[cycle] = bases[cycle]
          forwardQualities[cycle] = qualities[cycle]
        }
      }
      var flag: UInt16 = read.reverse ? 0x10 : 0
      var mateContig = -1
      var matePosition = -1
      var templateLength = 0
      if drawn.count == 2 {
        let mate = drawn[1 - readIndex]
        flag |= 0x1 | 0x2 | (mate.reverse ? 0x20 : 0) | (readIndex == 0 ? 0x40 : 0x80)
        mateContig = block.contig
        matePosition = mate.position
        let left = min(read.position, mate.position)
        let right = max(read.position + read.span, mate.position + mate.span)
        let isLeft =
          read.position < mate.position || read.position == mate.position && readIndex == 0
        templateLength = isLeft ? right - left : -(right - left)
      }
      var record: [UInt8] = []
      record.reserveCapacity(64 + name.count + length * 2)
      BAMRecord.append(
        to: &record, name: name[...], contig: block.contig, position: read.position, mapq: 60,
        flag: flag, cigar: read.cigar, span: read.span, sequence: forwardBases[...],
        qualities: forwardQualities[...], mateContig: mateContig, matePosition: matePosition,
        templateLength: templateLength, readGroup: readGroup)
      output.alignments.append(
        PendingAlignment(
          contig: Int32(block.contig), position: Int32(read.position), span: Int32(read.span),
          serial: 0, bytes: record))
    }
  }
}
