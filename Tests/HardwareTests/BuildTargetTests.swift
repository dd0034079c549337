import Foundation
import Hardware
import Support
import Testing

/// The binary's build target against the CPU it runs on.
@Suite struct BuildTargetTests {
    static func cpu(isa: [String], modelName: String = "Test CPU") -> CPUDescription {
        CPUDescription(vendor: "amd", vendorString: "AuthenticAMD", modelName: modelName, family: 25, model: 1,
                       stepping: 1, isa: isa, virtualized: false, hypervisor: nil, frequencyMHz: nil, governor: nil)
    }

    @Test func thisBinaryRunsOnThisCPU() throws {
        let cpu = try CPUDescription.current()
        let build = BuildTarget.current
        #expect(Set(build.features).isSubset(of: Set(cpu.isa)), "build \(build.features) vs cpu \(cpu.isa)")
        #expect(build.missingFeatures(on: cpu).isEmpty)
        try build.requireRunnable(on: cpu)
        #expect(!build.cpu.isEmpty)
        #expect(!build.compiler.isEmpty)
        // Built for this machine's CPU ("native" or the Makefile's name): never generic here.
        if cpu.isa.contains("avx2") || cpu.isa.contains("neon") {
            #expect(!build.isGeneric, "features \(build.features)")
        }
        // Every feature name is one hwnas knows.
        let known = Set(ISAFeature.all.map(\.name))
        #expect(build.features.allSatisfy(known.contains), "features \(build.features)")
    }

    @Test func missingFeaturesAreListedInBuildOrder() {
        let build = BuildTarget(cpu: "sapphirerapids", features: ["avx2", "fma", "avx512f", "avx512bw", "amx"], compiler: "clang")
        let cpu = Self.cpu(isa: ["sse4.2", "avx", "avx2", "fma"])
        #expect(build.missingFeatures(on: cpu) == ["avx512f", "avx512bw", "amx"])
        #expect(build.missingFeatures(on: Self.cpu(isa: build.features)).isEmpty)
    }

    @Test func requireRunnableTellsToRebuild() throws {
        let build = BuildTarget(cpu: "skylake-avx512", features: ["avx2", "fma", "avx512f"], compiler: "clang")
        let cpu = Self.cpu(isa: ["avx", "avx2", "fma"], modelName: "AMD EPYC 7763")
        let error = try #require(throws: HwnasError.self) { try build.requireRunnable(on: cpu) }
        #expect(error.message.contains("rebuild"), "message: \(error.message)")
        #expect(error.message.contains("avx512f"), "message: \(error.message)")
        #expect(error.message.contains("skylake-avx512"), "message: \(error.message)")
        #expect(error.message.contains("AMD EPYC 7763"), "message: \(error.message)")
        #expect(!error.message.contains("avx2,"), "only missing features are listed: \(error.message)")
        try BuildTarget(cpu: "znver3", features: ["avx2", "fma"], compiler: "clang").requireRunnable(on: cpu)
    }

    @Test func genericMeansNeitherAVX2NorNEON() {
        #expect(BuildTarget(cpu: "x86-64", features: [], compiler: "c").isGeneric)
        #expect(BuildTarget(cpu: "x86-64-v2", features: ["sse4.2"], compiler: "c").isGeneric)
        #expect(!BuildTarget(cpu: "haswell", features: ["avx", "avx2", "fma"], compiler: "c").isGeneric)
        #expect(!BuildTarget(cpu: "neoverse-n1", features: ["neon"], compiler: "c").isGeneric)
    }

    @Test func isaFeaturesFromFlags() {
        #expect(ISAFeature.present(in: []) == [])
        #expect(ISAFeature.present(in: ["avx512_vnni", "avx2", "sse4_2", "amx_tile"]) == ["sse4.2", "avx2", "avx512vnni", "amx"])
        #expect(ISAFeature.present(in: ["asimd"]) == ["neon"])
        #expect(ISAFeature.present(in: ["neon", "sve"]) == ["neon", "sve"])
        #expect(ISAFeature.present(in: ["avx512vnni", "sse4.2"]) == [], "hwnas names are not cpuinfo flags")
    }
}
