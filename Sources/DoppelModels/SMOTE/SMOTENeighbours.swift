import DoppelCore
import Foundation

/// The rows of one class of a SMOTE model and each row's nearest neighbours within the class.
public struct SMOTEClass: Sendable, Equatable, Codable {
  /// The class's code in the label column's labels, or −1 for rows whose label is missing.
  public var code: Int32
  /// The training rows of the class, ascending.
  public var rows: [Int]
  /// For each entry of ``rows``, the positions in ``rows`` of its nearest neighbours, nearest
  /// first: min(k, class size − 1) of them.
  public var neighbours: [[Int32]]

  /// Creates a class.
  /// - Parameters:
  ///   - code: The class's label code, or −1 for missing.
  ///   - rows: Its training rows.
  ///   - neighbours: Each row's neighbours, as positions in `rows`.
  public init(code: Int32, rows: [Int], neighbours: [[Int32]]) {
    self.code = code
    self.rows = rows
    self.neighbours = neighbours
  }
}

/// Brute-force k-nearest-neighbour search within each class under the SMOTE-NC distance (see
/// ``SMOTESynthesizer``), with partial-distance early exit (Bei and Gray, IEEE Transactions on
/// Communications 33(10), 1985). Ties go to the earlier row, so results do not depend on the
/// number of threads.
struct SMOTENeighbours {
  let columns: [SMOTEColumn]
  let label: Int
  let k: Int

  /// The classes in label order, then rows with a missing label; each with its neighbours.
  func classes() -> [SMOTEClass] {
    guard let labelCodes = columns[label].codes, let labels = columns[label].labels else {
      return []
    }
    let rows = labelCodes.count
    // Standardisation over the whole table.
    let numeric = columns.indices.filter { $0 != label && columns[$0].numbers != nil }
    let categorical = columns.indices.filter { $0 != label && columns[$0].codes != nil }
    let missing = numeric.map { columns[$0].missingFlags(rows: rows) }
    let scales = numeric.enumerated().map { position, column in
      standardDeviation(columns[column].numbers ?? [], present: missing[position]) ?? 1
    }
    let order = labels.indices.sorted {
      labels[$0] < labels[$1] || (labels[$0] == labels[$1] && $0 < $1)
    }
    var classes: [SMOTEClass] = []
    for code in order.map(Int32.init) + [-1] {
      let members = (0..<rows).filter { labelCodes[$0] == code }
      guard !members.isEmpty else { continue }
      // Row-major features: numbers scaled (NaN for missing), then category codes.
      let p = numeric.count
      let q = categorical.count
      var values = [Double](repeating: 0, count: members.count * p)
      var codes = [Int32](repeating: 0, count: members.count * q)
      for (i, row) in members.enumerated() {
        for (f, column) in numeric.enumerated() {
          values[i * p + f] =
            missing[f][row] ? .nan : (columns[column].numbers?[row] ?? 0) / scales[f]
        }
        for (f, column) in categorical.enumerated() {
          codes[i * q + f] = columns[column].codes?[row] ?? -1
        }
      }
      let spreads = (0..<p).compactMap { f -> Double? in
        let column = (0..<members.count).map { values[$0 * p + f] }
        return standardDeviation(
          column.map { $0.isNaN ? 0 : $0 }, present: column.map(\.isNaN))
      }
      let median = spreads.isEmpty ? 1 : spreads.sorted()[spreads.count / 2]
      let penalty = median * median
      let neighbours = search(
        values: values, codes: codes, count: members.count, p: p, q: q, penalty: penalty)
      classes.append(SMOTEClass(code: code, rows: members, neighbours: neighbours))
    }
    return classes
  }

  /// The standard deviation of the values whose `missing` flag is false, or `nil` when fewer than
  /// two are present or it is 0.
  private func standardDeviation(_ values: [Double], present missing: [Bool]) -> Double? {
    var count = 0.0
    var mean = 0.0
    var m2 = 0.0
    for (value, isMissing) in zip(values, missing) where !isMissing {
      count += 1
      let delta = value - mean
      mean += delta / count
      m2 += delta * (value - mean)
    }
    guard count >= 2 else { return nil }
    let sd = (m2 / (count - 1)).squareRoot()
    return sd > 0 && sd.isFinite ? sd : nil
  }

  /// Each row's nearest rows, by brute force over all pairs.
  private func search(
    values: [Double], codes: [Int32], count: Int, p: Int, q: Int, penalty: Double
  ) -> [[Int32]] {
    let wanted = min(k, count - 1)
    guard wanted > 0 else { return [[Int32]](repeating: [], count: count) }
    var flat = [Int32](repeating: 0, count: count * wanted)
    flat.withUnsafeMutableBufferPointer { output in
      nonisolated(unsafe) let output = output
      values.withUnsafeBufferPointer { values in
        codes.withUnsafeBufferPointer { codes in
          nonisolated(unsafe) let values = values
          nonisolated(unsafe) let codes = codes
          ParallelRows.forEachChunk(count: count, minimumPerWorker: 64) { chunk in
            var bestDistance = [Double](repeating: .infinity, count: wanted)
            var bestIndex = [Int32](repeating: -1, count: wanted)
            for i in chunk {
              for slot in 0..<wanted {
                bestDistance[slot] = .infinity
                bestIndex[slot] = -1
              }
              var worst = Double.infinity
              for j in 0..<count where j != i {
                var distance = 0.0
                var f = 0
                while f < q && distance < worst {
                  if codes[i * q + f] != codes[j * q + f] { distance += penalty }
                  f += 1
                }
                f = 0
                while f < p && distance < worst {
                  let a = values[i * p + f]
                  let b = values[j * p + f]
                  if a.isNaN || b.isNaN {
                    if a.isNaN != b.isNaN { distance += penalty }
                  } else {
                    let gap = a - b
                    distance += gap * gap
                  }
                  f += 1
                }
                guard distance < worst else { continue }
                // Insert, keeping the list sorted; an equal distance stays behind earlier rows.
                var slot = wanted - 1
                while slot > 0 && bestDistance[slot - 1] > distance {
                  bestDistance[slot] = bestDistance[slot - 1]
                  bestIndex[slot] = bestIndex[slot - 1]
                  slot -= 1
                }
                bestDistance[slot] = distance
                bestIndex[slot] = Int32(j)
                worst = bestDistance[wanted - 1]
              }
              for slot in 0..<wanted { output[i * wanted + slot] = bestIndex[slot] }
            }
          }
        }
      }
    }
    return (0..<count).map { Array(flat[($0 * wanted)..<(($0 + 1) * wanted)]) }
  }
}
