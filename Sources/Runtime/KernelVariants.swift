import Kernels

/// The code that ran each class of a block's work (`gemm`, `depthwise`, `elementwise`, `attention`), as a
/// profile records it, so two profiles of one machine made with different kernels are told apart:
/// the kernels' own description (`KernelDispatch`), or, when the BLAS did the products, the same
/// with the BLAS and its kernel set as `gemm` (`openblas-cooperlake`). Profiles and tables made
/// before it was recorded have none: `unknown`.
public typealias KernelVariants = KernelDispatch

extension KernelDispatch {
    /// `gemm avx512-8x32/avx2-4x24, depthwise avx512, elementwise avx512, attention avx512-fused/sgemm`.
    public var summary: String {
        "gemm \(gemm), depthwise \(depthwise), elementwise \(elementwise), attention \(attention)"
    }

    /// The summary of `variants`, `unknown` when none was recorded.
    public static func label(_ variants: KernelDispatch?) -> String {
        variants?.summary ?? "unknown"
    }
}
