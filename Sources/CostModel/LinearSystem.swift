import Support

/// Solves the small dense systems of a calibration fit (a few dozen unknowns at most).
enum LinearSystem {
    /// The solution of `A x = b`, `A` row-major `n x n`, by Gaussian elimination with partial
    /// pivoting. Throws when a pivot vanishes relative to the matrix's scale (singular system).
    static func solve(_ matrix: [Double], _ rhs: [Double]) throws -> [Double] {
        let n = rhs.count
        precondition(matrix.count == n * n, "a system of \(n) unknowns has \(n * n) matrix entries, not \(matrix.count)")
        var a = matrix, x = rhs
        let scale = matrix.reduce(0) { max($0, abs($1)) }
        for column in 0..<n {
            var pivotRow = column
            for row in (column + 1)..<max(n, column + 1) where abs(a[row * n + column]) > abs(a[pivotRow * n + column]) {
                pivotRow = row
            }
            let pivot = a[pivotRow * n + column]
            guard abs(pivot) > Double(n) * .ulpOfOne * scale, pivot.isFinite else {
                throw HwnasError("the calibration's normal equations are singular (unknown \(column + 1) of \(n) is not determined by the data)")
            }
            if pivotRow != column {
                for k in 0..<n { a.swapAt(column * n + k, pivotRow * n + k) }
                x.swapAt(column, pivotRow)
            }
            for row in (column + 1)..<max(n, column + 1) {
                let factor = a[row * n + column] / pivot
                guard factor != 0 else { continue }
                for k in column..<n { a[row * n + k] -= factor * a[column * n + k] }
                x[row] -= factor * x[column]
            }
        }
        for row in stride(from: n - 1, through: 0, by: -1) {
            var s = x[row]
            for k in (row + 1)..<max(n, row + 1) { s -= a[row * n + k] * x[k] }
            x[row] = s / a[row * n + row]
        }
        return x
    }
}
