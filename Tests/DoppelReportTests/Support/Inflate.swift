/// A small DEFLATE decoder (RFC 1951) for reading PNG screenshots in tests, so the tests need no
/// zlib binding or outside tool.
struct Inflate {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// A canonical Huffman code decoded through a lookup table of its longest code length.
  private struct Huffman {
    var table: [Int32]  // symbol << 4 | length, or -1
    var maxLength: Int

    init(lengths: [Int]) {
      maxLength = Swift.max(1, lengths.max() ?? 1)
      table = Array(repeating: -1, count: 1 << maxLength)
      var counts = Array(repeating: 0, count: 16)
      for length in lengths where length > 0 { counts[length] += 1 }
      var next = Array(repeating: 0, count: 16)
      var code = 0
      for bits in 1..<16 {
        code = (code + counts[bits - 1]) << 1
        next[bits] = code
      }
      for (symbol, length) in lengths.enumerated() where length > 0 {
        let assigned = next[length]
        next[length] += 1
        // Codes are stored most significant bit first; the table is indexed by bits as read.
        var reversed = 0
        for bit in 0..<length where assigned & (1 << (length - 1 - bit)) != 0 {
          reversed |= 1 << bit
        }
        var index = reversed
        while index < table.count {
          table[index] = Int32(symbol << 4 | length)
          index += 1 << length
        }
      }
    }
  }

  private let input: [UInt8]
  private var position = 0
  private var bitBuffer = 0
  private var bitCount = 0
  private var output: [UInt8] = []

  private init(_ input: [UInt8]) {
    self.input = input
  }

  /// Decodes a zlib stream (RFC 1950): a 2-byte header, DEFLATE data and a checksum (unchecked).
  static func zlib(_ data: [UInt8]) throws -> [UInt8] {
    guard data.count > 2, data[0] & 0x0F == 8 else { throw Failure(description: "not zlib") }
    var decoder = Inflate(Array(data[2...]))
    try decoder.run()
    return decoder.output
  }

  private mutating func bits(_ count: Int) throws -> Int {
    while bitCount < count {
      guard position < input.count else { throw Failure(description: "truncated data") }
      bitBuffer |= Int(input[position]) << bitCount
      position += 1
      bitCount += 8
    }
    let value = bitBuffer & ((1 << count) - 1)
    bitBuffer >>= count
    bitCount -= count
    return value
  }

  private mutating func decode(_ code: Huffman) throws -> Int {
    while bitCount < code.maxLength && position < input.count {
      bitBuffer |= Int(input[position]) << bitCount
      position += 1
      bitCount += 8
    }
    let entry = Int(code.table[bitBuffer & ((1 << code.maxLength) - 1)])
    guard entry >= 0, entry & 15 <= bitCount else { throw Failure(description: "bad code") }
    bitBuffer >>= entry & 15
    bitCount -= entry & 15
    return entry >> 4
  }

  private static let lengthBase = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
  ]
  private static let lengthExtra = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
  ]
  private static let distanceBase = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
  ]
  private static let distanceExtra = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
  ]

  private mutating func run() throws {
    var last = false
    while !last {
      last = try bits(1) == 1
      switch try bits(2) {
      case 0:
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.count else { throw Failure(description: "truncated block") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        position += 4
        guard position + length <= input.count else { throw Failure(description: "truncated") }
        output += input[position..<(position + length)]
        position += length
      case 1:
        let literal = Huffman(
          lengths: Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112)
            + Array(repeating: 7, count: 24) + Array(repeating: 8, count: 8))
        let distance = Huffman(lengths: Array(repeating: 5, count: 30))
        try block(literal, distance)
      case 2:
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeCount = try bits(4) + 4
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengths = Array(repeating: 0, count: 19)
        for index in 0..<codeCount { codeLengths[order[index]] = try bits(3) }
        let lengthCode = Huffman(lengths: codeLengths)
        var lengths: [Int] = []
        while lengths.count < literalCount + distanceCount {
          let symbol = try decode(lengthCode)
          switch symbol {
          case 0..<16: lengths.append(symbol)
          case 16:
            guard let previous = lengths.last else { throw Failure(description: "bad repeat") }
            lengths += Array(repeating: previous, count: try bits(2) + 3)
          case 17: lengths += Array(repeating: 0, count: try bits(3) + 3)
          default: lengths += Array(repeating: 0, count: try bits(7) + 11)
          }
        }
        try block(
          Huffman(lengths: Array(lengths[0..<literalCount])),
          Huffman(lengths: Array(lengths[literalCount...])))
      default:
        throw Failure(description: "reserved block type")
      }
    }
  }

  private mutating func block(_ literal: Huffman, _ distance: Huffman) throws {
    while true {
      let symbol = try decode(literal)
      if symbol < 256 {
        output.append(UInt8(symbol))
      } else if symbol == 256 {
        return
      } else {
        let index = symbol - 257
        guard index < Self.lengthBase.count else { throw Failure(description: "bad length") }
        let length = Self.lengthBase[index] + (try bits(Self.lengthExtra[index]))
        let code = try decode(distance)
        guard code < Self.distanceBase.count else { throw Failure(description: "bad distance") }
        let back = Self.distanceBase[code] + (try bits(Self.distanceExtra[code]))
        guard back <= output.count else { throw Failure(description: "distance too far") }
        let start = output.count - back
        for offset in 0..<length { output.append(output[start + offset]) }
      }
    }
  }
}
