// swift-tools-version: 6.0
import PackageDescription
import Foundation

/// Kernels must be compiled for the CPU they run on: on the default x86-64 target
/// `SIMD8<Float>.addProduct` becomes eight calls to libm's `fmaf`. The Makefile resolves the
/// host CPU's name (e.g. `znver3`) and passes it in `HWNAS_TARGET_CPU`; a bare `swift build`
/// uses `native`. The same name reaches the C target `CPlatform`, which records it in the binary.
let targetCPU = ProcessInfo.processInfo.environment["HWNAS_TARGET_CPU"].flatMap { $0.isEmpty ? nil : $0 } ?? "native"

#if arch(x86_64)
let swiftCPUFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", targetCPU])]
let cCPUFlags: [CSetting] = [.unsafeFlags(["-march=\(targetCPU)"]), .define("HWNAS_TARGET_CPU", to: "\"\(targetCPU)\"")]
#else
let swiftCPUFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", targetCPU])]
let cCPUFlags: [CSetting] = [.unsafeFlags(["-mcpu=\(targetCPU)"]), .define("HWNAS_TARGET_CPU", to: "\"\(targetCPU)\"")]
#endif

let package = Package(
    name: "hwnas",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hwnas", targets: ["hwnas"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "CHwloc", pkgConfig: "hwloc", providers: [.apt(["libhwloc-dev"])]),
        .systemLibrary(name: "CPapi", pkgConfig: "papi", providers: [.apt(["libpapi-dev"])]),
        .systemLibrary(name: "CBlas", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "CPlatform", cSettings: cCPUFlags),
        // Optimised in debug builds too: the tests hash checkpoints of tens of megabytes
        // (SHA-256), which unoptimised code takes tens of seconds for.
        .target(name: "Support", swiftSettings: swiftCPUFlags + [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "Counters", dependencies: ["CPapi", "Support"], swiftSettings: swiftCPUFlags),
        .target(
            name: "Hardware",
            dependencies: ["CHwloc", "CBlas", "CPlatform", "Counters", "Support"],
            swiftSettings: swiftCPUFlags
        ),
        // Kernels are optimised in debug builds too: the tests run real blocks, and unoptimised
        // SIMD code is two orders of magnitude slower.
        .target(
            name: "Kernels", dependencies: ["CBlas", "CPlatform", "Support"],
            swiftSettings: swiftCPUFlags + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(name: "SuperNet", dependencies: ["Support"], swiftSettings: swiftCPUFlags),
        // The ONNX schema's Swift types, generated once from the onnx package's onnx.proto.
        .target(name: "OnnxSchema", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // Blocks and sub-networks as ONNX models, from weights handed in.
        .target(
            name: "Onnx", dependencies: ["OnnxSchema", "SuperNet", "Support", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: swiftCPUFlags
        ),
        // Tokenizer, task readers, batching and safetensors: what fine-tuning reads.
        .target(name: "Datasets", dependencies: ["Support"], swiftSettings: swiftCPUFlags),
        // Training's vector loops run in every gradient check and step: optimised in debug
        // builds too, as Kernels are. Without errno, Float.squareRoot is an instruction the
        // optimiser's update loop vectorises, not a libm call per value.
        .target(
            name: "Training", dependencies: ["CBlas", "Kernels", "Support"],
            swiftSettings: swiftCPUFlags + [
                .unsafeFlags(["-Xcc", "-fno-math-errno"]), .unsafeFlags(["-O"], .when(configuration: .debug)),
            ]
        ),
        // The native runtime reads the BLAS and build target it describes from Hardware.
        .target(name: "Runtime", dependencies: ["Kernels", "SuperNet", "Hardware", "Onnx", "Support", "CPlatform"], swiftSettings: swiftCPUFlags),
        .target(
            name: "Profiler",
            dependencies: ["Hardware", "Counters", "Runtime", "SuperNet", "Support", "CPlatform"],
            swiftSettings: swiftCPUFlags
        ),
        .target(
            name: "CostModel",
            dependencies: ["Hardware", "Profiler", "Runtime", "SuperNet", "Support"],
            swiftSettings: swiftCPUFlags
        ),
        .target(name: "Optimization", dependencies: ["Support"], swiftSettings: swiftCPUFlags),
        .target(name: "Predictors", dependencies: ["CBlas", "SuperNet", "Support"], swiftSettings: swiftCPUFlags),
        .target(
            name: "Search", dependencies: ["Optimization", "SuperNet", "CostModel", "Support", "Training"],
            swiftSettings: swiftCPUFlags
        ),
        .target(
            name: "Reports", dependencies: ["CostModel", "Hardware", "Optimization", "Profiler", "Runtime", "Search", "SuperNet", "Support"],
            swiftSettings: swiftCPUFlags
        ),
        .target(
            name: "Workflows",
            dependencies: [
                "Hardware", "CostModel", "Optimization", "Predictors", "Search", "Reports", "SuperNet", "Support",
                "Training", "Datasets", "Runtime", "Kernels", "Onnx",
            ],
            swiftSettings: swiftCPUFlags
        ),
        .target(
            name: "HwnasCLI",
            dependencies: [
                "Hardware", "Counters", "Support", "SuperNet", "Runtime", "Profiler", "CostModel", "Optimization", "Predictors",
                "Search", "Reports", "Workflows", "Datasets", "Training",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftCPUFlags
        ),
        .executableTarget(name: "hwnas", dependencies: ["HwnasCLI"], swiftSettings: swiftCPUFlags),
        .target(name: "HwnasTestSupport", dependencies: ["CostModel", "Profiler", "Hardware", "Runtime", "SuperNet", "Support"], path: "Tests/HwnasTestSupport"),
        .testTarget(name: "SupportTests", dependencies: ["Support"], swiftSettings: swiftCPUFlags),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "Support"], swiftSettings: swiftCPUFlags),
        .testTarget(name: "SuperNetTests", dependencies: ["SuperNet", "Support"], swiftSettings: swiftCPUFlags),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Support"], swiftSettings: swiftCPUFlags),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Kernels", "CBlas", "Support"], swiftSettings: swiftCPUFlags),
        .testTarget(
            name: "OnnxTests",
            dependencies: ["Onnx", "OnnxSchema", "Runtime", "Kernels", "SuperNet", "Support", "Workflows", "Training", "Datasets", "Search", "HwnasTestSupport"],
            swiftSettings: swiftCPUFlags
        ),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Kernels", "SuperNet", "Support", "Onnx"], swiftSettings: swiftCPUFlags),
        .testTarget(name: "ProfilerTests", dependencies: ["Profiler", "Runtime", "Support", "Hardware"], swiftSettings: swiftCPUFlags),
        .testTarget(name: "CostModelTests", dependencies: ["CostModel", "Profiler", "Runtime", "Hardware", "SuperNet", "Support", "HwnasTestSupport"], swiftSettings: swiftCPUFlags),
        .testTarget(
            name: "OptimizationTests", dependencies: ["Optimization", "Support"], resources: [.copy("Fixtures")],
            swiftSettings: swiftCPUFlags
        ),
        .testTarget(name: "PredictorsTests", dependencies: ["Predictors", "SuperNet", "Support"], swiftSettings: swiftCPUFlags),
        .testTarget(name: "SearchTests", dependencies: ["Search", "Optimization", "SuperNet", "CostModel", "Support", "Training", "Profiler", "Hardware", "HwnasTestSupport"], swiftSettings: swiftCPUFlags),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Optimization", "Search", "CostModel", "SuperNet", "Support"], swiftSettings: swiftCPUFlags),
        .testTarget(name: "CountersTests", dependencies: ["Counters", "Hardware", "Support", "HwnasTestSupport"], swiftSettings: swiftCPUFlags),
        .testTarget(name: "HardwareTests", dependencies: ["Hardware", "CBlas", "CPlatform", "Counters", "Support", "HwnasTestSupport"], swiftSettings: swiftCPUFlags),
        .testTarget(
            name: "WorkflowsTests",
            dependencies: [
                "Workflows", "Optimization", "Reports", "Search", "CostModel", "SuperNet", "Support", "Training", "Datasets",
                "Profiler", "Hardware", "Predictors", "HwnasTestSupport",
            ],
            swiftSettings: swiftCPUFlags
        ),
        .testTarget(
            name: "HwnasCLITests",
            dependencies: [
                "HwnasCLI", "hwnas", "Hardware", "Counters", "HwnasTestSupport", "Search", "Workflows",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftCPUFlags
        ),
        // Reads Package.swift and the sources: every import declared, no module importing a higher one.
        .testTarget(name: "ArchitectureTests", dependencies: ["SuperNet"], swiftSettings: swiftCPUFlags),
        .executableTarget(
            name: "kernel-bench", dependencies: ["Kernels", "CBlas", "Support"], path: "Benchmarks/kernel-bench",
            swiftSettings: swiftCPUFlags
        ),
        .executableTarget(
            name: "block-bench", dependencies: ["Hardware", "Profiler", "Runtime", "Onnx", "SuperNet", "Kernels", "Support"],
            path: "Benchmarks/block-bench", swiftSettings: swiftCPUFlags
        ),
    ]
)
