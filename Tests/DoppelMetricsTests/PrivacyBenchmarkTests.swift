import Doppel
import Foundation
import Testing

/// Times every privacy measure on adult: 26,048 synthetic rows against 26,048 training rows and a
/// 6,513-row holdout. Run in release, only when asked:
///
///     DOPPEL_PRIVACY_BENCH=1 swift test -c release -Xswiftc -enable-testing \
///       --scratch-path .build-priv --filter PrivacyBenchmark
///
/// It prints the time and asserts nothing about it.
@Suite("Privacy benchmark")
struct PrivacyBenchmarkTests {
  @Test(
    "adult: all privacy measures on 26k synthetic and 26k training rows",
    .enabled(if: ProcessInfo.processInfo.environment["DOPPEL_PRIVACY_BENCH"] != nil))
  func adult() async throws {
    let (adult, metadata) = try PrivacyFixtures.adult()
    let parts = PrivacyFixtures.split(adult, sizes: [26_048, 6_513], seed: 2024)
    let synthetic = try await PrivacyFixtures.copulaSample(
      of: parts[0], metadata: metadata, rows: 26_048, seed: 2024)
    let clock = ContinuousClock()
    var best = Duration.seconds(1_000)
    var result: PrivacyResult?
    for _ in 0..<3 {
      let started = clock.now
      result = try PrivacyEvaluator.evaluate(
        train: parts[0], synthetic: synthetic, holdout: parts[1], keys: ["age", "sex", "race"],
        sensitive: "income", seed: 1)
      best = min(best, clock.now - started)
    }
    let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) * 1e-18
    print("privacy benchmark: adult 26048 × 26048 (+ 6513 holdout), best of 3: \(seconds) s")
    for verdict in result?.verdicts ?? [] {
      print("  \(verdict.measure) [\(verdict.level)]: \(verdict.text)")
    }
    #expect(result != nil)
  }
}
