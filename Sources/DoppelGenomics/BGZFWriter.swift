import DoppelCore
import Foundation

/// Writes BGZF: gzip members of at most 64 KiB each, with the `BC` extra field that holds the
/// block size, ending with the 28-byte empty EOF block (SAM/BAM specification, section 4.1).
///
/// BGZF is valid multi-member gzip, so `gzip -d`, `bgzip`, `samtools` and `tabix` all read it.
/// Blocks are compressed in parallel on all cores; the output does not depend on the thread
/// count. The file appears at its path only after ``finish()`` (written to a temporary file,
/// then renamed), so a failure leaves no partial output.
public final class BGZFWriter {
  /// Uncompressed bytes per block; 65,280 as in htslib, so a block never exceeds 64 KiB.
  public static let blockDataSize = 0xff00
  /// The destination path.
  public let path: String
  private let temporaryPath: String
  private let handle: FileHandle
  private let level: Int32
  private var pending: [UInt8] = []
  private var blockSizes: [Int] = []
  /// Uncompressed bytes written so far: the offset the next byte will have.
  public private(set) var uncompressedOffset = 0
  private var finished = false
  private static let flushThreshold = 0xff00 * 64

  /// The standard empty block that marks the end of a BGZF file.
  public static let eofBlock: [UInt8] = [
    0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 0x06, 0, 0x42, 0x43, 0x02, 0, 0x1b, 0, 0x03, 0,
    0, 0, 0, 0, 0, 0, 0, 0,
  ]

  /// Opens a temporary file next to `path`.
  /// - Parameters:
  ///   - path: Where the finished file goes.
  ///   - level: zlib compression level 0–9; 6 by default.
  /// - Throws: ``DoppelError`` `io` when the directory is not writable.
  public init(path: String, level: Int = 6) throws {
    self.path = path
    self.level = Int32(max(0, min(9, level)))
    temporaryPath = TemporaryPath.next(for: path)
    guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
      let handle = FileHandle(forWritingAtPath: temporaryPath)
    else {
      throw DoppelError(
        .io, "cannot create the output file; check that its folder exists and is writable",
        context: .init(file: path))
    }
    self.handle = handle
  }

  deinit {
    if !finished {
      try? handle.close()
      try? FileManager.default.removeItem(atPath: temporaryPath)
    }
  }

  /// Appends uncompressed bytes.
  /// - Parameter bytes: The bytes to add.
  /// - Throws: ``DoppelError`` `io` when writing fails.
  public func write(_ bytes: [UInt8]) throws {
    uncompressedOffset += bytes.count
    pending.append(contentsOf: bytes)
    if pending.count >= Self.flushThreshold { try flush(all: false) }
  }

  /// Appends uncompressed bytes from a buffer slice.
  /// - Parameter bytes: The bytes to add.
  /// - Throws: ``DoppelError`` `io` when writing fails.
  public func write(_ bytes: ArraySlice<UInt8>) throws {
    uncompressedOffset += bytes.count
    pending.append(contentsOf: bytes)
    if pending.count >= Self.flushThreshold { try flush(all: false) }
  }

  /// Compresses what is left, adds the EOF block and renames the file into place.
  /// - Throws: ``DoppelError`` `io` when writing or renaming fails.
  public func finish() throws {
    try flush(all: true)
    do {
      try handle.write(contentsOf: Data(Self.eofBlock))
      try handle.close()
      if FileManager.default.fileExists(atPath: path) {
        try FileManager.default.removeItem(atPath: path)
      }
      try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
      finished = true
    } catch {
      throw DoppelError(
        .io, "cannot finish writing the output file; check free disk space",
        context: .init(file: path))
    }
  }

  /// The BGZF virtual offsets of uncompressed offsets, for indexes; call after ``finish()``.
  ///
  /// Every block but the last holds exactly ``blockDataSize`` bytes, so an uncompressed offset
  /// `u` lies in block `u / blockDataSize` at `u % blockDataSize`; the virtual offset is that
  /// block's file offset shifted left by 16, plus the offset within it.
  /// - Parameter offsets: Uncompressed offsets, each at most ``uncompressedOffset``.
  /// - Returns: The virtual offsets.
  public func virtualOffsets(_ offsets: [Int]) -> [UInt64] {
    var starts = [0]
    starts.reserveCapacity(blockSizes.count + 1)
    for size in blockSizes { starts.append(starts[starts.count - 1] + size) }
    return offsets.map { offset in
      let block = min(offset / Self.blockDataSize, starts.count - 1)
      let within = offset - block * Self.blockDataSize
      return UInt64(starts[block]) << 16 | UInt64(within)
    }
  }

  private func flush(all: Bool) throws {
    let size = Self.blockDataSize
    let blockCount = all ? (pending.count + size - 1) / size : pending.count / size
    guard blockCount > 0 else { return }
    let blocks = try Self.compressBlocks(pending, count: blockCount, level: level)
    do {
      for block in blocks {
        try handle.write(contentsOf: Data(block))
        blockSizes.append(block.count)
      }
    } catch {
      throw DoppelError(
        .io, "cannot write the output file; check free disk space", context: .init(file: path))
    }
    pending.removeSubrange(0..<min(pending.count, blockCount * size))
  }

  /// Compresses the first `count` blocks of `data` in parallel.
  static func compressBlocks(_ data: [UInt8], count: Int, level: Int32) throws -> [[UInt8]] {
    let size = blockDataSize
    let results = ParallelResults<[UInt8]?>(count: count)
    data.withUnsafeBytes { raw in
      nonisolated(unsafe) let raw = raw
      DispatchQueue.concurrentPerform(iterations: count) { index in
        let start = index * size
        let end = min(data.count, start + size)
        let slice = UnsafeRawBufferPointer(rebasing: raw[start..<end])
        results.set(index, makeBlock(slice, level: level))
      }
    }
    var blocks: [[UInt8]] = []
    blocks.reserveCapacity(count)
    for index in 0..<count {
      guard let block = results.get(index) ?? nil else {
        throw DoppelError(.io, "zlib failed to compress a BGZF block")
      }
      blocks.append(block)
    }
    return blocks
  }

  /// One BGZF block: gzip header with the BC extra field, raw deflate, CRC-32 and length.
  static func makeBlock(_ data: UnsafeRawBufferPointer, level: Int32) -> [UInt8]? {
    guard var body = Gzip.deflateRaw(data, level: level) else { return nil }
    if body.count > 0xffff - 26 {
      // Incompressible data: store it (level 0) so the block fits in 64 KiB.
      guard let stored = Gzip.deflateRaw(data, level: 0) else { return nil }
      body = stored
    }
    let total = body.count + 26
    var block: [UInt8] = [
      0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 0x06, 0, 0x42, 0x43, 0x02, 0,
      UInt8((total - 1) & 0xff), UInt8((total - 1) >> 8),
    ]
    block.reserveCapacity(total)
    block.append(contentsOf: body)
    let crc = Gzip.crc32(data)
    for shift in stride(from: 0, to: 32, by: 8) {
      block.append(UInt8((crc >> UInt32(shift)) & 0xff))
    }
    let length = UInt32(data.count)
    for shift in stride(from: 0, to: 32, by: 8) {
      block.append(UInt8((length >> UInt32(shift)) & 0xff))
    }
    return block
  }
}

/// Unique temporary names next to a destination, for write-then-rename output.
enum TemporaryPath {
  static func next(for path: String) -> String {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[...$0]) } ?? ""
    let file = String((slash.map { String(path[path.index(after: $0)...]) } ?? path).prefix(100))
    var random = SystemRandomNumberGenerator()
    let tag = String(random.next() & 0xFFFF_FFFF_FFFF, radix: 36)
    return "\(directory).\(file).\(ProcessInfo.processInfo.processIdentifier)-\(tag).tmp"
  }

  /// Writes bytes to `path` through a temporary file and a rename.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let temporary = next(for: path)
    do {
      try Data(bytes).write(to: URL(fileURLWithPath: temporary))
      if FileManager.default.fileExists(atPath: path) {
        try FileManager.default.removeItem(atPath: path)
      }
      try FileManager.default.moveItem(atPath: temporary, toPath: path)
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      throw DoppelError(
        .io, "cannot write the output file; check that its folder exists and is writable",
        context: .init(file: path))
    }
  }
}

/// A fixed-size array that parallel workers fill at distinct indices.
final class ParallelResults<Element>: @unchecked Sendable {
  private var storage: [Element?]
  private let lock = NSLock()

  init(count: Int) { storage = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: Element) {
    lock.lock()
    storage[index] = value
    lock.unlock()
  }

  func get(_ index: Int) -> Element? {
    lock.lock()
    defer { lock.unlock() }
    return storage[index]
  }

  /// Takes all values out, in index order.
  func take() -> [Element?] {
    lock.lock()
    defer { lock.unlock() }
    let values = storage
    storage = []
    return values
  }
}
