import Kernels

/// How blocks are built to run: batch size and the threads a block may use.
public struct ExecutionOptions: Hashable, Sendable {
    public var batch: Int
    /// With one thread, linear layers use hwnas's packed GEMM (fastest on one core); with more,
    /// they call the BLAS, which splits the work over the threads it was given. Depthwise,
    /// element-wise and normalisation kernels run on the calling thread.
    public var threads: Int
    /// The matrix product to use instead of the thread count's default.
    public var gemm: GemmBackend?

    public init(batch: Int = 1, threads: Int = 1, gemm: GemmBackend? = nil) {
        self.batch = batch
        self.threads = threads
        self.gemm = gemm
    }

    /// The product used: the chosen one, else packed on one thread and the BLAS on more.
    public var effectiveGemm: GemmBackend { gemm ?? (threads > 1 ? .blas : .packed) }

    var backend: Linear.Backend { effectiveGemm == .blas ? .blas : .packed }
}
