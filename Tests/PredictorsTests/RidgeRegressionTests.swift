import Support
import Testing
@testable import Predictors

/// Ridge regression in closed form: coefficients recovered, the intercept left unpenalised, and
/// the one-hot path equal to the dense one.
@Suite struct RidgeRegressionTests {
    @Test func recoversTheCoefficientsOfALinearTarget() throws {
        var generator = SeededGenerator(seed: 3)
        let truth: [Double] = [3, -1.5, 0.5, 0, 2]
        let x = (0..<200).map { _ in (0..<truth.count).map { _ in Double(generator.nextSymmetricFloat()) * 2 } }
        let y = x.map { row in 2 + zip(row, truth).reduce(0.0) { $0 + $1.0 * $1.1 } }
        let model = try RidgeRegression(features: x, targets: y, alpha: 1e-9)
        #expect(abs(model.intercept - 2) < 1e-6)
        for (w, t) in zip(model.coefficients, truth) { #expect(abs(w - t) < 1e-6) }
        #expect(abs(model.predict([1, 1, 1, 1, 1]) - (2 + truth.reduce(0, +))) < 1e-6)
    }

    @Test func theInterceptIsNotPenalised() throws {
        var generator = SeededGenerator(seed: 4)
        let x = (0..<50).map { _ in (0..<3).map { _ in Double(generator.nextSymmetricFloat()) } }
        let y = x.map { 1 + $0[0] - $0[2] }
        let a = try RidgeRegression(features: x, targets: y, alpha: 5)
        let b = try RidgeRegression(features: x, targets: y.map { $0 + 100 }, alpha: 5)
        #expect(abs(b.intercept - a.intercept - 100) < 1e-9)
        for (u, v) in zip(a.coefficients, b.coefficients) { #expect(abs(u - v) < 1e-9) }
        // A heavy penalty shrinks the slopes towards 0 and the prediction towards the mean.
        let flat = try RidgeRegression(features: x, targets: y, alpha: 1e9)
        #expect(flat.coefficients.allSatisfy { abs($0) < 1e-6 })
        #expect(abs(flat.intercept - y.reduce(0, +) / Double(y.count)) < 1e-6)
    }

    @Test func oneHotRowsGiveTheSameFitAsDenseRows() throws {
        let width = 7
        var generator = SeededGenerator(seed: 5)
        let rows: [[Int32]] = (0..<60).map { _ in
            [Int32(generator.next() % 3), Int32(3 + generator.next() % 4)]
        }
        let y = rows.map { Double($0[0]) * 0.7 - Double($0[1]) * 0.2 + Double(generator.nextSymmetricFloat()) * 0.1 }
        let dense = rows.map { row in (0..<width).map { row.contains(Int32($0)) ? 1.0 : 0.0 } }
        let a = try RidgeRegression(features: dense, targets: y, alpha: 0.3)
        let b = try RidgeRegression(hotColumns: rows, width: width, targets: y, alpha: 0.3)
        #expect(abs(a.intercept - b.intercept) < 1e-9)
        for (u, v) in zip(a.coefficients, b.coefficients) { #expect(abs(u - v) < 1e-9) }
        for (row, x) in zip(rows, dense) { #expect(abs(b.predict(hotColumns: row) - a.predict(x)) < 1e-9) }
    }

    @Test func collinearFeaturesWithoutPenaltyAreAnError() throws {
        let x: [[Double]] = [[1, 1], [2, 2], [3, 3]]
        let error = try #require(throws: HwnasError.self) { try RidgeRegression(features: x, targets: [1, 2, 3], alpha: 0) }
        #expect(error.message.contains("alpha 0.0"), "message: \(error.message)")
    }
}
