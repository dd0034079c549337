/// Numerically stable softmax over the last dimension, in place.
///
/// Each row is shifted by its maximum before the exponential, so no term overflows; the
/// exponential is `FastMath.exp` on eight lanes (AVX2) or sixteen (AVX-512, chosen per call from
/// `KernelDispatch.variant`). Three passes over a row that sits in L1.
public struct Softmax: Sendable {
    public init() {}

    /// Replaces every row of `x` ([..., columns]) by its softmax.
    public func callAsFunction(_ x: Tensor) {
        guard let columns = x.shape.last, columns > 0 else { return }
        Self.rows(x.pointer, rows: x.count / columns, columns: columns, ld: columns)
    }

    /// Softmax of `rows` rows of `columns` values each, at stride `ld`.
    static func rows(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int, ld: Int) {
        switch KernelDispatch.variant {
        case .avx2: rows8(x, rows: rows, columns: columns, ld: ld)
        case .avx512: rows16(x, rows: rows, columns: columns, ld: ld)
        }
    }

    static func rows8(_ x: UnsafeMutablePointer<Float>, rows: Int, columns n: Int, ld: Int) {
        let vectorEnd = n & ~7
        for row in 0..<rows {
            let p = x + row * ld
            var m0 = Float8(repeating: -.infinity), m1 = m0
            var j = 0
            while j + 16 <= n {
                m0 = Vector.max(m0, Vector.load(p + j))
                m1 = Vector.max(m1, Vector.load(p + j + 8))
                j += 16
            }
            if j < vectorEnd { m0 = Vector.max(m0, Vector.load(p + j)); j += 8 }
            var maximum = Vector.maximum(Vector.max(m0, m1))
            while j < n { maximum = Swift.max(maximum, p[j]); j += 1 }
            let shift = Float8(repeating: maximum)
            var s0 = Float8.zero, s1 = Float8.zero
            j = 0
            while j + 16 <= n {
                let e0 = FastMath.exp(Vector.load(p + j) - shift)
                let e1 = FastMath.exp(Vector.load(p + j + 8) - shift)
                Vector.store(e0, p + j)
                Vector.store(e1, p + j + 8)
                s0 += e0
                s1 += e1
                j += 16
            }
            if j < vectorEnd {
                let e = FastMath.exp(Vector.load(p + j) - shift)
                Vector.store(e, p + j)
                s0 += e
                j += 8
            }
            var sum = Vector.sum(s0 + s1)
            if j < n {
                var tail = Float8.zero
                for lane in 0..<(n - j) { tail[lane] = p[j + lane] - maximum }
                tail = FastMath.exp(tail)
                for lane in 0..<(n - j) { p[j + lane] = tail[lane]; sum += tail[lane] }
            }
            let scale = Float8(repeating: 1 / sum)
            j = 0
            while j < vectorEnd {
                Vector.store(Vector.load(p + j) * scale, p + j)
                j += 8
            }
            let scalar = 1 / sum
            while j < n { p[j] *= scalar; j += 1 }
        }
    }

    /// The same passes on sixteen lanes; the tail of each pass is one padded register, so the
    /// remainder sees the vector `exp` too.
    static func rows16(_ x: UnsafeMutablePointer<Float>, rows: Int, columns n: Int, ld: Int) {
        let vectorEnd = n & ~15
        let left = n - vectorEnd
        for row in 0..<rows {
            let p = x + row * ld
            var m0 = Float16x(repeating: -.infinity), m1 = m0
            var j = 0
            while j + 32 <= n {
                m0 = Vector.max(m0, Vector.load16(p + j))
                m1 = Vector.max(m1, Vector.load16(p + j + 16))
                j += 32
            }
            if j < vectorEnd { m0 = Vector.max(m0, Vector.load16(p + j)); j += 16 }
            var maximum = Vector.maximum(Vector.max(m0, m1))
            while j < n { maximum = Swift.max(maximum, p[j]); j += 1 }
            let shift = Float16x(repeating: maximum)
            var s0 = Float16x.zero, s1 = Float16x.zero
            j = 0
            while j + 32 <= n {
                let e0 = FastMath.exp(Vector.load16(p + j) - shift)
                let e1 = FastMath.exp(Vector.load16(p + j + 16) - shift)
                Vector.store(e0, p + j)
                Vector.store(e1, p + j + 16)
                s0 += e0
                s1 += e1
                j += 32
            }
            if j < vectorEnd {
                let e = FastMath.exp(Vector.load16(p + j) - shift)
                Vector.store(e, p + j)
                s0 += e
                j += 16
            }
            var sum = Vector.sum(s0 + s1)
            if left > 0 {
                var tail = Float16x.zero
                for lane in 0..<left { tail[lane] = p[j + lane] - maximum }
                tail = FastMath.exp(tail)
                for lane in 0..<left { p[j + lane] = tail[lane]; sum += tail[lane] }
            }
            let scale = Float16x(repeating: 1 / sum)
            j = 0
            while j < vectorEnd {
                Vector.store(Vector.load16(p + j) * scale, p + j)
                j += 16
            }
            let scalar = 1 / sum
            while j < n { p[j] *= scalar; j += 1 }
        }
    }
}
