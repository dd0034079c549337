import Kernels

/// The vector loops of the training ops: bias gradients, GELU and tanh with their
/// derivatives, residual sums, row-wise accumulation. Sixteen lanes, padded tails.
///
/// GELU, erf, exp and tanh are `FastMath`'s (the forward kernels' own approximations, absolute
/// error about 1e-7), so the training forward computes what the profiled kernels compute.
enum Elementwise {
    /// sum[j] += x[r·ld + j] for every row r < `rows`, j < `columns` (a bias gradient).
    static func accumulateColumnSums(
        _ x: UnsafePointer<Float>, rows: Int, columns: Int, ld: Int, into sum: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        // Blocks of 64 columns: four accumulators stay in registers down all the rows.
        while j + 64 <= columns {
            var a0 = Lanes.load(sum + j), a1 = Lanes.load(sum + j + 16)
            var a2 = Lanes.load(sum + j + 32), a3 = Lanes.load(sum + j + 48)
            for r in 0..<rows {
                let p = x + r * ld + j
                a0 += Lanes.load(p)
                a1 += Lanes.load(p + 16)
                a2 += Lanes.load(p + 32)
                a3 += Lanes.load(p + 48)
            }
            Lanes.store(a0, sum + j)
            Lanes.store(a1, sum + j + 16)
            Lanes.store(a2, sum + j + 32)
            Lanes.store(a3, sum + j + 48)
            j += 64
        }
        while j < columns {
            let n = columns - j
            var a = Lanes.load(sum + j, count: n)
            for r in 0..<rows { a += Lanes.load(x + r * ld + j, count: n) }
            Lanes.store(a, sum + j, count: n)
            j += 16
        }
    }

    /// y[i] += x[i].
    static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            Lanes.store(Lanes.load(y + i) + Lanes.load(x + i), y + i)
            i += 16
        }
        while i < count { y[i] += x[i]; i += 1 }
    }

    /// y[i] = a[i] + b[i] + c[i].
    static func sum(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
        into y: UnsafeMutablePointer<Float>, count: Int
    ) {
        var i = 0
        while i + 16 <= count {
            Lanes.store(Lanes.load(a + i) + Lanes.load(b + i) + Lanes.load(c + i), y + i)
            i += 16
        }
        while i < count { y[i] = a[i] + b[i] + c[i]; i += 1 }
    }

    /// y[i] = gelu(x[i]), and x[i] replaced by gelu'(x[i]) (what the backward multiplies by).
    static func geluKeepingDerivative(_ x: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i < count {
            let n = count - i
            let (value, derivative) = FastMath.geluAndDerivative(Lanes.load(x + i, count: n))
            Lanes.store(value, y + i, count: n)
            Lanes.store(derivative, x + i, count: n)
            i += 16
        }
    }

    /// y[i] = x[i] · factor[i]; `y` may be `x`.
    static func multiply(_ x: UnsafePointer<Float>, by factor: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            Lanes.store(Lanes.load(x + i) * Lanes.load(factor + i), y + i)
            i += 16
        }
        while i < count { y[i] = x[i] * factor[i]; i += 1 }
    }

    /// y[i] = tanh(x[i]); `y` may be `x`.
    static func tanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i < count {
            let n = count - i
            Lanes.store(FastMath.tanh(Lanes.load(x + i, count: n)), y + i, count: n)
            i += 16
        }
    }

    /// dx[i] = dy[i] · (1 - t[i]²) where t = tanh(x) as the forward stored it; `dx` may be `dy`.
    static func tanhBackward(
        _ dy: UnsafePointer<Float>, output t: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>, count: Int
    ) {
        var i = 0
        while i < count {
            let n = count - i
            let v = Lanes.load(t + i, count: n)
            Lanes.store(Lanes.load(dy + i, count: n) * (1 - v * v), dx + i, count: n)
            i += 16
        }
    }
}
