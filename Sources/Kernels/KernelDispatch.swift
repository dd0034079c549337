import Foundation

/// The micro-kernels that run each class of work in this process, as a profile records them
/// (`gemm: avx512-8x32/avx2-4x24`, `depthwise: avx512`, `elementwise: avx512`,
/// `attention: avx512-fused/sgemm`).
///
/// Kernels read `KernelDispatch.variant` when they choose a path; it is the build's native
/// variant unless a test forces another with `forcing(_:_:)` (one variant at a time per process:
/// suites that force variants are serialized).
public struct KernelDispatch: Equatable, Codable, Sendable {
    /// The packed GEMM's variant and register tile, e.g. `avx2-4x24`; `avx512-8x32/avx2-4x24` when
    /// the AVX-512 tile runs the matrices whose width is a multiple of 32 and the AVX2 tile the others.
    public var gemm: String
    /// The depthwise convolution's variant.
    public var depthwise: String
    /// The element-wise kernels' variant (GELU, softmax, layer norm, h-swish, squeeze-excite).
    public var elementwise: String
    /// The attention core (softmax(Q·Kᵀ/√d)·V): `sgemm` (two BLAS products and a row softmax per
    /// head), or `avx512-fused/sgemm` (the fused core where the head size is a multiple of 32, on
    /// one thread; a runtime on more threads records `sgemm`).
    public var attention: String

    public init(gemm: String, depthwise: String, elementwise: String, attention: String) {
        self.gemm = gemm
        self.depthwise = depthwise
        self.elementwise = elementwise
        self.attention = attention
    }

    enum CodingKeys: String, CodingKey { case gemm, depthwise, elementwise, attention }

    /// Records written before `attention` existed come from builds whose attention core was
    /// sgemm and a row softmax on every variant: they read `sgemm`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gemm = try container.decode(String.self, forKey: .gemm)
        depthwise = try container.decode(String.self, forKey: .depthwise)
        elementwise = try container.decode(String.self, forKey: .elementwise)
        attention = try container.decodeIfPresent(String.self, forKey: .attention) ?? "sgemm"
    }

    /// The variant kernels use now: the native one, or the one a test forces.
    public static var variant: KernelVariant {
        lock.lock()
        defer { lock.unlock() }
        return forced ?? KernelVariant.native
    }

    /// What runs each class of work under `variant`. Each kernel family names its own tile here.
    public static func describing(_ variant: KernelVariant) -> KernelDispatch {
        switch variant {
        case .avx2: return KernelDispatch(gemm: "avx2-4x24", depthwise: "avx2", elementwise: "avx2", attention: "sgemm")
        case .avx512:
            let tile = PackedWeights.avx512Tile
            // The AVX-512 tile where N is a multiple of its width, the AVX2 tile elsewhere
            // (`PackedWeights.layout(for:columns:)`).
            // The fused attention core where the head size is a multiple of 32, sgemm elsewhere.
            return KernelDispatch(gemm: "avx512-\(tile.rows)x\(tile.width)/avx2-4x24", depthwise: "avx512", elementwise: "avx512",
                                  attention: "avx512-fused/sgemm")
        }
    }

    /// What runs each class of work in this process now.
    public static var current: KernelDispatch { describing(variant) }

    /// Runs `body` with every kernel forced to `variant` (which this binary must be able to run).
    public static func forcing<T>(_ variant: KernelVariant, _ body: () throws -> T) rethrows -> T {
        precondition(KernelVariant.runnable.contains(variant), "this binary cannot run the \(variant.rawValue) kernels")
        lock.lock()
        let previous = forced
        forced = variant
        lock.unlock()
        defer {
            lock.lock()
            forced = previous
            lock.unlock()
        }
        return try body()
    }

    nonisolated(unsafe) private static var forced: KernelVariant?
    private static let lock = NSLock()
}
