import DoppelCore
import Foundation

/// One block of reference on one contig: the unit of parallel, independently seeded work.
struct SimulationBlock: Sendable {
  var contig: Int
  var number: Int
  var start: Int
  var end: Int
  /// Expected fragments per haplotype drawn uniformly over the block's non-N bases.
  var uniformFragments: Double
  /// Expected fragments per haplotype drawn on targets.
  var targetFragments: Double
  /// Padded targets inside the block.
  var targets: [Range<Int>]
}

/// Reads and alignments made by one block.
struct BlockOutput: Sendable {
  var fastq1: [UInt8] = []
  var fastq2: [UInt8] = []
  var alignments: [PendingAlignment] = []
  var fragments = 0
  var reads = 0
  var bases = 0
  var errors = 0
  var indelErrors = 0
}

/// A BAM record waiting for its place in coordinate order.
struct PendingAlignment: Sendable {
  var contig: Int32
  var position: Int32
  var span: Int32
  var serial: Int
  var bytes: [UInt8]
}

/// Draws reads block by block and writes FASTQ and the sorted golden BAM.
struct ReadEngine {
  let request: SimulationRequest
  let reference: Reference
  let regions: [GenomicRegion]
  let targets: TargetSet?
  let read1: BGZFWriter
  let read2: BGZFWriter?
  let bam: BGZFWriter?
  let readGroup: [UInt8]
  let qualityTable: QualityModel
  var pending: [PendingAlignment] = []
  var index: BAMIndexBuilder
  var serial = 0
  var fragments = 0
  var reads = 0
  var bases = 0
  var errors = 0
  var indelErrors = 0
  var offTargetPerBase = 0.0
  private let directory: String

  init(
    request: SimulationRequest, reference: Reference, regions: [GenomicRegion],
    targets: TargetSet?, directory: String
  ) throws {
    self.request = request
    self.reference = reference
    self.regions = regions
    self.targets = targets
    self.directory = directory
    read1 = try BGZFWriter(path: directory + "R1.fastq.gz", level: request.compressionLevel)
    read2 =
      request.reads.paired
      ? try BGZFWriter(path: directory + "R2.fastq.gz", level: request.compressionLevel) : nil
    readGroup = Array(request.sampleName.utf8)
    qualityTable = QualityModel(options: request.reads)
    index = BAMIndexBuilder(referenceCount: reference.contigs.count)
    if request.writeBAM {
      let writer = try BGZFWriter(path: directory + "golden.bam", level: request.compressionLevel)
      var text = "@HD\tVN:1.6\tSO:coordinate\n"
      for contig in reference.contigs {
        text += "@SQ\tSN:\(contig.name)\tLN:\(contig.sequence.count)\n"
      }
      text += "@RG\tID:\(request.sampleName)\tSM:\(request.sampleName)\tPL:ILLUMINA\n"
      let commandLine = request.commandLine.replacingOccurrences(of: "\t", with: " ")
      text += "@PG\tID:doppel\tPN:doppel\tCL:\(commandLine)\n"
      try writer.write(BAMRecord.header(text: text, reference: reference))
      bam = writer
    } else {
      bam = nil
    }
    if let targets {
      // Off-target fragments are spread over all non-N bases in proportion to their number.
      var targetBases = 0
      var nonN = 0
      for region in regions {
        targetBases += targets.clipped(contig: region.contig, start: region.start, end: region.end)
          .reduce(0) { $0 + $1.count }
        nonN += Self.nonNCount(reference.contigs[region.contig].sequence[region.start..<region.end])
      }
      let fraction = request.reads.offTargetFraction
      let onTarget = request.reads.coverage * Double(targetBases) / readsPerFragmentBases
      offTargetPerBase = nonN > 0 ? onTarget * fraction / (1 - fraction) / Double(nonN) : 0
    }
  }

  var readsPerFragmentBases: Double {
    Double(request.reads.readLength * (request.reads.paired ? 2 : 1))
  }

  static func nonNCount(_ bases: ArraySlice<UInt8>) -> Int {
    var count = 0
    for base in bases where base != UInt8(ascii: "N") { count += 1 }
    return count
  }

  /// Simulates every block of one contig's regions.
  mutating func simulate(
    contig: Int, haplotypes: [Haplotype], progress: ProgressReporter?
  ) throws {
    var blocks: [SimulationBlock] = []
    let sequence = reference.contigs[contig].sequence
    let ploidy = Double(haplotypes.count)
    for region in regions where region.contig == contig {
      var start = region.start
      while start < region.end {
        let end = min(
          region.end, (start / GenomeSimulator.blockSize + 1) * GenomeSimulator.blockSize)
        let nonN = Double(Self.nonNCount(sequence[start..<end]))
        var block = SimulationBlock(
          contig: contig, number: start / GenomeSimulator.blockSize, start: start, end: end,
          uniformFragments: 0, targetFragments: 0, targets: [])
        if let targets {
          block.targets = targets.clipped(contig: contig, start: start, end: end)
          let targetBases = Double(block.targets.reduce(0) { $0 + $1.count })
          block.targetFragments =
            request.reads.coverage * targetBases / readsPerFragmentBases / ploidy
          block.uniformFragments = offTargetPerBase * nonN / ploidy
        } else {
          block.uniformFragments = request.reads.coverage * nonN / readsPerFragmentBases / ploidy
        }
        blocks.append(block)
        start = end
      }
    }
    let threads = request.threads ?? ProcessInfo.processInfo.activeProcessorCount
    let batchSize = max(1, threads * 2)
    var next = 0
    while next < blocks.count {
      let batch = Array(blocks[next..<min(blocks.count, next + batchSize)])
      let results = ParallelResults<BlockOutput>(count: batch.count)
      let worker = BlockWorker(
        request: request, contigName: reference.contigs[contig].name, haplotypes: haplotypes,
        quality: qualityTable, readGroup: readGroup)
      if threads == 1 {
        for index in batch.indices { results.set(index, worker.run(batch[index])) }
      } else {
        DispatchQueue.concurrentPerform(iterations: batch.count) { index in
          results.set(index, worker.run(batch[index]))
        }
      }
      next += batch.count
      for output in results.take() {
        guard let output else { continue }
        try read1.write(output.fastq1)
        try read2?.write(output.fastq2)
        fragments += output.fragments
        reads += output.reads
        bases += output.bases
        errors += output.errors
        indelErrors += output.indelErrors
        if bam != nil {
          for var alignment in output.alignments {
            alignment.serial = serial
            serial += 1
            pending.append(alignment)
          }
        }
      }
      // Later blocks only hold reads at or after their start, so earlier reads can go out.
      let limit = next < blocks.count ? blocks[next].start : Int.max
      try flushAlignments(contig: contig, before: limit)
      progress?.report(
        "simulating reads on \(reference.contigs[contig].name)", next, of: blocks.count)
    }
  }

  private mutating func flushAlignments(contig: Int, before limit: Int) throws {
    guard let bam, !pending.isEmpty else { return }
    pending.sort { ($0.contig, $0.position, $0.serial) < ($1.contig, $1.position, $1.serial) }
    var split = 0
    while split < pending.count
      && (Int(pending[split].contig) < contig
        || Int(pending[split].contig) == contig && Int(pending[split].position) < limit)
    {
      split += 1
    }
    var buffer: [UInt8] = []
    var offset = bam.uncompressedOffset
    for alignment in pending[..<split] {
      buffer.append(contentsOf: alignment.bytes)
      index.add(
        contig: Int(alignment.contig), position: Int(alignment.position),
        span: Int(alignment.span), begin: offset, end: offset + alignment.bytes.count)
      offset += alignment.bytes.count
    }
    try bam.write(buffer)
    pending.removeFirst(split)
  }

  /// Writes what is pending and renames the outputs into place.
  mutating func finish() throws -> [String] {
    try flushAlignments(contig: Int.max, before: Int.max)
    var files: [String] = []
    try read1.finish()
    files.append(read1.path)
    if let read2 {
      try read2.finish()
      files.append(read2.path)
    }
    if let bam {
      try bam.finish()
      files.append(bam.path)
      try TemporaryPath.writeAtomically(index.encode(writer: bam), to: bam.path + ".bai")
      files.append(bam.path + ".bai")
    }
    return files
  }
}

/// Per-cycle mean qualities and per-quality error thresholds.
struct QualityModel: Sendable {
  /// Mean quality at each cycle.
  let means: [Int]
  /// For each Phred score 0...93, the error probability × 2^32.
  let thresholds: [UInt64]
  let spread: Int

  init(options: ReadOptions) {
    let length = options.readLength
    means = (0..<length).map { cycle in
      let fraction = length > 1 ? Double(cycle) / Double(length - 1) : 0
      let mean =
        options.qualityStart + (options.qualityEnd - options.qualityStart) * fraction * fraction
      return Int(mean.rounded())
    }
    thresholds = (0...93).map { quality in
      UInt64(pow(10, -Double(quality) / 10) * 4_294_967_296)
    }
    spread = max(0, options.qualitySpread)
  }
}
