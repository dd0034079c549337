/// The AVX-512 attention core: softmax(Q·Kᵀ/√d)·V of one head, eight query rows at a time, with
/// the scores of those rows kept in L1 between the two products.
///
/// The sgemm path forms a head's whole [s, s] score matrix, passes over it for the softmax and
/// reads it again for P·V; each of its two sgemm calls also packs both operands, which for
/// 128 x 128 x 64 products costs as much as the arithmetic. Here only the keys are packed, once
/// per head, into 32-column panels of Kᵀ, and V's rows are copied together (in the projection
/// they lie 3·inner floats apart, a stride that maps every row to the same few L1 sets, so P·V
/// read in place missed L1 on every row); the queries are broadcast from the projection's rows.
/// The softmax is not normalised in place: each row's 1/Σ scales its output row instead.
/// Runs where the head dimension is a multiple of 32 (BERT's 64, MiniLM's 32) and the BLAS runs on
/// one thread: the fused core is single-threaded, and with more threads sgemm shares the products.
extension MultiHeadAttention {
    /// Rows of queries per tile: 8 rows x 32 columns = 16 zmm accumulators.
    static let fusedRows = 8

    /// Whether the fused core serves a head of `headDimension` under `variant` when the BLAS has
    /// `blasThreads` threads.
    public static func fusedCore(_ variant: KernelVariant, headDimension: Int, blasThreads: Int = 1) -> Bool {
        variant == .avx512 && headDimension % 32 == 0 && blasThreads == 1
    }

    /// The fused core over every sequence and head, into `context`.
    func attend512() {
        let inner = self.inner
        let ld = 3 * inner
        let s = sequence
        let d = headDimension
        let padded = paddedSequence
        let alpha = 1 / Float(d).squareRoot()
        let keys = packedKeys.pointer
        let packedV = packedValues.pointer
        let rowScores = tileScores.pointer
        for b in 0..<batch {
            let base = qkv.pointer + b * s * ld
            for h in 0..<heads {
                let q = base + h * d
                let k = q + inner
                let v = q + 2 * inner
                let out = context.pointer + b * s * inner + h * d
                Self.packKeys(k, ld: ld, sequence: s, depth: d, padded: padded, into: keys)
                for j in 0..<s { (packedV + j * d).update(from: v + j * ld, count: d) }
                var i = 0
                while i < s {
                    let rows = min(Self.fusedRows, s - i)
                    Self.scores8(q + i * ld, ld: ld, rows: rows, keys: keys, depth: d, padded: padded,
                                 alpha: alpha, into: rowScores)
                    var inverse = SIMD8<Float>(repeating: 0)
                    for r in 0..<rows {
                        inverse[r] = Self.exponentiate(rowScores + r * padded, count: s)
                    }
                    Self.weighted8(rowScores, padded: padded, rows: rows, values: packedV, ld: d, sequence: s,
                                   depth: d, inverse: inverse, into: out + i * inner, ldo: inner)
                    i += Self.fusedRows
                }
            }
        }
    }

    /// Kᵀ in panels of 32 keys: panel p holds [depth][32] with key 32p + c in column c. Columns
    /// past the sequence are never written and stay zero.
    @inline(__always)
    static func packKeys(
        _ k: UnsafePointer<Float>, ld: Int, sequence: Int, depth: Int, padded: Int,
        into packed: UnsafeMutablePointer<Float>
    ) {
        for j in 0..<sequence {
            let row = k + j * ld
            let column = packed + (j >> 5) * depth * 32 + (j & 31)
            for t in 0..<depth { column[t * 32] = row[t] }
        }
    }

    /// Scaled scores of `rows` (at most 8) query rows against every key, into [8][padded]
    /// (rows past `rows` repeat the last query's scores, unused).
    @inline(never)
    static func scores8(
        _ q: UnsafePointer<Float>, ld: Int, rows: Int, keys: UnsafePointer<Float>, depth: Int, padded: Int,
        alpha: Float, into scores: UnsafeMutablePointer<Float>
    ) {
        let a0 = q
        let a1 = q + min(1, rows - 1) * ld
        let a2 = q + min(2, rows - 1) * ld
        let a3 = q + min(3, rows - 1) * ld
        let a4 = q + min(4, rows - 1) * ld
        let a5 = q + min(5, rows - 1) * ld
        let a6 = q + min(6, rows - 1) * ld
        let a7 = q + min(7, rows - 1) * ld
        let scale = Float16x(repeating: alpha)
        var panel = 0
        while panel * 32 < padded {
            var c00 = Float16x.zero, c01 = Float16x.zero
            var c10 = Float16x.zero, c11 = Float16x.zero
            var c20 = Float16x.zero, c21 = Float16x.zero
            var c30 = Float16x.zero, c31 = Float16x.zero
            var c40 = Float16x.zero, c41 = Float16x.zero
            var c50 = Float16x.zero, c51 = Float16x.zero
            var c60 = Float16x.zero, c61 = Float16x.zero
            var c70 = Float16x.zero, c71 = Float16x.zero
            var pb = keys + panel * depth * 32
            for t in 0..<depth {
                let b0 = Vector.load16(pb), b1 = Vector.load16(pb + 16)
                var x = Float16x(repeating: a0[t])
                c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
                x = Float16x(repeating: a1[t])
                c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
                x = Float16x(repeating: a2[t])
                c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
                x = Float16x(repeating: a3[t])
                c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
                x = Float16x(repeating: a4[t])
                c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
                x = Float16x(repeating: a5[t])
                c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
                x = Float16x(repeating: a6[t])
                c60 = c60.addingProduct(x, b0); c61 = c61.addingProduct(x, b1)
                x = Float16x(repeating: a7[t])
                c70 = c70.addingProduct(x, b0); c71 = c71.addingProduct(x, b1)
                pb += 32
            }
            let out = scores + panel * 32
            Vector.store(c00 * scale, out); Vector.store(c01 * scale, out + 16)
            Vector.store(c10 * scale, out + padded); Vector.store(c11 * scale, out + padded + 16)
            Vector.store(c20 * scale, out + 2 * padded); Vector.store(c21 * scale, out + 2 * padded + 16)
            Vector.store(c30 * scale, out + 3 * padded); Vector.store(c31 * scale, out + 3 * padded + 16)
            Vector.store(c40 * scale, out + 4 * padded); Vector.store(c41 * scale, out + 4 * padded + 16)
            Vector.store(c50 * scale, out + 5 * padded); Vector.store(c51 * scale, out + 5 * padded + 16)
            Vector.store(c60 * scale, out + 6 * padded); Vector.store(c61 * scale, out + 6 * padded + 16)
            Vector.store(c70 * scale, out + 7 * padded); Vector.store(c71 * scale, out + 7 * padded + 16)
            panel += 1
        }
    }

    /// exp(x - max) over the first `count` values of a row padded to a multiple of 32, in place;
    /// returns 1/Σ. Lanes past `count` take -∞, so they add nothing.
    @inline(__always)
    static func exponentiate(_ row: UnsafeMutablePointer<Float>, count: Int) -> Float {
        let whole = count & ~15
        let left = count - whole
        let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let inside = lanes .< SIMD16<Int32>(repeating: Int32(left))
        var m = Float16x(repeating: -.infinity)
        var j = 0
        while j < whole { m = Vector.max(m, Vector.load16(row + j)); j += 16 }
        if left > 0 {
            let tail = Float16x(repeating: -.infinity).replacing(with: Vector.load16(row + whole), where: inside)
            m = Vector.max(m, tail)
        }
        let shift = Float16x(repeating: Vector.maximum(m))
        var sum = Float16x.zero
        j = 0
        while j < whole {
            let e = FastMath.exp(Vector.load16(row + j) - shift)
            Vector.store(e, row + j)
            sum += e
            j += 16
        }
        if left > 0 {
            let tail = Float16x(repeating: -.infinity).replacing(with: Vector.load16(row + whole), where: inside)
            let e = FastMath.exp(tail - shift)
            Vector.store(e, row + whole)
            sum += e
        }
        return 1 / Vector.sum(sum)
    }

    /// out[r] = inverse[r] · Σ_j p[r][j]·V[j] for `rows` (at most 8) rows, 32 columns at a time.
    @inline(never)
    static func weighted8(
        _ p: UnsafePointer<Float>, padded: Int, rows: Int, values: UnsafePointer<Float>, ld: Int, sequence: Int,
        depth: Int, inverse: SIMD8<Float>, into out: UnsafeMutablePointer<Float>, ldo: Int
    ) {
        let p0 = p, p1 = p + padded, p2 = p + 2 * padded, p3 = p + 3 * padded
        let p4 = p + 4 * padded, p5 = p + 5 * padded, p6 = p + 6 * padded, p7 = p + 7 * padded
        var column = 0
        while column < depth {
            var c00 = Float16x.zero, c01 = Float16x.zero
            var c10 = Float16x.zero, c11 = Float16x.zero
            var c20 = Float16x.zero, c21 = Float16x.zero
            var c30 = Float16x.zero, c31 = Float16x.zero
            var c40 = Float16x.zero, c41 = Float16x.zero
            var c50 = Float16x.zero, c51 = Float16x.zero
            var c60 = Float16x.zero, c61 = Float16x.zero
            var c70 = Float16x.zero, c71 = Float16x.zero
            var pv = values + column
            for j in 0..<sequence {
                let b0 = Vector.load16(pv), b1 = Vector.load16(pv + 16)
                var x = Float16x(repeating: p0[j])
                c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
                x = Float16x(repeating: p1[j])
                c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
                x = Float16x(repeating: p2[j])
                c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
                x = Float16x(repeating: p3[j])
                c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
                x = Float16x(repeating: p4[j])
                c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
                x = Float16x(repeating: p5[j])
                c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
                x = Float16x(repeating: p6[j])
                c60 = c60.addingProduct(x, b0); c61 = c61.addingProduct(x, b1)
                x = Float16x(repeating: p7[j])
                c70 = c70.addingProduct(x, b0); c71 = c71.addingProduct(x, b1)
                pv += ld
            }
            let o = out + column
            func put(_ r: Int, _ lo: Float16x, _ hi: Float16x) {
                guard r < rows else { return }
                let s = Float16x(repeating: inverse[r])
                Vector.store(lo * s, o + r * ldo)
                Vector.store(hi * s, o + r * ldo + 16)
            }
            put(0, c00, c01); put(1, c10, c11); put(2, c20, c21); put(3, c30, c31)
            put(4, c40, c41); put(5, c50, c51); put(6, c60, c61); put(7, c70, c71)
            column += 32
        }
    }
}
