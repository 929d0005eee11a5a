// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "Doppel",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "Doppel", targets: ["Doppel"]),
    .library(name: "DoppelTesting", targets: ["DoppelTesting"]),
    .executable(name: "doppel", targets: ["DoppelCLI"]),
    .executable(name: "doppel-bench", targets: ["DoppelBench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    .systemLibrary(
      name: "CZlib", path: "Sources/CZlib", pkgConfig: nil, providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(
      name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: nil,
      providers: [.apt(["libopenblas-dev"])]),
    .target(name: "DoppelCore", swiftSettings: swiftSettings),
    .target(name: "DoppelIO", dependencies: ["DoppelCore", "CZlib"], swiftSettings: swiftSettings),
    .target(name: "DoppelTransforms", dependencies: ["DoppelCore"], swiftSettings: swiftSettings),
    .target(
      name: "DoppelModels", dependencies: ["DoppelCore", "DoppelTransforms"],
      swiftSettings: swiftSettings),
    .target(
      name: "DoppelNeural",
      dependencies: ["DoppelCore", "DoppelTransforms", "DoppelModels", "COpenBLAS"],
      // Numeric kernels are optimized in debug builds too, so tests that train stay fast.
      swiftSettings: swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]),
    .target(name: "DoppelMetrics", dependencies: ["DoppelCore"], swiftSettings: swiftSettings),
    .target(
      name: "DoppelReport", dependencies: ["DoppelCore", "DoppelMetrics"],
      swiftSettings: swiftSettings),
    .target(
      name: "Doppel",
      dependencies: [
        "DoppelCore", "DoppelIO", "DoppelTransforms", "DoppelModels", "DoppelMetrics",
        "DoppelReport", "DoppelNeural",
      ],
      swiftSettings: swiftSettings),
    .target(name: "DoppelTesting", dependencies: ["Doppel"], swiftSettings: swiftSettings),
    .executableTarget(
      name: "DoppelCLI",
      dependencies: ["Doppel", .product(name: "ArgumentParser", package: "swift-argument-parser")],
      swiftSettings: swiftSettings),
    .executableTarget(
      name: "DoppelBench", dependencies: ["Doppel"], path: "Benchmarks/DoppelBench",
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelCoreTests", dependencies: ["DoppelCore"], swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelTransformsTests", dependencies: ["DoppelTransforms"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelIOTests", dependencies: ["DoppelIO"], resources: [.copy("Fixtures")],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelMetricsTests", dependencies: ["DoppelMetrics", "Doppel"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelReportTests", dependencies: ["DoppelReport", "Doppel"],
      exclude: ["Snapshots"], swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelModelsTests", dependencies: ["Doppel", "DoppelTesting"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelNeuralTests", dependencies: ["DoppelNeural", "DoppelTesting"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelCLITests", dependencies: ["DoppelCLI", "Doppel"], swiftSettings: swiftSettings),
  ]
)
