import Foundation
import Support

/// The Cholesky factor `L` of a symmetric positive definite matrix `A = L Lᵀ`, and solves with it.
///
/// Kernel ridge regression and ridge regression both come down to solving `(A + λI) x = b` with
/// `A` symmetric positive semi-definite; Cholesky is the stable and fastest way, and a failure to
/// factor says the system is not positive definite (λ too small for the data) instead of
/// returning garbage.
public struct Cholesky: Sendable {
    /// The order of the matrix.
    public let order: Int
    /// `L`, row-major, `order x order`; entries above the diagonal are zero.
    public private(set) var lower: [Double]

    /// Factors the symmetric matrix `matrix` (row-major, `order x order`; only the lower
    /// triangle, diagonal included, is read). Throws when a pivot is not positive.
    public init(_ matrix: [Double], order: Int) throws {
        precondition(order >= 0 && matrix.count == order * order, "a matrix of order \(order) has \(order * order) entries, not \(matrix.count)")
        self.order = order
        lower = matrix
        let n = order
        let failure: Int? = n == 0 ? nil : lower.withUnsafeMutableBufferPointer { buffer in
            Self.factor(buffer.baseAddress!, n)
        }
        if let pivot = failure {
            throw HwnasError("the matrix is not positive definite (pivot \(pivot) of \(n) is not positive)")
        }
    }

    /// Solves `A x = b`.
    public func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == order, "the right-hand side has \(b.count) entries, the matrix order is \(order)")
        var x = b
        let n = order
        guard n > 0 else { return x }
        lower.withUnsafeBufferPointer { l in
            x.withUnsafeMutableBufferPointer { x in
                // L y = b, forward.
                for i in 0..<n {
                    let row = l.baseAddress! + i * n
                    x[i] = (x[i] - Self.dot(row, x.baseAddress!, i)) / row[i]
                }
                // Lᵀ x = y, backward: column access of L, done as row updates of x.
                for i in stride(from: n - 1, through: 0, by: -1) {
                    let row = l.baseAddress! + i * n
                    x[i] /= row[i]
                    let xi = x[i]
                    for k in 0..<i { x[k] -= row[k] * xi }
                }
            }
        }
        return x
    }

    /// log det A = 2 Σ log L_ii.
    public var logDeterminant: Double {
        (0..<order).reduce(0) { $0 + 2 * log(lower[$1 * order + $1]) }
    }

    /// `L Lᵀ`: the factored matrix, for tests and checks.
    public func reconstructed() -> [Double] {
        var a = [Double](repeating: 0, count: order * order)
        for i in 0..<order {
            for j in 0...i {
                var s = 0.0
                for k in 0...j { s += lower[i * order + k] * lower[j * order + k] }
                a[i * order + j] = s
                a[j * order + i] = s
            }
        }
        return a
    }

    /// In-place row-oriented Cholesky–Crout: `L_ij = (a_ij - L_i,<j · L_j,<j) / L_jj`.
    ///
    /// Rows are taken in blocks of 16 so that the rows above a block are read from memory once
    /// per block rather than once per row, and the dot products run as 4 x 2 tiles (four rows of
    /// the block against two rows above) with SIMD accumulators. Returns the failing pivot.
    static func factor(_ a: UnsafeMutablePointer<Double>, _ n: Int) -> Int? {
        let blockRows = 16
        var i0 = 0
        while i0 < n {
            let i1 = min(i0 + blockRows, n)
            // Columns left of the block, two at a time.
            var j = 0
            while j < i0 {
                let rj = a + j * n
                if j + 1 < i0 {
                    let rk = rj + n
                    var r = i0
                    while r + 4 <= i1 {
                        tile(a + r * n, n, rj, rk, j)
                        r += 4
                    }
                    while r < i1 {
                        let ri = a + r * n
                        ri[j] = (ri[j] - dot(ri, rj, j)) / rj[j]
                        ri[j + 1] = (ri[j + 1] - dot(ri, rk, j + 1)) / rk[j + 1]
                        r += 1
                    }
                    j += 2
                } else {
                    for r in i0..<i1 {
                        let ri = a + r * n
                        ri[j] = (ri[j] - dot(ri, rj, j)) / rj[j]
                    }
                    j += 1
                }
            }
            // The triangle inside the block.
            for i in i0..<i1 {
                let ri = a + i * n
                for j in i0..<i {
                    let rj = a + j * n
                    ri[j] = (ri[j] - dot(ri, rj, j)) / rj[j]
                }
                // A pivot lost in rounding (below n ε a_ii) means the matrix is singular to
                // working precision: refuse rather than divide by noise.
                let s = ri[i] - dot(ri, ri, i)
                guard s > Double(n) * .ulpOfOne * abs(ri[i]), s.isFinite else { return i }
                ri[i] = s.squareRoot()
                for k in (i + 1)..<n { ri[k] = 0 }
            }
            i0 = i1
        }
        return nil
    }

    /// Columns j and j+1 of four consecutive rows starting at `r0` (rows `stride` apart), from
    /// the rows `rj` and `rk` (= row j+1) above.
    @inline(__always)
    static func tile(_ r0: UnsafeMutablePointer<Double>, _ stride: Int, _ rj: UnsafePointer<Double>,
                     _ rk: UnsafePointer<Double>, _ j: Int) {
        let r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride
        var a0 = SIMD4<Double>(), a1 = SIMD4<Double>(), a2 = SIMD4<Double>(), a3 = SIMD4<Double>()
        var b0 = SIMD4<Double>(), b1 = SIMD4<Double>(), b2 = SIMD4<Double>(), b3 = SIMD4<Double>()
        var k = 0
        while k + 4 <= j {
            let u = load(rj, k), v = load(rk, k)
            let x0 = load(r0, k), x1 = load(r1, k), x2 = load(r2, k), x3 = load(r3, k)
            a0.addProduct(x0, u); b0.addProduct(x0, v)
            a1.addProduct(x1, u); b1.addProduct(x1, v)
            a2.addProduct(x2, u); b2.addProduct(x2, v)
            a3.addProduct(x3, u); b3.addProduct(x3, v)
            k += 4
        }
        var da = (a0.sum(), a1.sum(), a2.sum(), a3.sum())
        var db = (b0.sum(), b1.sum(), b2.sum(), b3.sum())
        while k < j {
            let u = rj[k], v = rk[k]
            da.0 += r0[k] * u; db.0 += r0[k] * v
            da.1 += r1[k] * u; db.1 += r1[k] * v
            da.2 += r2[k] * u; db.2 += r2[k] * v
            da.3 += r3[k] * u; db.3 += r3[k] * v
            k += 1
        }
        let pj = rj[j], pk = rk[j + 1], lkj = rk[j]
        r0[j] = (r0[j] - da.0) / pj; r0[j + 1] = (r0[j + 1] - db.0 - r0[j] * lkj) / pk
        r1[j] = (r1[j] - da.1) / pj; r1[j + 1] = (r1[j + 1] - db.1 - r1[j] * lkj) / pk
        r2[j] = (r2[j] - da.2) / pj; r2[j + 1] = (r2[j + 1] - db.2 - r2[j] * lkj) / pk
        r3[j] = (r3[j] - da.3) / pj; r3[j + 1] = (r3[j + 1] - db.3 - r3[j] * lkj) / pk
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Double>, _ k: Int) -> SIMD4<Double> {
        UnsafeRawPointer(p + k).loadUnaligned(as: SIMD4<Double>.self)
    }

    /// Σ_{k<count} x[k] y[k].
    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ count: Int) -> Double {
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        var k = 0
        while k + 8 <= count {
            s0.addProduct(load(x, k), load(y, k))
            s1.addProduct(load(x, k + 4), load(y, k + 4))
            k += 8
        }
        var s = (s0 + s1).sum()
        while k < count {
            s += x[k] * y[k]
            k += 1
        }
        return s
    }
}
