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
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CZlib", path: "Sources/CZlib", pkgConfig: nil, providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(
      name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: nil,
      providers: [.apt(["libopenblas-dev"])]),
    // Element loops that Swift does not vectorize (square roots, logarithms), in C.
    .target(
      name: "CKernels", path: "Sources/CKernels",
      cSettings: [.unsafeFlags(["-O3", "-fno-math-errno", "-ffp-contract=off"])]),
    .target(name: "DoppelCore", swiftSettings: swiftSettings),
    .target(name: "DoppelIO", dependencies: ["DoppelCore", "CZlib"], swiftSettings: swiftSettings),
    .target(name: "DoppelTransforms", dependencies: ["DoppelCore"], swiftSettings: swiftSettings),
    .target(
      name: "DoppelModels", dependencies: ["DoppelCore", "DoppelTransforms"],
      swiftSettings: swiftSettings),
    .target(
      name: "DoppelNeural",
      dependencies: ["DoppelCore", "DoppelTransforms", "DoppelModels", "COpenBLAS", "CKernels"],
      // Numeric kernels are optimized in debug builds too, so tests that train stay fast.
      swiftSettings: swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]),
    .target(name: "DoppelMetrics", dependencies: ["DoppelCore"], swiftSettings: swiftSettings),
    .target(
      name: "DoppelGenomics", dependencies: ["DoppelCore", "CZlib"], swiftSettings: swiftSettings),
    .target(
      name: "DoppelReport", dependencies: ["DoppelCore", "DoppelMetrics"],
      swiftSettings: swiftSettings),
    .target(
      name: "Doppel",
      dependencies: [
        "DoppelCore", "DoppelIO", "DoppelTransforms", "DoppelModels", "DoppelMetrics",
        "DoppelReport", "DoppelGenomics", "DoppelNeural",
      ],
      swiftSettings: swiftSettings),
    .target(name: "DoppelTesting", dependencies: ["Doppel"], swiftSettings: swiftSettings),
    // SQLite (GRDB) and PostgreSQL (PostgresNIO) tables and the S3 client (AsyncHTTPClient +
    // swift-crypto) live in their own module rather than in DoppelIO, so that the library
    // modules, the `Doppel` umbrella and their tests build without the networking packages;
    // only the pipeline, the service and the CLI pay for them.
    .target(
      name: "DoppelStores",
      dependencies: [
        "DoppelCore", "DoppelIO", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      swiftSettings: swiftSettings),
    // The pipeline drives the whole flow of `doppel run` (TableSource, the standard registry,
    // Evaluator, HTMLReport) for many tables, so it builds on the `Doppel` umbrella.
    .target(
      name: "DoppelPipeline",
      dependencies: ["Doppel", "DoppelStores", .product(name: "Yams", package: "Yams")],
      swiftSettings: swiftSettings),
    .target(
      name: "DoppelServer",
      dependencies: [
        "DoppelPipeline", "DoppelStores", .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: swiftSettings),
    .executableTarget(
      name: "DoppelCLI",
      dependencies: [
        "Doppel", "DoppelPipeline", "DoppelServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
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
      name: "DoppelGenomicsTests", dependencies: ["DoppelGenomics"], resources: [.copy("Fixtures")],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelStoresTests", dependencies: ["DoppelStores", "DoppelTesting"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelPipelineTests", dependencies: ["DoppelPipeline", "DoppelTesting"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelServerTests",
      dependencies: [
        "DoppelServer", "DoppelTesting",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelNeuralTests", dependencies: ["DoppelNeural", "DoppelTesting"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "DoppelCLITests", dependencies: ["DoppelCLI", "Doppel"], swiftSettings: swiftSettings),
  ]
)
