import Doppel
import Testing

@Suite struct ModeNormalizationTests {
  @Test func mixtureFindsTwoWellSeparatedModesAndRoundTrips() {
    var random = SeededGenerator(seed: 3)
    var values: [Double] = []
    for _ in 0..<3000 {
      values.append(random.nextUnit() < 0.25 ? 100 + 2 * random.nextNormal() : random.nextNormal())
    }
    let normal = ModeSpecificNormalization.fit(values)
    // The modes' weights near each cluster add up to the cluster shares (tolerance 0.03).
    var low = 0.0
    var high = 0.0
    for j in 0..<normal.modeCount {
      if abs(normal.means[j]) < 5 { low += normal.weights[j] }
      if abs(normal.means[j] - 100) < 10 { high += normal.weights[j] }
    }
    #expect(abs(low - 0.75) < 0.03)
    #expect(abs(high - 0.25) < 0.03)
    #expect(normal.weights.allSatisfy { $0 >= 0.005 })
    // Encoding then decoding returns the value (α is clipped only beyond 4σ of the mode).
    for x in [-1.5, 0.3, 98.0, 103.0] {
      let (mode, alpha) = normal.encode(x, random: &random)
      #expect(abs(normal.decode(mode: mode, alpha: alpha) - x) < 1e-9 * max(1, abs(x)) + 1e-9)
    }
  }

  @Test("a mostly-zero column gets one mode for the zeros and separate modes for the rest")
  func zeroInflatedColumnKeepsItsTail() {
    // Like adult's capital-loss: 95% zeros, the rest around 1,600 and 1,900 and a few near 4,000,
    // with some small values next to the spike that pull components onto it.
    var random = SeededGenerator(seed: 4)
    var values: [Double] = []
    for _ in 0..<5000 {
      let u = random.nextUnit()
      if u < 0.95 {
        values.append(u < 0.94 ? 0 : Double(1 + random.nextInt(below: 20)))
      } else if u < 0.975 {
        values.append((1600 + 40 * random.nextNormal()).rounded())
      } else if u < 0.995 {
        values.append((1900 + 40 * random.nextNormal()).rounded())
      } else {
        values.append((4000 + 100 * random.nextNormal()).rounded())
      }
    }
    let normal = ModeSpecificNormalization.fit(values)
    // No two modes alike: equal starts would stay equal and waste modes.
    for i in 0..<normal.modeCount {
      for j in 0..<i {
        #expect(
          abs(normal.means[i] - normal.means[j]) > 1
            || abs(
              normal.deviations[i] - normal.deviations[j]) > 1
        )
      }
    }
    // The zeros sit in narrow modes holding their 95% share; the tail's clusters have modes.
    let nearZero = normal.weights.indices.filter { abs(normal.means[$0]) < 25 }
    let zeroShare = nearZero.map { normal.weights[$0] }.reduce(0, +)
    #expect(abs(zeroShare - 0.95) < 0.01)
    #expect(nearZero.count <= 2, "\(nearZero.count) modes near 0")
    for center in [1600.0, 1900.0, 4000.0] {
      #expect(normal.means.contains { abs($0 - center) < 150 }, "no mode near \(center)")
    }
  }

  @Test func constantColumnGetsOneMode() {
    let normal = ModeSpecificNormalization.fit(Array(repeating: 3.25, count: 50))
    #expect(normal.modeCount == 1)
    var random = SeededGenerator(seed: 1)
    let (mode, alpha) = normal.encode(3.25, random: &random)
    #expect(normal.decode(mode: mode, alpha: alpha) == 3.25)
  }
}
