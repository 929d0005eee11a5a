import ArgumentParser
import DoppelServer
import Foundation

/// `doppel sagemaker`: SageMaker's bring-your-own-container training step.
struct SageMakerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sagemaker",
    abstract: "Amazon SageMaker's bring-your-own-container contract (training).",
    discussion: """
      `doppel sagemaker train` reads ROOT/input/config/hyperparameters.json (synthesizer, seed, \
      label, channel; other keys are synthesizer options) and the CSV files of \
      ROOT/input/data/CHANNEL/, and writes model.json with its report to ROOT/model/. Serve the \
      model with `doppel serve --sagemaker` (GET /ping, POST /invocations on port 8080).
      """,
    subcommands: [Train.self])

  struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Train on ROOT/input/data/CHANNEL/*.csv and write ROOT/model/.")

    @Option(name: .long, help: "The SageMaker root.")
    var root: String = SageMaker.defaultRoot

    func run() async throws {
      try await SageMaker.train(root: root) { print($0) }
    }
  }
}
