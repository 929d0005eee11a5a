import Foundation

/// The one random number generator of Doppel: xoshiro256** seeded through SplitMix64.
///
/// Every random result in Doppel is reproducible from a `UInt64` seed. Independent streams (one per
/// column, per block of rows, per epoch) come from the same seed plus a fixed label, never from
/// `hashValue` (which changes between runs) or from dictionary order.
///
/// The generator is xoshiro256** by Blackman and Vigna ("Scrambled linear pseudorandom number
/// generators", ACM TOMS 47(4), 2021); its state is filled by SplitMix64 (Steele, Lea and Flood,
/// "Fast splittable pseudorandom number generators", OOPSLA 2014), as its authors recommend.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64

  /// Creates a generator from a seed.
  /// - Parameter seed: Any value; equal seeds give equal streams.
  public init(seed: UInt64) {
    var splitMix = seed
    s0 = SeededGenerator.splitMix64(&splitMix)
    s1 = SeededGenerator.splitMix64(&splitMix)
    s2 = SeededGenerator.splitMix64(&splitMix)
    s3 = SeededGenerator.splitMix64(&splitMix)
  }

  /// Creates the generator of an independent stream derived from a seed and a fixed label.
  /// - Parameters:
  ///   - seed: The user's seed.
  ///   - label: A fixed text naming the stream, such as `"column 3"`.
  ///   - index: A number distinguishing streams with the same label, such as a block index.
  public init(seed: UInt64, label: String, index: UInt64 = 0) {
    self.init(seed: SeededGenerator.derive(seed: seed, label: label, index: index))
  }

  /// Mixes a seed, a label and an index into a new seed (FNV-1a over the label, then SplitMix64).
  /// - Parameters:
  ///   - seed: The parent seed.
  ///   - label: A fixed text naming the stream.
  ///   - index: A number distinguishing streams with the same label.
  /// - Returns: A seed for the derived stream.
  public static func derive(seed: UInt64, label: String, index: UInt64 = 0) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in label.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    var state = seed ^ hash
    _ = splitMix64(&state)
    state ^= index &* 0x9e37_79b9_7f4a_7c15
    return splitMix64(&state)
  }

  private static func splitMix64(_ state: inout UInt64) -> UInt64 {
    state = state &+ 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }

  /// Returns the next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << 45) | (s3 >> 19)
    return result
  }

  /// A uniform double in [0, 1) with 53 random bits.
  @inlinable
  public mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1p-53
  }

  /// A uniform double in (0, 1): never exactly 0 or 1, safe for logarithms and inverse CDFs.
  @inlinable
  public mutating func nextOpenUnit() -> Double {
    (Double(next() >> 11) + 0.5) * 0x1p-53
  }

  /// A standard normal draw (Marsaglia's polar method, one value per call).
  public mutating func nextNormal() -> Double {
    while true {
      let u = 2 * nextUnit() - 1
      let v = 2 * nextUnit() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        return u * (-2 * log(s) / s).squareRoot()
      }
    }
  }

  /// A uniform integer in `0..<bound` without modulo bias (Lemire's method).
  /// - Parameter bound: The exclusive upper bound; must be positive.
  /// - Returns: An integer in `0..<bound`.
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    return Int(next(upperBound: UInt64(bound)))
  }
}
