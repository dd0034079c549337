/// The AVX-512 packed GEMM: zmm accumulators over weights packed for it (`PackedWeights` with
/// `variant == .avx512`), with the same fused epilogue as the AVX2 kernel.
///
/// Zen 4 runs 512-bit operations on 256-bit units, so the gain is not FLOPs per cycle but the 32
/// registers: an 8 x 32 tile keeps 16 accumulators (twice the AVX2 tile's 4 x 24 work per
/// loaded vector), so each panel vector loaded feeds 8 FMAs instead of 4.
///
/// Blocking, from the cache sizes read at run time (`CacheGeometry`): the K block is chosen at
/// packing so that a strip of input rows, [tileRows, depth], fills half of L1; the panels of a
/// K block are taken in groups of [depth, group·width] that fill half of L2. Each strip of rows
/// then stays in L1 while it meets every panel of the group, and the group stays in L2 while
/// every strip passes over it.
extension Gemm {
    @inline(never)
    static func packed512<F: ElementwiseFunction>(
        _: F.Type, m: Int, a: UnsafePointer<Float>, lda: Int, weights: PackedWeights,
        c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>,
        residual: UnsafePointer<Float>?, ldr: Int
    ) {
        let n = weights.columns
        let k = weights.rows
        let width = weights.panelWidth
        let tileRows = weights.tileRows
        let panels = weights.panels
        // A strip of input rows is copied together when its rows lie a multiple of 4 KiB apart
        // (FFN-down's 3072 floats): in place, every row of the strip maps to the same L1 sets,
        // more rows than the sets have ways, and the panel stream evicts them.
        let gather = lda % 1024 == 0 && m > 1
        let strip = gather ? UnsafeMutablePointer<Float>.allocate(capacity: tileRows * weights.blockDepth) : nil
        defer { strip?.deallocate() }
        var k0 = 0
        while k0 < k {
            let depth = min(weights.blockDepth, k - k0)
            let first = k0 == 0
            let last = k0 + depth == k
            let block = weights.block(k0)
            let group = max(1, min(panels, CacheGeometry.l2Bytes / 2 / (depth * width * 4)))
            var p0 = 0
            while p0 < panels {
                let p1 = min(panels, p0 + group)
                var i = 0
                while i < m {
                    let rows = min(tileRows, m - i)
                    var ai = UnsafePointer(a + i * lda + k0)
                    var stride = lda
                    if let strip {
                        for r in 0..<rows { (strip + r * depth).update(from: ai + r * lda, count: depth) }
                        ai = UnsafePointer(strip)
                        stride = depth
                    }
                    let ci = c + i * ldc
                    let ri = residual.map { $0 + i * ldr }
                    for panel in p0..<p1 {
                        let j = panel * width
                        let b = block + panel * depth * width
                        let columns = min(width, n - j)
                        tile8x32(F.self, ai, stride, rows: rows, b, depth: depth, ci + j, ldc, columns: columns,
                                 first: first, last: last, bias: bias + j, residual: ri.map { $0 + j }, ldr: ldr)
                    }
                    i += tileRows
                }
                p0 = p1
            }
            k0 += depth
        }
    }

    /// One 8 x 32 tile over one K block: 16 zmm accumulators, 2 panel vectors, one broadcast.
    @inline(__always)
    static func tile8x32<F: ElementwiseFunction>(
        _: F.Type, _ a: UnsafePointer<Float>, _ lda: Int, rows: Int, _ b: UnsafePointer<Float>, depth: Int,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, columns: Int, first: Bool, last: Bool,
        bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, ldr: Int
    ) {
        let a0 = a
        let a1 = a + min(1, rows - 1) * lda
        let a2 = a + min(2, rows - 1) * lda
        let a3 = a + min(3, rows - 1) * lda
        let a4 = a + min(4, rows - 1) * lda
        let a5 = a + min(5, rows - 1) * lda
        let a6 = a + min(6, rows - 1) * lda
        let a7 = a + min(7, rows - 1) * lda
        var c00 = SIMD16<Float>.zero; var c01 = SIMD16<Float>.zero
        var c10 = SIMD16<Float>.zero; var c11 = SIMD16<Float>.zero
        var c20 = SIMD16<Float>.zero; var c21 = SIMD16<Float>.zero
        var c30 = SIMD16<Float>.zero; var c31 = SIMD16<Float>.zero
        var c40 = SIMD16<Float>.zero; var c41 = SIMD16<Float>.zero
        var c50 = SIMD16<Float>.zero; var c51 = SIMD16<Float>.zero
        var c60 = SIMD16<Float>.zero; var c61 = SIMD16<Float>.zero
        var c70 = SIMD16<Float>.zero; var c71 = SIMD16<Float>.zero
        var pb = b
        for k in 0..<depth {
            let b0 = load16(pb), b1 = load16(pb + 16)
            var x = SIMD16<Float>(repeating: a0[k])
            c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
            x = SIMD16<Float>(repeating: a1[k])
            c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
            x = SIMD16<Float>(repeating: a2[k])
            c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
            x = SIMD16<Float>(repeating: a3[k])
            c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
            x = SIMD16<Float>(repeating: a4[k])
            c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
            x = SIMD16<Float>(repeating: a5[k])
            c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
            x = SIMD16<Float>(repeating: a6[k])
            c60 = c60.addingProduct(x, b0); c61 = c61.addingProduct(x, b1)
            x = SIMD16<Float>(repeating: a7[k])
            c70 = c70.addingProduct(x, b0); c71 = c71.addingProduct(x, b1)
            pb += 32
        }
        if rows == 8 && columns == 32 {
            finish16(F.self, c00, c, first: first, last: last, bias: bias, residual: residual)
            finish16(F.self, c01, c + 16, first: first, last: last, bias: bias + 16, residual: residual.map { $0 + 16 })
            finish16(F.self, c10, c + 1 * ldc, first: first, last: last, bias: bias, residual: residual.map { $0 + 1 * ldr })
            finish16(F.self, c11, c + 1 * ldc + 16, first: first, last: last, bias: bias + 16, residual: residual.map { $0 + 1 * ldr + 16 })
            finish16(F.self, c20, c + 2 * ldc, first: first, last: last, bias: bias, residual: residual.map { $0 + 2 * ldr })
            finish16(F.self, c21, c + 2 * ldc + 16, first: first, last: last, bias: bias + 16, residual: residual.map { $0 + 2 * ldr + 16 })
            finish16(F.self, c30, c + 3 * ldc, first: first, last: last, bias: bias, residual: residual.map { $0 + 3 * ldr })
            finish16(F.self, c31, c + 3 * ldc + 16, first: first, last: last, bias: bias + 16, residual: residual.map { $0 + 3 * ldr + 16 })
            finish16(F.self, c40, c + 4 * ldc, first: first, last: last, bias: bias, residual: residual.map { $0 + 4 * ldr })
            finish16(F.self, c41, c + 4 * ldc + 16, first: first, last: last, bias: bias + 16, residual: residual.map { $0 + 4 * ldr + 16 })
            finish16(F.self, c50, c + 5 * ldc, first: first, last: last, bias: bias, residual: residual.map { $0 + 5 * ldr })
            finish16(F.self, c51, c + 5 * ldc + 16, first: first, last: last, bias: bias + 16, residual: residual.map { $0 + 5 * ldr + 16 })
            finish16(F.self, c60, c + 6 * ldc, first: first, last: last, bias: bias, residual: residual.map { $0 + 6 * ldr })
            finish16(F.self, c61, c + 6 * ldc + 16, first: first, last: last, bias: bias + 16, residual: residual.map { $0 + 6 * ldr + 16 })
            finish16(F.self, c70, c + 7 * ldc, first: first, last: last, bias: bias, residual: residual.map { $0 + 7 * ldr })
            finish16(F.self, c71, c + 7 * ldc + 16, first: first, last: last, bias: bias + 16, residual: residual.map { $0 + 7 * ldr + 16 })
        } else {
            withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 16) { buffer in
                let p = buffer.baseAddress!
                p[0] = c00; p[1] = c01
                p[2] = c10; p[3] = c11
                p[4] = c20; p[5] = c21
                p[6] = c30; p[7] = c31
                p[8] = c40; p[9] = c41
                p[10] = c50; p[11] = c51
                p[12] = c60; p[13] = c61
                p[14] = c70; p[15] = c71
                finishPartial16(F.self, p, vectors: 2, rows: rows, columns: columns, c, ldc, first: first, last: last,
                                bias: bias, residual: residual, ldr: ldr)
            }
        }
    }

    @inline(__always)
    static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    static func load16(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    static func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }

    /// The activation's 16-lane form (the same arithmetic as the AVX2 kernel's 8-lane one).
    @inline(__always)
    static func apply16<F: ElementwiseFunction>(_: F.Type, _ v: SIMD16<Float>) -> SIMD16<Float> {
        F.apply(v)
    }

    /// Adds the partial sum already in `c` (K blocks after the first), and on the last K block
    /// the bias, the activation and the residual; one store.
    @inline(__always)
    static func finish16<F: ElementwiseFunction>(
        _: F.Type, _ v: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>,
        first: Bool, last: Bool, bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?
    ) {
        var v = v
        if !first { v += load16(c) }
        if last {
            v = apply16(F.self, v + load16(bias))
            if let residual { v += load16(residual) }
        }
        store16(v, c)
    }

    /// The edge tiles (missing rows or columns): whole 16-column parts through the vector path,
    /// the rest element by element through one register.
    @inline(never)
    static func finishPartial16<F: ElementwiseFunction>(
        _: F.Type, _ accumulators: UnsafePointer<SIMD16<Float>>, vectors: Int, rows: Int, columns: Int,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, first: Bool, last: Bool,
        bias: UnsafePointer<Float>, residual: UnsafePointer<Float>?, ldr: Int
    ) {
        for row in 0..<rows {
            let out = c + row * ldc
            let add = residual.map { $0 + row * ldr }
            for part in 0..<vectors {
                let count = min(16, columns - 16 * part)
                guard count > 0 else { break }
                if count == 16 {
                    finish16(F.self, accumulators[row * vectors + part], out + 16 * part, first: first, last: last,
                             bias: bias + 16 * part, residual: add.map { $0 + 16 * part })
                    continue
                }
                var v = accumulators[row * vectors + part]
                var prior = SIMD16<Float>.zero, b = SIMD16<Float>.zero, r = SIMD16<Float>.zero
                for lane in 0..<count {
                    let j = 16 * part + lane
                    if !first { prior[lane] = out[j] }
                    b[lane] = bias[j]
                    if let add { r[lane] = add[j] }
                }
                v += prior
                if last { v = apply16(F.self, v + b) + r }
                for lane in 0..<count { out[16 * part + lane] = v[lane] }
            }
        }
    }
}
