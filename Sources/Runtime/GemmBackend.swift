/// Which matrix product the linear layers and pointwise convolutions of a block call.
///
/// The default follows the thread count (`ExecutionOptions`); choosing `blas` on one thread
/// profiles the BLAS's own kernels, e.g. OpenBLAS forced to another CPU's kernel set with
/// OPENBLAS_CORETYPE: a different device on the same machine.
public enum GemmBackend: String, Codable, CaseIterable, Hashable, Sendable {
    /// hwnas's packed GEMM with fused epilogues, fastest on one core.
    case packed
    /// The BLAS (`cblas_sgemm`), which splits work over the threads it was given.
    case blas
}
