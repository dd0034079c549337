import Foundation
import Support
import SuperNet
import Testing
import Kernels
@testable import Runtime

/// The seam the profiler measures through: what the native runtime prepares and how it times
/// it, how it describes itself, and the device variant derived from the description.
@Suite struct RuntimeSeamTests {
    /// The native measurement is the closure called `calls` times, nothing more.
    @Test func aTimedClosureCallsItsClosureExactlyTheCountAsked() {
        final class Counter: @unchecked Sendable { var calls = 0 }
        let counter = Counter()
        let timed = TimedClosure { counter.calls += 1 }
        for k in [1, 7, 1000] {
            counter.calls = 0
            let seconds = timed.measure(calls: k)
            #expect(counter.calls == k)
            #expect(seconds >= 0 && seconds < 1)
        }
    }

    @Test func preparedBlocksAndSubnetsRun() throws {
        let runtime = NativeRuntime()
        let block = BertBaseSpace().distinctBlocks(settings: SpaceSettings(sequence: 8))[1]
        #expect(try runtime.prepare(block, options: ExecutionOptions(), seed: 1).measure(calls: 2) > 0)
        let space = OFAMobileNetV3Space()
        var generator = SeededGenerator(seed: 2)
        let subnet = space.sample(using: &generator)
        let prepared = try runtime.prepare(subnet: subnet, space: space, settings: space.defaultSettings,
                                           options: ExecutionOptions(), seed: 3)
        #expect(try prepared.measure(calls: 1) > 0)
    }

    @Test func theNativeDescriptionNamesItsOptionsAndKernels() {
        let description = NativeRuntime().describe(options: ExecutionOptions(batch: 2, threads: 1))
        #expect(description.name == "native")
        #expect(description.version == HwnasVersion.current)
        #expect(description.options == ["batch": "2", "threads": "1", "gemm": "packed"])
        #expect(description.kernels.contains("OpenBLAS"))
        #expect(NativeRuntime().describe(options: ExecutionOptions(threads: 2)).options["gemm"] == "blas")
        // The fused attention core is single-threaded: on two threads sgemm runs attention.
        #expect(description.kernelVariants?.attention == KernelDispatch.current.attention)
        #expect(NativeRuntime().describe(options: ExecutionOptions(threads: 2)).kernelVariants?.attention == "sgemm")
    }

    /// The variants of the shipped devices, and none for the defaults.
    @Test func theNativeVariantFollowsTheGemmAndTheForcedBlasKernels() {
        func variant(threads: Int, gemm: GemmBackend?, forced: String?) -> String? {
            NativeRuntime.variant(options: ExecutionOptions(threads: threads, gemm: gemm), forcedCoreType: forced)
        }
        #expect(variant(threads: 1, gemm: nil, forced: nil) == nil)
        #expect(variant(threads: 1, gemm: .packed, forced: nil) == nil)
        #expect(variant(threads: 2, gemm: .blas, forced: nil) == nil)
        #expect(variant(threads: 1, gemm: .blas, forced: nil) == "blas")
        #expect(variant(threads: 2, gemm: .packed, forced: nil) == "packed")
        #expect(variant(threads: 1, gemm: .blas, forced: "SandyBridge") == "blas-sandybridge")
        #expect(variant(threads: 1, gemm: nil, forced: "Haswell_X") == "haswellx")
        #expect(variant(threads: 1, gemm: nil, forced: "") == nil)
    }

    /// The native runtime's variant is the device variant as it is; any other runtime's name
    /// comes first, so that its profiles are a device of their own.
    @Test func theDeviceVariantIsDerivedFromTheDescription() {
        func described(_ name: String, _ variant: String?) -> RuntimeDescription {
            RuntimeDescription(name: name, version: "1", kernels: "k", variant: variant, options: [:])
        }
        #expect(described("native", nil).deviceVariant == nil)
        #expect(described("native", "blas-sandybridge").deviceVariant == "blas-sandybridge")
        #expect(described("onnxruntime", nil).deviceVariant == "ort")
        #expect(described("onnxruntime", "avx2").deviceVariant == "ort-avx2")
        #expect(described("ONNX Runtime", "AVX2").deviceVariant == "onnx-runtime-avx2")
    }

    @Test func aDescriptionReadsBackAsWritten() throws {
        let description = NativeRuntime().describe(options: ExecutionOptions(threads: 1, gemm: .blas))
        let decoded = try JSONDecoder().decode(RuntimeDescription.self, from: JSONFormat.encode(description))
        #expect(decoded == description)
    }

    /// No description is the native runtime (profiles from before runtimes were described);
    /// a runtime this build lacks is refused by name.
    @Test func runtimesAreFoundByTheirDescription() throws {
        #expect(try Runtimes.named(nil) is NativeRuntime)
        #expect(try Runtimes.named(NativeRuntime().describe(options: ExecutionOptions())) is NativeRuntime)
        let error = #expect(throws: HwnasError.self) {
            try Runtimes.named(RuntimeDescription(name: "openvino", version: "2024", kernels: "x", variant: nil, options: [:]))
        }
        #expect(error?.message.contains("'openvino'") == true)
    }
}
