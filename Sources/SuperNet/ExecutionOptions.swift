import Kernels

/// How blocks are built to run: batch size and the threads a block may use.
public struct ExecutionOptions: Hashable, Sendable {
    public var batch: Int
    /// With one thread, linear layers use hwnas's packed GEMM (fastest on one core); with more,
    /// they call the BLAS, which splits the work over the threads it was given. Depthwise,
    /// element-wise and normalisation kernels run on the calling thread.
    public var threads: Int

    public init(batch: Int = 1, threads: Int = 1) {
        self.batch = batch
        self.threads = threads
    }

    var backend: Linear.Backend { threads > 1 ? .blas : .packed }
}
