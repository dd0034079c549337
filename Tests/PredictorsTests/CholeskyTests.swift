import Foundation
import Support
import Testing
@testable import Predictors

/// The Cholesky factorisation and solve, function by function, against systems whose answer is known.
@Suite struct CholeskyTests {
    /// A random symmetric positive definite matrix: B Bᵀ + n I.
    static func spd(_ n: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        let b = (0..<(n * n)).map { _ in Double(generator.nextSymmetricFloat()) }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += b[i * n + k] * b[j * n + k] }
                a[i * n + j] = s + (i == j ? Double(n) : 0)
            }
        }
        return a
    }

    @Test func factorOfAKnownMatrix() throws {
        // The textbook example: L = [[2, 0, 0], [6, 1, 0], [-8, 5, 3]].
        let a: [Double] = [4, 12, -16, 12, 37, -43, -16, -43, 98]
        let factor = try Cholesky(a, order: 3)
        #expect(factor.lower == [2, 0, 0, 6, 1, 0, -8, 5, 3])
        #expect(abs(factor.logDeterminant - 2 * log(2.0 * 1 * 3)) < 1e-12)
    }

    @Test func solveAKnownSystem() throws {
        let a: [Double] = [4, 12, -16, 12, 37, -43, -16, -43, 98]
        let x: [Double] = [1, -2, 0.5]
        let b = (0..<3).map { i in (0..<3).reduce(0.0) { $0 + a[i * 3 + $1] * x[$1] } }
        let solved = try Cholesky(a, order: 3).solve(b)
        for (s, e) in zip(solved, x) { #expect(abs(s - e) < 1e-12) }
    }

    @Test(arguments: [1, 2, 5, 16, 17, 37, 100])
    func reconstructsAndSolvesRandomSystems(order n: Int) throws {
        let a = Self.spd(n, seed: UInt64(n))
        let factor = try Cholesky(a, order: n)
        let back = factor.reconstructed()
        for k in a.indices { #expect(abs(back[k] - a[k]) <= 1e-10 * Double(n)) }
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) where j < n { #expect(factor.lower[i * n + j] == 0) }
        }
        let x = (0..<n).map { Double($0 % 7) - 3 }
        let b = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + a[i * n + $1] * x[$1] } }
        let solved = factor.solve(b)
        for (s, e) in zip(solved, x) { #expect(abs(s - e) < 1e-9) }
    }

    @Test func anEmptyMatrixHasAnEmptyFactor() throws {
        let factor = try Cholesky([], order: 0)
        #expect(factor.lower.isEmpty && factor.solve([]).isEmpty && factor.logDeterminant == 0)
    }

    @Test func readsTheLowerTriangleOnly() throws {
        var a: [Double] = [4, 12, -16, 12, 37, -43, -16, -43, 98]
        a[1] = 999; a[2] = -999; a[5] = 0
        #expect(try Cholesky(a, order: 3).lower == [2, 0, 0, 6, 1, 0, -8, 5, 3])
    }

    @Test func refusesAMatrixThatIsNotPositiveDefinite() throws {
        // Eigenvalues 3 and -1.
        #expect(throws: HwnasError("the matrix is not positive definite (pivot 1 of 2 is not positive)")) {
            try Cholesky([1, 2, 2, 1], order: 2)
        }
        // The message names the pivot that failed.
        for matrix in [[0.0], [Double.nan]] {
            let error = try #require(throws: HwnasError.self) { try Cholesky(matrix, order: 1) }
            #expect(error.message.contains("pivot 0 of 1"), "message: \(error.message)")
        }
    }

    @Test func refusesAPivotLostInRounding() {
        // The second pivot is 2^-52, positive (LAPACK accepts it) but below n ε a_ii: singular
        // to working precision.
        #expect(throws: HwnasError("the matrix is not positive definite (pivot 1 of 2 is not positive)")) {
            try Cholesky([1, 1, 1, 1 + .ulpOfOne], order: 2)
        }
        // A pivot that fails after a good one is named by its own index.
        #expect(throws: HwnasError("the matrix is not positive definite (pivot 2 of 3 is not positive)")) {
            try Cholesky([4, 0, 0, 0, 9, 0, 0, 0, -1], order: 3)
        }
    }

    /// The textbook Cholesky–Banachiewicz factor, row by row in plain loops.
    static func referenceFactor(_ a: [Double], order n: Int) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = i == j ? s.squareRoot() : s / l[j * n + j]
            }
        }
        return l
    }

    @Test(arguments: [1, 3, 16, 33, 100])
    func matchesAPlainReference(order n: Int) throws {
        let a = Self.spd(n, seed: 100 + UInt64(n))
        let factor = try Cholesky(a, order: n)
        let reference = Self.referenceFactor(a, order: n)
        for k in a.indices { #expect(abs(factor.lower[k] - reference[k]) <= 1e-12 * max(1, abs(reference[k]))) }
    }
}
