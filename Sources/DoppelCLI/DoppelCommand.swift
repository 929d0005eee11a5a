import ArgumentParser
import Doppel

/// The `doppel` command: synthetic data with its evidence.
@main
struct DoppelCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "doppel",
    abstract: "Synthetic data that keeps the statistics of real data but not its people.",
    discussion: """
      Start with `doppel run data.csv`: it inspects the table, fits a synthesizer, samples a
      synthetic table of the same size and scores how close it is, all in one folder.
      """,
    version: DoppelVersion.current,
    subcommands: [
      RunCommand.self, InspectCommand.self, FitCommand.self, SampleCommand.self,
      EvaluateCommand.self, ReportCommand.self, CombineCommand.self,
      SynthesizersCommand.self, GenomeCommand.self, PipelineCommand.self, ServeCommand.self,
      TokenCommand.self, WatchCommand.self, SageMakerCommand.self,
    ])
}
