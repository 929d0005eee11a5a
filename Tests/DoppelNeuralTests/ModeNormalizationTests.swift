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

  @Test func constantColumnGetsOneMode() {
    let normal = ModeSpecificNormalization.fit(Array(repeating: 3.25, count: 50))
    #expect(normal.modeCount == 1)
    var random = SeededGenerator(seed: 1)
    let (mode, alpha) = normal.encode(3.25, random: &random)
    #expect(normal.decode(mode: mode, alpha: alpha) == 3.25)
  }
}
