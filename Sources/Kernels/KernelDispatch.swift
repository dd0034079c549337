import Foundation

/// The micro-kernels that run each class of work in this process, as a profile records them
/// (`gemm: avx512-8x32/avx2-4x24`, `depthwise: avx512`, `elementwise: avx512`).
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

    public init(gemm: String, depthwise: String, elementwise: String) {
        self.gemm = gemm
        self.depthwise = depthwise
        self.elementwise = elementwise
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
        case .avx2: return KernelDispatch(gemm: "avx2-4x24", depthwise: "avx2", elementwise: "avx2")
        case .avx512:
            let tile = PackedWeights.avx512Tile
            // The AVX-512 tile where N is a multiple of its width, the AVX2 tile elsewhere
            // (`PackedWeights.layout(for:columns:)`).
            return KernelDispatch(gemm: "avx512-\(tile.rows)x\(tile.width)/avx2-4x24", depthwise: "avx512", elementwise: "avx512")
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
