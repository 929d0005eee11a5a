import ArgumentParser
import Doppel
import Foundation

/// `doppel synthesizers`: list the registered synthesizers and their options.
struct SynthesizersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synthesizers", abstract: "List the synthesizers and their default options.")

  func run() async throws {
    for entry in SynthesizerRegistry.standard.entries {
      print("\(entry.kind): \(entry.summary)")
      let synthesizer = try entry.make([:])
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      let data = try encoder.encode(synthesizer)
      print("  defaults: \(String(decoding: data, as: UTF8.self))")
    }
  }
}
