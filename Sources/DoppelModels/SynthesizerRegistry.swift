import DoppelCore
import Foundation

/// Finds synthesizers by name, builds them from text options and reads their model files.
///
/// `SynthesizerRegistry.standard` (in the `Doppel` module) registers every built-in synthesizer.
public struct SynthesizerRegistry: Sendable {
  /// One registered synthesizer.
  public struct Entry: Sendable {
    /// The registry name.
    public let kind: String
    /// A one-line description for `--help` and listings.
    public let summary: String
    /// Builds the synthesizer from `key=value` options.
    public let make: @Sendable ([String: String]) throws -> any Synthesizer
    /// Decodes a model file body of this kind.
    public let decode: @Sendable (Data) throws -> any FittedModel
  }

  /// The entries, in registration order.
  public private(set) var entries: [Entry] = []

  /// Creates an empty registry.
  public init() {}

  /// Registers a synthesizer type.
  /// - Parameters:
  ///   - type: The synthesizer type.
  ///   - summary: A one-line description.
  public mutating func register<S: Synthesizer>(_ type: S.Type, summary: String) {
    entries.removeAll { $0.kind == S.kind }
    entries.append(
      Entry(
        kind: S.kind, summary: summary,
        make: { options in try SynthesizerOptions.decode(S.self, from: options) },
        decode: { data in try ModelFile.decodeModel(S.Model.self, from: data) }))
  }

  /// The registered names, in registration order.
  public var kinds: [String] { entries.map(\.kind) }

  /// Builds a synthesizer by name.
  /// - Parameters:
  ///   - kind: The registry name.
  ///   - options: Hyper-parameters as text, such as `["marginal": "empirical"]`.
  /// - Returns: The synthesizer.
  /// - Throws: ``DoppelError`` `unknownSynthesizer` or `invalidArgument`.
  public func synthesizer(_ kind: String, options: [String: String] = [:]) throws
    -> any Synthesizer
  {
    try entry(kind).make(options)
  }

  /// Reads a model file of any registered kind.
  /// - Parameter data: The file's bytes.
  /// - Returns: The fitted model.
  /// - Throws: ``DoppelError`` `corruptModel`, `unsupportedVersion` or `unknownSynthesizer`.
  public func loadModel(_ data: Data) throws -> any FittedModel {
    let kind = try ModelFile.kind(of: data)
    return try entry(kind).decode(data)
  }

  private func entry(_ kind: String) throws -> Entry {
    guard let entry = entries.first(where: { $0.kind == kind }) else {
      throw DoppelError(
        .unknownSynthesizer,
        "no synthesizer is called \"\(kind)\"; choose one of: \(kinds.joined(separator: ", "))")
    }
    return entry
  }
}

/// Turns `key=value` text options into a synthesizer's hyper-parameters.
public enum SynthesizerOptions {
  /// Decodes a synthesizer from text options: numbers, `true`/`false` and text are tried in that
  /// order; unknown keys are rejected.
  /// - Parameters:
  ///   - type: The synthesizer type.
  ///   - options: Text options.
  /// - Returns: The synthesizer with those hyper-parameters and defaults for the rest.
  /// - Throws: ``DoppelError`` `invalidArgument` naming unknown or invalid options.
  public static func decode<S: Synthesizer>(_ type: S.Type, from options: [String: String]) throws
    -> S
  {
    var object: [String: Any] = [:]
    for (key, text) in options {
      if let integer = Int(text) {
        object[key] = integer
      } else if let number = Double(text), number.isFinite {
        object[key] = number
      } else if text == "true" || text == "false" {
        object[key] = text == "true"
      } else {
        object[key] = text
      }
    }
    let synthesizer: S
    do {
      let data = try JSONSerialization.data(withJSONObject: object)
      synthesizer = try JSONDecoder().decode(S.self, from: data)
    } catch let error as DoppelError {
      throw error
    } catch {
      throw DoppelError(
        .invalidArgument,
        "invalid option for \(S.kind) (\(ModelFile.describe(error))); see `doppel fit --help`")
    }
    let known = try knownKeys(of: synthesizer)
    let unknown = options.keys.filter { !known.contains($0) }.sorted()
    if !unknown.isEmpty {
      throw DoppelError(
        .invalidArgument,
        "unknown option(s) for \(S.kind): \(unknown.joined(separator: ", ")); known: \(known.sorted().joined(separator: ", "))"
      )
    }
    return synthesizer
  }

  /// The hyper-parameter names of a synthesizer value.
  /// - Parameter synthesizer: A synthesizer.
  /// - Returns: The keys its encoding uses.
  /// - Throws: An encoding error.
  public static func knownKeys(of synthesizer: some Synthesizer) throws -> Set<String> {
    let data = try JSONEncoder().encode(synthesizer)
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    return Set(object?.keys ?? [String: Any]().keys)
  }
}
