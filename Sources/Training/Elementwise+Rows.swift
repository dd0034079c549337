import Kernels

extension Elementwise {
    /// Softmax of each of `rows` rows of `columns` values at stride `ld`, in place, after
    /// adding `bias[j]` to column j when a bias is given. Stable: each row is shifted by its
    /// maximum; an exponent below -87.3 gives exactly 0.
    static func softmaxRows(
        _ x: UnsafeMutablePointer<Float>, rows: Int, columns n: Int, ld: Int, bias: UnsafePointer<Float>?
    ) {
        for r in 0..<rows {
            let p = x + r * ld
            if let bias { add(bias, into: p, count: n) }
            var m = Float16x(repeating: -.infinity)
            var j = 0
            while j + 16 <= n {
                m = Lanes.max(m, Lanes.load(p + j))
                j += 16
            }
            var maximum = Lanes.maximum(m)
            while j < n { maximum = Swift.max(maximum, p[j]); j += 1 }
            let shift = Float16x(repeating: maximum)
            var s = Float16x.zero
            j = 0
            while j < n {
                let left = n - j
                var e = FastMath.exp(Lanes.load(p + j, count: left) - shift)
                if left < 16 {
                    // Padding lanes hold exp(0 - max); keep them out of the sum.
                    for lane in left..<16 { e[lane] = 0 }
                }
                Lanes.store(e, p + j, count: left)
                s += e
                j += 16
            }
            let scale = Float16x(repeating: 1 / Lanes.sum(s))
            j = 0
            while j < n {
                let left = n - j
                Lanes.store(Lanes.load(p + j, count: left) * scale, p + j, count: left)
                j += 16
            }
        }
    }

    /// The softmax's backward on each row, in place: ds = p ⊙ (dp - Σ_j dp_j·p_j).
    static func softmaxBackwardRows(
        probabilities p: UnsafePointer<Float>, _ dp: UnsafeMutablePointer<Float>, rows: Int, columns n: Int, ld: Int
    ) {
        for r in 0..<rows {
            let pr = p + r * ld
            let dr = dp + r * ld
            var s = Float16x.zero
            var j = 0
            while j < n {
                let left = n - j
                s = s.addingProduct(Lanes.load(pr + j, count: left), Lanes.load(dr + j, count: left))
                j += 16
            }
            let dot = Float16x(repeating: Lanes.sum(s))
            j = 0
            while j < n {
                let left = n - j
                Lanes.store(Lanes.load(pr + j, count: left) * (Lanes.load(dr + j, count: left) - dot), dr + j, count: left)
                j += 16
            }
        }
    }

    /// y[r·ldy + j] = x[r·ldx + j] · factor(first + r·indexStride + j) (+ residual[r·ldr + j]):
    /// dropout of a block of `rows` x `columns`, element (r, j) hashed at that index, the
    /// residual added in the same pass. `y` may be `x` (or `residual`) at the same stride.
    static func dropoutRows(
        _ x: UnsafePointer<Float>, ldx: Int, into y: UnsafeMutablePointer<Float>, ldy: Int,
        rows: Int, columns n: Int, residual: UnsafePointer<Float>? = nil, ldr: Int = 0,
        first: Int, indexStride: Int, key: UInt64, threshold: UInt32, scale: Float
    ) {
        for r in 0..<rows {
            let src = x + r * ldx
            let dst = y + r * ldy
            let base = first + r * indexStride
            var j = 0
            if let residual {
                let add = residual + r * ldr
                while j < n {
                    let left = n - j
                    let factor = DropoutMask.factors(first: UInt32(truncatingIfNeeded: base + j), key: key, threshold: threshold, scale: scale)
                    Lanes.store(Lanes.load(add + j, count: left).addingProduct(Lanes.load(src + j, count: left), factor), dst + j, count: left)
                    j += 16
                }
            } else {
                while j < n {
                    let left = n - j
                    let factor = DropoutMask.factors(first: UInt32(truncatingIfNeeded: base + j), key: key, threshold: threshold, scale: scale)
                    Lanes.store(Lanes.load(src + j, count: left) * factor, dst + j, count: left)
                    j += 16
                }
            }
        }
    }

    /// y[i] = x[i] + residual[i].
    static func sum(_ x: UnsafePointer<Float>, _ residual: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            Lanes.store(Lanes.load(x + i) + Lanes.load(residual + i), y + i)
            i += 16
        }
        while i < count { y[i] = x[i] + residual[i]; i += 1 }
    }
}
