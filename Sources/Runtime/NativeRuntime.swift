import Hardware
import Kernels
import Support
import SuperNet

/// hwnas's own kernels in this process: blocks are `RunnableBlock`s, sub-networks
/// `RunnableSubnet`s, and a measurement times their `run` closure (`TimedClosure`).
public struct NativeRuntime: InferenceRuntime {
    public init() {}

    public var runsInThisProcess: Bool { true }

    public func describe(options: ExecutionOptions) -> RuntimeDescription {
        let blas = BlasLibrary.description
        return RuntimeDescription(
            name: RuntimeDescription.nativeName, version: HwnasVersion.current,
            kernels: "\(BuildTarget.current.cpu) micro-kernels, \(blas.name) \(blas.coreName)",
            variant: Self.variant(options: options, forcedCoreType: blas.coreTypeOverride),
            options: ["batch": "\(options.batch)", "threads": "\(options.threads)", "gemm": options.effectiveGemm.rawValue],
            kernelVariants: Self.kernelVariants(options: options, dispatch: KernelDispatch.current, blasCore: blas.coreName))
    }

    /// What runs each class of work with `options`: the dispatched kernels, except the products
    /// when the BLAS does them (`openblas-cooperlake`: OpenBLAS and the kernel set it runs), and the
    /// attention core on more than one thread (the fused core is single-threaded: sgemm runs it).
    static func kernelVariants(options: ExecutionOptions, dispatch: KernelDispatch, blasCore: String) -> KernelVariants {
        let gemm = options.effectiveGemm == .blas
            ? RuntimeDescription.idPart("openblas \(blasCore)")
            : dispatch.gemm
        return KernelVariants(gemm: gemm, depthwise: dispatch.depthwise, elementwise: dispatch.elementwise,
                              attention: options.threads > 1 ? "sgemm" : dispatch.attention)
    }

    public func prepare(_ block: Block, options: ExecutionOptions, seed: UInt64) throws -> any PreparedWorkload {
        let runnable = try RunnableBlock(block, options: options, seed: seed)
        return TimedClosure(runnable.run)
    }

    public func prepare(subnet: Subnet, space: any SearchSpace, settings: SpaceSettings, options: ExecutionOptions,
                        seed: UInt64) throws -> any PreparedWorkload {
        let network = try RunnableSubnet(space: space, subnet: subnet, settings: settings, options: options, seed: seed)
        return TimedClosure(network.run)
    }

    /// The kernel variant options make: `blas` when the BLAS replaces the packed GEMM on one
    /// thread, `packed` when the packed GEMM replaces the BLAS on more, then OpenBLAS's forced
    /// kernel set (OPENBLAS_CORETYPE, e.g. `sandybridge`), if any.
    static func variant(options: ExecutionOptions, forcedCoreType: String?) -> String? {
        var parts: [String] = []
        if options.threads == 1, options.gemm == .blas { parts.append("blas") }
        if options.threads > 1, options.gemm == .packed { parts.append("packed") }
        if let forced = forcedCoreType, !forced.isEmpty {
            parts.append(forced.lowercased().filter { $0.isLetter || $0.isNumber })
        }
        return parts.isEmpty ? nil : parts.joined(separator: "-")
    }
}
