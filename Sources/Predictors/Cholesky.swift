import CBlas
import Foundation
import Support

/// The Cholesky factor `L` of a symmetric positive definite matrix `A = L Lᵀ`, and solves with it.
///
/// Kernel ridge regression and ridge regression both come down to solving `(A + λI) x = b` with
/// `A` symmetric positive semi-definite; Cholesky is the stable and fastest way, and a failure to
/// factor says the system is not positive definite (λ too small for the data) instead of
/// returning garbage. The factorisation and the solves are LAPACK's (`dpotrf`, `dpotrs`).
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
        guard n > 0 else { return }
        // Row-major lower triangle = column-major upper triangle: LAPACK's 'U' factor Uᵀ U is L Lᵀ.
        var info: blasint = 0
        var size = blasint(n)
        lower.withUnsafeMutableBufferPointer { a in
            var uplo = CChar(UInt8(ascii: "U"))
            dpotrf_(&uplo, &size, a.baseAddress!, &size, &info, 1)
        }
        if let pivot = Self.failedPivot(lower, matrix, n, lapackInfo: Int(info)) {
            throw HwnasError("the matrix is not positive definite (pivot \(pivot) of \(n) is not positive)")
        }
        for i in 0..<n {
            for k in (i + 1)..<n { lower[i * n + k] = 0 }
        }
    }

    /// The first pivot that is not positive, stricter than LAPACK's own test: a pivot lost in
    /// rounding (`L_ii² ≤ n ε a_ii`) means the matrix is singular to working precision, and
    /// solving with it would divide by noise.
    static func failedPivot(_ factor: [Double], _ matrix: [Double], _ n: Int, lapackInfo: Int) -> Int? {
        // LAPACK factored the columns before a failed one (info = its 1-based number) only.
        let factored = lapackInfo > 0 ? lapackInfo - 1 : n
        for i in 0..<factored {
            let pivot = factor[i * n + i]
            let square = pivot * pivot
            guard square > Double(n) * .ulpOfOne * abs(matrix[i * n + i]), square.isFinite else { return i }
        }
        precondition(lapackInfo >= 0, "dpotrf refused argument \(-lapackInfo)")
        return lapackInfo > 0 ? factored : nil
    }

    /// Solves `A x = b`.
    public func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == order, "the right-hand side has \(b.count) entries, the matrix order is \(order)")
        var x = b
        guard order > 0 else { return x }
        var size = blasint(order), columns: blasint = 1, info: blasint = 0
        lower.withUnsafeBufferPointer { a in
            x.withUnsafeMutableBufferPointer { x in
                var uplo = CChar(UInt8(ascii: "U"))
                dpotrs_(&uplo, &size, &columns, a.baseAddress!, &size, x.baseAddress!, &size, &info, 1)
            }
        }
        precondition(info == 0, "dpotrs refused argument \(-info)")
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
}
