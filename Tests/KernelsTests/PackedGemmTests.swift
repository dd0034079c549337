@testable import Kernels
import Testing

/// The packed GEMM of every variant this machine can run, against the plain reference in Double:
/// odd sizes around every tile (missing rows and columns), K across the K-block boundary, every
/// activation with and without a residual. Forcing a variant changes process-wide state, so the
/// suite is serialized.
@Suite(.serialized) struct PackedGemmTests {
    /// Every packing the runnable variants have: the AVX2 tile, and the AVX-512 tile with its
    /// L1-derived K block and with a short one.
    static var layouts: [(name: String, pack: (UnsafePointer<Float>, Int, Int) -> PackedWeights)] {
        var result: [(String, (UnsafePointer<Float>, Int, Int) -> PackedWeights)] = [
            ("avx2", { PackedWeights($0, rows: $1, columns: $2, variant: .avx2) }),
        ]
        if KernelVariant.runnable.contains(.avx512) {
            result.append(("avx512", { PackedWeights($0, rows: $1, columns: $2, variant: .avx512) }))
            result.append(("avx512@64", { PackedWeights($0, rows: $1, columns: $2, variant: .avx512, depth: 64) }))
        }
        return result
    }

    static let sizes = [1, 3, 7, 17, 31, 33, 65, 129]

    func check(_ weights: PackedWeights, m: Int, activation: Activation, withResidual: Bool, seed: UInt64, _ label: String) {
        let (k, n) = (weights.rows, weights.columns)
        let w = weights.unpacked()
        let a = Reference.tensor([m, k], seed: seed)
        let bias = Reference.tensor([n], seed: seed + 1)
        let residual = withResidual ? Reference.tensor([m, n], seed: seed + 2) : nil
        let c = Tensor(shape: [m, n])
        Gemm.packed(m: m, a: a.pointer, lda: k, weights: weights, c: c.pointer, ldc: n, bias: bias.pointer,
                    activation: activation, residual: residual?.pointer, ldr: n)
        var expected = Reference.linear(a.array, rows: m, w.array, bias.array, inFeatures: k, outFeatures: n)
            .map { Reference.activation(activation, $0) }
        if let residual { expected = zip(expected, residual.array).map { $0 + Double($1) } }
        Reference.expectClose(c.array, expected, "\(label) m \(m) k \(k) n \(n) \(activation) residual \(withResidual)")
    }

    @Test func oddSizesEveryLayout() {
        for (name, pack) in Self.layouts {
            for k in [1, 7, 33, 129] {
                for n in Self.sizes {
                    let w = Reference.tensor([k, n], seed: UInt64(k * 1000 + n))
                    let weights = pack(w.pointer, k, n)
                    #expect(weights.unpacked().array == w.array, "\(name) \(k) x \(n) round trip")
                    for m in Self.sizes {
                        check(weights, m: m, activation: .identity, withResidual: m % 2 == 1, seed: UInt64(m), name)
                    }
                }
            }
        }
    }

    /// K across several K blocks (64-row blocks for the AVX-512 tiles, 768 for AVX2 and 1000 > 768).
    @Test(arguments: Activation.allCases)
    func everyEpilogueAcrossKBlocks(_ activation: Activation) {
        for (name, pack) in Self.layouts {
            for (m, k, n) in [(17, 129, 65), (9, 1000, 33), (31, 200, 97)] {
                let w = Reference.tensor([k, n], seed: UInt64(k + n), scale: 0.2)
                let weights = pack(w.pointer, k, n)
                #expect(weights.unpacked().array == w.array, "\(name) \(k) x \(n) round trip")
                for withResidual in [false, true] {
                    check(weights, m: m, activation: activation, withResidual: withResidual, seed: UInt64(m * 7), name)
                }
            }
        }
    }

    /// Weights large enough for several L2 panel groups (the AVX-512 kernel's N blocking).
    @Test func panelGroupsBeyondL2() {
        for (name, pack) in Self.layouts.prefix(2) {
            let (m, k, n) = (13, 700, 1000)
            let w = Reference.tensor([k, n], seed: 5, scale: 0.1)
            check(pack(w.pointer, k, n), m: m, activation: .gelu, withResidual: true, seed: 6, name)
        }
    }

    /// Inputs whose rows lie a multiple of 4 KiB apart (FFN-down's 3072 floats): the AVX-512
    /// kernel copies each strip of rows together; partial strips and several K blocks included.
    @Test func inputRowsFourKibApart() {
        for (name, pack) in Self.layouts {
            for (m, k, n) in [(13, 1024, 64), (9, 2048, 96), (1, 1024, 32)] {
                let w = Reference.tensor([k, n], seed: UInt64(k + n), scale: 0.1)
                check(pack(w.pointer, k, n), m: m, activation: .gelu, withResidual: true, seed: UInt64(m), name)
            }
        }
    }

    /// A layer packs for the variant dispatched at construction, in that variant's layout for its
    /// width, and keeps running that kernel.
    @Test(arguments: [33, 64, 72])
    func linearUnderEachForcedVariant(outFeatures n: Int) {
        for variant in KernelVariant.runnable {
            let layer = KernelDispatch.forcing(variant) {
                Linear(inFeatures: 65, outFeatures: n, activation: .hardSwish, seed: 3)
            }
            let x = Reference.tensor([7, 65], seed: 4)
            let r = Reference.tensor([7, n], seed: 5)
            let y = Tensor(shape: [7, n])
            layer(x, y, residual: r)
            let expected = zip(Reference.linear(x.array, rows: 7, layer.weight.array, layer.bias.array, inFeatures: 65, outFeatures: n), r.array)
                .map { Reference.activation(.hardSwish, $0) + Double($1) }
            Reference.expectClose(y.array, expected, "\(variant) n \(n)")
        }
    }

    /// The AVX-512 variant packs for its own tile only where N is a multiple of the tile's width;
    /// the AVX2 variant always for its own.
    @Test func layoutFollowsTheWidth() {
        #expect(PackedWeights.layout(for: .avx2, columns: 768) == .avx2)
        #expect(PackedWeights.layout(for: .avx512, columns: 768) == .avx512)
        #expect(PackedWeights.layout(for: .avx512, columns: 3072) == .avx512)
        #expect(PackedWeights.layout(for: .avx512, columns: 72) == .avx2)
        #expect(PackedWeights.layout(for: .avx512, columns: 24) == .avx2)
        #expect(PackedWeights.layout(for: .avx512, columns: 160) == .avx512)
        if KernelVariant.runnable.contains(.avx512) {
            let w = Reference.tensor([5, 72], seed: 1)
            let wide = Reference.tensor([5, 64], seed: 2)
            KernelDispatch.forcing(.avx512) {
                #expect(PackedWeights(w.pointer, rows: 5, columns: 72).variant == .avx2)
                #expect(PackedWeights(wide.pointer, rows: 5, columns: 64).variant == .avx512)
            }
        }
    }

    @Test func cacheSizesAreRead() {
        #expect(CacheGeometry.l1DataBytes >= 16 * 1024 && CacheGeometry.l1DataBytes <= 1 << 20)
        #expect(CacheGeometry.l2Bytes >= 128 * 1024)
        #expect(PackedWeights.avx512Depth(tileRows: 8) >= 64)
    }
}
