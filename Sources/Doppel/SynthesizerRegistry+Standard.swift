import DoppelModels
import DoppelNeural

extension SynthesizerRegistry {
  /// Every built-in synthesizer, registered under its kind.
  public static var standard: SynthesizerRegistry {
    var registry = SynthesizerRegistry()
    registry.register(
      GaussianCopulaSynthesizer.self,
      summary: "Gaussian copula with goodness-of-fit marginals; fast, good for any size")
    registry.register(
      BayesianNetworkSynthesizer.self,
      summary: "Bayesian network (Chow-Liu tree or greedy BIC search) over binned columns")
    registry.register(
      PrivBayesSynthesizer.self,
      summary: "PrivBayes: epsilon-differentially private Bayesian network (option epsilon=1)")
    registry.register(
      MSTSynthesizer.self,
      summary:
        "MST: (epsilon, delta)-DP maximum spanning tree of noisy marginals (option epsilon=1)")
    registry.register(
      GaussianMixtureSynthesizer.self,
      summary:
        "Gaussian mixture (EM, components chosen by BIC) over one-hot and standardised columns")
    registry.register(
      SMOTESynthesizer.self,
      summary:
        "SMOTE/SMOTE-NC interpolation between same-class neighbours (option label=COLUMN); stores real rows"
    )
    registry.register(
      CARTSynthesizer.self,
      summary: "Sequential CART (synthpop): trees per column; partial synthesis with synthesize=a,b"
    )
    registry.register(
      TVAESynthesizer.self,
      summary: "TVAE: variational autoencoder for tables (options epochs=300, batchSize=500)")
    registry.register(
      CTGANSynthesizer.self,
      summary: "CTGAN: conditional GAN for tables (options epochs=300, batchSize=500, pac=10)")
    registry.register(
      TabDDPMSynthesizer.self,
      summary:
        "TabDDPM: Gaussian + multinomial diffusion for tables (options epochs=100, timesteps=1000)")
    return registry
  }
}
