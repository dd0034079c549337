import CBlas

/// Matrix products with a fused epilogue (bias, activation, residual), two ways.
///
/// `packed`: a hand-written kernel over weights packed once (`PackedWeights`), for the variant
/// they were packed for. The AVX2 register tile of 4 rows x 24 columns (12 accumulators; the
/// AVX-512 kernel is in GemmAVX512.swift) runs the whole K block with broadcast-FMAs; on
/// the last K block the bias, activation and residual are applied to the accumulators before
/// the single store, so the epilogue costs no memory pass at all. Single-threaded.
///
/// `multiply`: row-major `cblas_sgemm` (honours the caller's OpenBLAS thread count). The product
/// is computed in blocks and the epilogue runs on each block right after its GEMM, while it is
/// still in L2, instead of as a second pass over the whole output. Blocks run along
/// the operand that is cheap to re-pack: OpenBLAS packs both operands on every call, so when the
/// weights are the larger operand (transformer layers: 128 rows, 768 x 3072 weights) the blocks
/// are column panels (the weights are packed once in total, the small input once per panel);
/// when the activations are larger (convolutions at high resolution) they are row panels.
enum Gemm {
    /// Output bytes per block the epilogue should find in L2 (Zen 3: 512 KiB L2 per core).
    static let blockBytes = 192 * 1024

    /// c[m, n] = epilogue(a[m, k] · b[k, n]) with b stored [k, n] (ldb >= n).
    static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        bias: UnsafePointer<Float>, activation: Activation,
        residual: UnsafePointer<Float>? = nil, ldr: Int = 0
    ) {
        guard m > 0, n > 0 else { return }
        if k * n >= m * k {
            // Column panels, a multiple of 16 columns (the sgemm micro-kernel's width).
            let width = n <= 32 ? n : min(n, max(64, (blockBytes / (4 * m)) & ~15))
            var j = 0
            while j < n {
                let w = min(width, n - j)
                sgemm(m, w, k, a, lda, b + j, ldb, c + j, ldc)
                activation.epilogue(
                    c + j, ldc: ldc, rows: m, columns: w, bias: bias + j,
                    residual: residual.map { $0 + j }, ldr: ldr)
                j += w
            }
        } else {
            let height = min(m, max(16, blockBytes / (4 * n)))
            var i = 0
            while i < m {
                let h = min(height, m - i)
                sgemm(h, n, k, a + i * lda, lda, b, ldb, c + i * ldc, ldc)
                activation.epilogue(
                    c + i * ldc, ldc: ldc, rows: h, columns: n, bias: bias,
                    residual: residual.map { $0 + i * ldr }, ldr: ldr)
                i += h
            }
        }
    }

    /// c = alpha · a · op(b) with no epilogue (attention's per-head products).
    @inline(__always)
    static func sgemm(
        _ m: Int, _ n: Int, _ k: Int,
        _ a: UnsafePointer<Float>, _ lda: Int,
        _ b: UnsafePointer<Float>, _ ldb: Int,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
        transposeB: Bool = false, alpha: Float = 1, beta: Float = 0
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// c[m, n] = activation(a[m, k]·W + bias) (+ residual) with W packed [k, n].
    static func packed(
        m: Int, a: UnsafePointer<Float>, lda: Int, weights: PackedWeights,
        c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>, activation: Activation,
        residual: UnsafePointer<Float>? = nil, ldr: Int = 0
    ) {
        guard m > 0 else { return }
        switch activation {
        case .identity: packed(Identity.self, m: m, a: a, lda: lda, weights: weights, c: c, ldc: ldc, bias: bias, residual: residual, ldr: ldr)
        case .relu: packed(ReLU.self, m: m, a: a, lda: lda, weights: weights, c: c, ldc: ldc, bias: bias, residual: residual, ldr: ldr)
        case .relu6: packed(ReLU6.self, m: m, a: a, lda: lda, weights: weights, c: c, ldc: ldc, bias: bias, residual: residual, ldr: ldr)
        case .hardSwish: packed(HardSwish.self, m: m, a: a, lda: lda, weights: weights, c: c, ldc: ldc, bias: bias, residual: residual, ldr: ldr)
        case .hardSigmoid: packed(HardSigmoid.self, m: m, a: a, lda: lda, weights: weights, c: c, ldc: ldc, bias: bias, residual: residual, ldr: ldr)
        case .tanh: packed(Tanh.self, m: m, a: a, lda: lda, weights: weights, c: c, ldc: ldc, bias: bias, residual: residual, ldr: ldr)
        case .gelu: packed(GELU.self, m: m, a: a, lda: lda, weights: weights, c: c, ldc: ldc, bias: bias, residual: residual, ldr: ldr)
        }
    }

    /// c[m, n] = F(a[m, k]·W + bias) (+ residual) with W packed [k, n], by the kernel of the
    /// variant W was packed for. `residual` must not alias `c` (c holds partial sums between K
    /// blocks).
    static func packed<F: ElementwiseFunction>(
        _: F.Type, m: Int, a: UnsafePointer<Float>, lda: Int, weights: PackedWeights,
        c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>,
        residual: UnsafePointer<Float>?, ldr: Int
    ) {
        switch weights.variant {
        case .avx2: packed256(F.self, m: m, a: a, lda: lda, weights: weights, c: c, ldc: ldc, bias: bias, residual: residual, ldr: ldr)
        case .avx512: packed512(F.self, m: m, a: a, lda: lda, weights: weights, c: c, ldc: ldc, bias: bias, residual: residual, ldr: ldr)
        }
    }

    /// The AVX2 kernel: 4 x 24 tiles over weights packed for it.
    @inline(never)
    static func packed256<F: ElementwiseFunction>(
        _: F.Type, m: Int, a: UnsafePointer<Float>, lda: Int, weights: PackedWeights,
        c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>,
        residual: UnsafePointer<Float>?, ldr: Int
    ) {
        let n = weights.columns
        let k = weights.rows
        let width = weights.panelWidth
        let panels = weights.panels
        var k0 = 0
        while k0 < k {
            let depth = min(weights.blockDepth, k - k0)
            let first = k0 == 0
            let last = k0 + depth == k
            let block = weights.block(k0)
            if depth * panels * width * 4 <= 96 * 1024 {
                // The whole weight block fits in L1/L2 (1x1 convolutions): each strip of 4 input
                // rows stays in L1 while it meets every panel.
                var i = 0
                while i < m {
                    let rows = min(4, m - i)
                    for panel in 0..<panels {
                        let j = panel * width
                        tile(F.self, a + i * lda + k0, lda, rows: rows, block + panel * depth * width, depth: depth,
                             c + i * ldc + j, ldc, columns: min(width, n - j), first: first, last: last,
                             bias: bias + j, residual: residual.map { $0 + i * ldr + j }, ldr: ldr)
                    }
                    i += 4
                }
            } else {
                // Large weights (transformer layers): a block of input rows stays in L2 while
                // every panel of the weight block streams past it once.
                let rowBlock = max(4, min(m, (400 * 1024 / (depth * 4)) & ~3))
                var i0 = 0
                while i0 < m {
                    let end = min(m, i0 + rowBlock)
                    for panel in 0..<panels {
                        let j = panel * width
                        let b = block + panel * depth * width
                        let columns = min(width, n - j)
                        var i = i0
                        while i < end {
                            tile(F.self, a + i * lda + k0, lda, rows: min(4, end - i), b, depth: depth,
                                 c + i * ldc + j, ldc, columns: columns, first: first, last: last,
                                 bias: bias + j, residual: residual.map { $0 + i * ldr + j }, ldr: ldr)
                            i += 4
                        }
                    }
                    i0 = end
                }
            }
            k0 += depth
        }
    }

    /// One 4 x 24 tile over one K block. Missing rows (rows < 4) re-read the last valid row and
    /// are not stored; missing columns are zero in the packed panel and are not stored.
    @inline(__always)
    static func tile<F: ElementwiseFunction>(
        _: F.Type, _ a: UnsafePointer<Float>, _ lda: Int, rows: Int, _ b: UnsafePointer<Float>, depth: Int,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, columns: Int, first: Bool, last: Bool,
        bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, ldr: Int
    ) {
        let a0 = a
        let a1 = a + (rows > 1 ? lda : 0)
        let a2 = a + (rows > 2 ? 2 * lda : rows > 1 ? lda : 0)
        let a3 = a + (rows > 3 ? 3 * lda : rows > 2 ? 2 * lda : rows > 1 ? lda : 0)
        var c00 = Float8.zero, c01 = Float8.zero, c02 = Float8.zero
        var c10 = Float8.zero, c11 = Float8.zero, c12 = Float8.zero
        var c20 = Float8.zero, c21 = Float8.zero, c22 = Float8.zero
        var c30 = Float8.zero, c31 = Float8.zero, c32 = Float8.zero
        var pb = b
        for k in 0..<depth {
            let b0 = Vector.load(pb), b1 = Vector.load(pb + 8), b2 = Vector.load(pb + 16)
            var x = Float8(repeating: a0[k])
            c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1); c02 = c02.addingProduct(x, b2)
            x = Float8(repeating: a1[k])
            c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1); c12 = c12.addingProduct(x, b2)
            x = Float8(repeating: a2[k])
            c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1); c22 = c22.addingProduct(x, b2)
            x = Float8(repeating: a3[k])
            c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1); c32 = c32.addingProduct(x, b2)
            pb += 24
        }
        if rows == 4 && columns == 24 {
            finishRow(F.self, c00, c01, c02, c, first: first, last: last, bias: bias, residual: residual)
            finishRow(F.self, c10, c11, c12, c + ldc, first: first, last: last, bias: bias, residual: residual.map { $0 + ldr })
            finishRow(F.self, c20, c21, c22, c + 2 * ldc, first: first, last: last, bias: bias, residual: residual.map { $0 + 2 * ldr })
            finishRow(F.self, c30, c31, c32, c + 3 * ldc, first: first, last: last, bias: bias, residual: residual.map { $0 + 3 * ldr })
        } else {
            withUnsafeTemporaryAllocation(of: Float8.self, capacity: 12) { buffer in
                let p = buffer.baseAddress!
                p[0] = c00; p[1] = c01; p[2] = c02; p[3] = c10; p[4] = c11; p[5] = c12
                p[6] = c20; p[7] = c21; p[8] = c22; p[9] = c30; p[10] = c31; p[11] = c32
                finishPartial(F.self, p, rows: rows, columns: columns, c, ldc, first: first, last: last,
                              bias: bias, residual: residual, ldr: ldr)
            }
        }
    }

    @inline(__always)
    static func finishRow<F: ElementwiseFunction>(
        _: F.Type, _ v0: Float8, _ v1: Float8, _ v2: Float8, _ c: UnsafeMutablePointer<Float>,
        first: Bool, last: Bool, bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?
    ) {
        var v0 = v0, v1 = v1, v2 = v2
        if !first {
            v0 += Vector.load(c); v1 += Vector.load(c + 8); v2 += Vector.load(c + 16)
        }
        if last {
            v0 = F.apply(v0 + Vector.load(bias))
            v1 = F.apply(v1 + Vector.load(bias + 8))
            v2 = F.apply(v2 + Vector.load(bias + 16))
            if let residual {
                v0 += Vector.load(residual); v1 += Vector.load(residual + 8); v2 += Vector.load(residual + 16)
            }
        }
        Vector.store(v0, c); Vector.store(v1, c + 8); Vector.store(v2, c + 16)
    }

    /// The edge tiles (rows < 4 or columns < 24), element by element through one register.
    @inline(never)
    static func finishPartial<F: ElementwiseFunction>(
        _: F.Type, _ accumulators: UnsafePointer<Float8>, rows: Int, columns: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
        first: Bool, last: Bool, bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, ldr: Int
    ) {
        for row in 0..<rows {
            let out = c + row * ldc
            let add = residual.map { $0 + row * ldr }
            for part in 0..<3 {
                let count = min(8, columns - 8 * part)
                guard count > 0 else { break }
                var v = accumulators[row * 3 + part]
                var prior = Float8.zero, b = Float8.zero, r = Float8.zero
                for lane in 0..<count {
                    let j = 8 * part + lane
                    if !first { prior[lane] = out[j] }
                    b[lane] = bias[j]
                    if let add { r[lane] = add[j] }
                }
                v += prior
                if last { v = F.apply(v + b) + r }
                for lane in 0..<count { out[8 * part + lane] = v[lane] }
            }
        }
    }
}
