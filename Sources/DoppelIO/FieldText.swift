/// Builds the `String` of a field from its bytes in the reader's buffer.
///
/// Most fields are short ASCII text. Swift stores strings of up to 15 UTF-8 bytes inline, in the
/// 16 bytes of the `String` value itself: the bytes, then a count and flags in the last byte. On
/// 64-bit little-endian platforms ``smallASCII(_:count:)`` writes that form directly, which is
/// several times faster than `String(decoding:as:)` for the millions of fields of a large file.
/// ``smallStringsMatch`` checks once, against strings made by the standard library, that the
/// layout is the expected one; if it is not, every field takes the standard path.
enum FieldText {
  /// Whether ``smallASCII(_:count:)`` builds exactly the strings the standard library builds.
  static let smallStringsMatch: Bool = {
    #if _pointerBitWidth(_64) && _endian(little)
    let sample = Array("abcdefghijklmno".utf8) + Array(repeating: 0x7E, count: 16)
    return sample.withUnsafeBytes { raw -> Bool in
      guard let base = raw.baseAddress else { return false }
      for count in 1...15 {
        let standard = String(decoding: raw[0..<count], as: UTF8.self)
        let fast = smallASCII(base, count: count)
        guard fast == standard, fast.utf8.count == count,
          unsafeBitCast(fast, to: (UInt64, UInt64).self)
            == unsafeBitCast(standard, to: (UInt64, UInt64).self)
        else { return false }
      }
      return true
    }
    #else
    return false
    #endif
  }()

  /// A string of `count` ASCII bytes, 1 to 15, built in Swift's inline small-string form.
  ///
  /// Reads 16 bytes at `bytes` whatever `count` is, so the buffer must have 16 readable bytes
  /// there. Only call it when ``smallStringsMatch`` is `true` and the bytes are all below 0x80.
  /// - Parameters:
  ///   - bytes: The first byte.
  ///   - count: The number of bytes, 1 to 15.
  /// - Returns: The string.
  @inline(__always)
  static func smallASCII(_ bytes: UnsafeRawPointer, count: Int) -> String {
    var low = bytes.loadUnaligned(as: UInt64.self)
    var high = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    if count < 8 {
      low &= (1 &<< UInt64(truncatingIfNeeded: count &* 8)) &- 1
      high = 0
    } else {
      high &= (1 &<< UInt64(truncatingIfNeeded: (count &- 8) &* 8)) &- 1
    }
    // The discriminator of an immortal, small, ASCII string, and the count.
    high |= (0xE0 | UInt64(truncatingIfNeeded: count)) &<< 56
    return unsafeBitCast((low, high), to: String.self)
  }
}
