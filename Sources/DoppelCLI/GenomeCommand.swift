import ArgumentParser
import Doppel
import Foundation

/// `doppel genome`: sequencing reads with known variants, and a truth comparison.
struct GenomeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "genome",
    abstract: "Simulate sequencing reads with known variants, and score variant calls.",
    subcommands: [GenomeSimulateCommand.self, GenomeEvaluateCommand.self])
}
