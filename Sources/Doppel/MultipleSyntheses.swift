import DoppelCore
import Foundation

/// Names and seeds of m synthetic tables drawn from one model, for inference with combining
/// rules (Rubin, "Discussion: statistical disclosure limitation", Journal of Official Statistics
/// 9(2), 1993; Raghunathan, Reiter and Rubin 2003).
///
/// Synthesis `i` (1-based) of `out.csv` is written to `out_i.csv` with the seed
/// `SeededGenerator.derive(seed:label: "synthesis", index: i)`, so the m tables are reproducible
/// from the one seed and differ from each other.
public enum MultipleSyntheses {
  /// The path of synthesis `index`: `out.csv` → `out_3.csv`, `out.csv.gz` → `out_3.csv.gz`,
  /// `out` → `out_3`.
  /// - Parameters:
  ///   - path: The output path given.
  ///   - index: The 1-based synthesis number.
  /// - Returns: The numbered path.
  public static func path(_ path: String, index: Int) -> String {
    let url = URL(fileURLWithPath: path)
    let folder = (path as NSString).deletingLastPathComponent
    var name = url.lastPathComponent
    var suffix = ""
    for ending in [".csv.gz", ".jsonl.gz", ".csv", ".jsonl", ".tsv", ".txt", ".gz"]
    where name.hasSuffix(ending) && name.count > ending.count {
      suffix = ending
      name.removeLast(ending.count)
      break
    }
    let numbered = "\(name)_\(index)\(suffix)"
    return folder.isEmpty ? numbered : folder + "/" + numbered
  }

  /// The sampling seed of synthesis `index`.
  /// - Parameters:
  ///   - seed: The seed given.
  ///   - index: The 1-based synthesis number.
  /// - Returns: The derived seed.
  public static func seed(_ seed: UInt64, index: Int) -> UInt64 {
    SeededGenerator.derive(seed: seed, label: "synthesis", index: UInt64(index))
  }
}
