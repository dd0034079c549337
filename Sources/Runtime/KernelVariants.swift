/// The code that ran each class of a block's work (`gemm`, `depthwise`, `elementwise`), as a
/// profile records it, so two profiles of one machine made with different kernels are told apart.
/// Profiles and tables made before it was recorded have none: `unknown`.
public struct KernelVariants: Codable, Equatable, Sendable {
    /// The matrix product: the packed GEMM's variant and tile (`avx512-8x32`), or the BLAS and
    /// its kernel set (`openblas-cooperlake`) when the BLAS does the products.
    public var gemm: String
    public var depthwise: String
    /// GELU, softmax, layer norm, h-swish, squeeze-excite.
    public var elementwise: String

    public init(gemm: String, depthwise: String, elementwise: String) {
        self.gemm = gemm
        self.depthwise = depthwise
        self.elementwise = elementwise
    }

    /// `gemm avx512-8x32, depthwise avx512, elementwise avx512`.
    public var summary: String {
        "gemm \(gemm), depthwise \(depthwise), elementwise \(elementwise)"
    }

    /// The summary of `variants`, `unknown` when none was recorded.
    public static func label(_ variants: KernelVariants?) -> String {
        variants?.summary ?? "unknown"
    }
}
