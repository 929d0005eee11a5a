import DoppelCore
import Foundation

/// Network weights as stored in a model file: each tensor's shape and its values as base64 of
/// little-endian 32-bit floats.
public struct StoredTensor: Codable, Sendable, Equatable {
  /// The number of rows.
  public var rows: Int
  /// The number of columns.
  public var cols: Int
  /// Base64 of `rows × cols` little-endian Float32 values, row-major.
  public var values: String

  init(_ tensor: Tensor) {
    rows = tensor.rows
    cols = tensor.cols
    var bytes: [UInt8] = []
    bytes.reserveCapacity(tensor.count * 4)
    for x in tensor.data {
      let bits = x.bitPattern.littleEndian
      withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
    }
    values = Data(bytes).base64EncodedString()
  }

  func tensor() throws -> Tensor {
    guard rows >= 0, cols >= 0, let data = Data(base64Encoded: values),
      data.count == rows * cols * 4
    else {
      throw DoppelError(
        .corruptModel, "a weight tensor in the model file is damaged; fit the model again")
    }
    var out = [Float](repeating: 0, count: rows * cols)
    data.withUnsafeBytes { raw in
      for i in 0..<out.count {
        let bits = raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
        out[i] = Float(bitPattern: UInt32(littleEndian: bits))
      }
    }
    guard out.allSatisfy(\.isFinite) else {
      throw DoppelError(
        .corruptModel, "a weight tensor in the model file holds non-finite values; fit again")
    }
    return Tensor(rows: rows, cols: cols, data: out)
  }
}

extension Array where Element == StoredTensor {
  /// Copies stored values into parameters of matching shapes.
  func load(into parameters: [Variable]) throws {
    guard count == parameters.count else {
      throw DoppelError(
        .corruptModel,
        "the model file has \(count) weight tensors where \(parameters.count) are expected")
    }
    for (stored, parameter) in zip(self, parameters) {
      let tensor = try stored.tensor()
      guard tensor.hasShape(of: parameter.value) else {
        throw DoppelError(.corruptModel, "a weight tensor in the model file has the wrong shape")
      }
      parameter.value = tensor
    }
  }
}

extension Array where Element == Variable {
  /// The current values, ready to store.
  var stored: [StoredTensor] { map { StoredTensor($0.value) } }
}
