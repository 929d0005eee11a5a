import DoppelCore
import Foundation

/// The versioned JSON file a fitted model is saved in.
///
/// Layout: `{"formatVersion": 1, "kind": "gaussian-copula", "doppelVersion": "…", "model": {…}}`
/// with sorted keys. Reading checks, in order: valid JSON, a known `formatVersion` (a newer one
/// fails with `unsupportedVersion`), a registered `kind`, and a model body that decodes.
public enum ModelFile {
  /// The model file format this version writes and reads.
  public static let formatVersion = 1

  private struct Header: Decodable {
    var formatVersion: Int?
    var kind: String?
  }

  private struct Envelope<Model: Encodable>: Encodable {
    var formatVersion: Int
    var kind: String
    var doppelVersion: String
    var model: Model
  }

  private struct Body<Model: Decodable>: Decodable {
    var model: Model
  }

  /// Encodes a model as a model file.
  /// - Parameter model: A fitted model.
  /// - Returns: The JSON bytes.
  /// - Throws: An encoding error if the model holds non-finite numbers.
  public static func encode(_ model: some FittedModel) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let kind = type(of: model).kind
    return try encoder.encode(
      Envelope(
        formatVersion: formatVersion, kind: kind, doppelVersion: DoppelVersion.current,
        model: model))
  }

  /// Reads the `kind` of a model file after checking its version.
  /// - Parameter data: The file's bytes.
  /// - Returns: The registry name stored in the file.
  /// - Throws: ``DoppelError`` `corruptModel` or `unsupportedVersion`.
  public static func kind(of data: Data) throws -> String {
    let header: Header
    do {
      header = try JSONDecoder().decode(Header.self, from: data)
    } catch {
      throw DoppelError(
        .corruptModel,
        "the model file is not valid JSON (it may be truncated or damaged); fit the model again")
    }
    guard let version = header.formatVersion, let kind = header.kind else {
      throw DoppelError(
        .corruptModel,
        "the file is not a Doppel model (no formatVersion or kind); fit a model with `doppel fit`")
    }
    if version > formatVersion {
      throw DoppelError(
        .unsupportedVersion,
        "the model file has formatVersion \(version), newer than this Doppel reads (\(formatVersion)); upgrade Doppel"
      )
    }
    return kind
  }

  /// Decodes the model body of a file whose kind is known.
  /// - Parameters:
  ///   - type: The fitted model type.
  ///   - data: The file's bytes.
  /// - Returns: The model.
  /// - Throws: ``DoppelError`` `corruptModel` when the body does not decode.
  public static func decodeModel<Model: FittedModel>(_ type: Model.Type, from data: Data) throws
    -> Model
  {
    do {
      return try JSONDecoder().decode(Body<Model>.self, from: data).model
    } catch let error as DoppelError {
      throw error
    } catch {
      throw DoppelError(
        .corruptModel,
        "the \(Model.kind) model in the file is damaged or incomplete (\(ModelFile.describe(error))); fit the model again"
      )
    }
  }

  /// A short description of a decoding error that names the failing key path but no values.
  /// - Parameter error: Any error, usually a `DecodingError`.
  /// - Returns: Text such as `missing "columns" at top level`.
  public static func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "unreadable" }
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
      return keys.isEmpty ? "top level" : keys.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "missing \"\(key.stringValue)\" at \(path(context))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "wrong type at \(path(context))"
    case .dataCorrupted(let context):
      return "bad value at \(path(context))"
    @unknown default:
      return "unreadable"
    }
  }
}

/// The version of this Doppel build, recorded in model files and reports.
public enum DoppelVersion {
  /// The version text.
  public static let current = "0.1.0"
}
