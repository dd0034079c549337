import Foundation
import Support
import Testing
@testable import Predictors

/// RBF kernel ridge regression on one-hot rows: distances, interpolation, predictions against a
/// dense computation, and the file form.
@Suite struct KernelRidgeRegressionTests {
    static func rows(_ count: Int, seed: UInt64) -> [[Int32]] {
        var generator = SeededGenerator(seed: seed)
        // Six slots of three choices: columns 0..<18.
        return (0..<count).map { _ in (0..<6).map { Int32($0 * 3) + Int32(generator.next() % 3) } }
    }

    @Test func squaredDistancesCountTheColumnsNotShared() {
        let rows: [[Int32]] = [[0, 3, 6], [0, 4, 6], [1, 4, 7], [0, 3]]
        let index = SharedColumnIndex(rows: rows, width: 9)
        #expect(index.squaredDistances(to: [0, 3, 6]) == [0, 2, 6, 1])
        let all = index.pairwiseSquaredDistances(rows: rows)
        #expect(all.count == 16)
        for i in 0..<4 {
            for j in 0..<4 {
                let dense = (0..<9).reduce(0) { $0 + (rows[i].contains(Int32($1)) != rows[j].contains(Int32($1)) ? 1 : 0) }
                #expect(Int(all[i * 4 + j]) == dense)
            }
        }
    }

    @Test func aSmallPenaltyInterpolatesTheTrainingTargets() throws {
        let rows = Self.rows(40, seed: 1)
        let distinct = Array(Set(rows.map { $0.map(String.init).joined(separator: " ") })).count
        #expect(distinct == 40)
        let y = rows.map { Double($0.reduce(0, +)) / 10 }
        let model = try KernelRidgeRegression(hotColumns: rows, width: 18, targets: y, gamma: 0.5, lambda: 1e-8)
        for (row, target) in zip(rows, y) { #expect(abs(model.predict(hotColumns: row) - target) < 1e-5) }
    }

    @Test func predictionsMatchADenseComputation() throws {
        let rows = Self.rows(30, seed: 2)
        let y = rows.map { row in sin(Double(row[0])) + Double(row[3]) / 5 }
        let model = try KernelRidgeRegression(hotColumns: rows, width: 18, targets: y, gamma: 0.2, lambda: 0.05)
        #expect(abs(model.offset - y.reduce(0, +) / 30) < 1e-12)
        for query in Self.rows(10, seed: 9) {
            var expected = model.offset
            for (t, row) in rows.enumerated() {
                let d = Set(query).symmetricDifference(Set(row)).count
                expected += model.dualWeights[t] * exp(-0.2 * Double(d))
            }
            #expect(abs(model.predict(hotColumns: query) - expected) < 1e-12)
        }
    }

    @Test func theFileFormKeepsEveryPrediction() throws {
        let rows = Self.rows(25, seed: 3)
        let y = rows.map { Double($0[1]) }
        let model = try KernelRidgeRegression(hotColumns: rows, width: 18, targets: y, gamma: 0.3, lambda: 0.01)
        let data = try JSONFormat.encode(model)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"trainingFeatures\""))
        let back = try JSONDecoder().decode(KernelRidgeRegression.self, from: data)
        #expect(back.trainingColumns == rows)
        for query in Self.rows(10, seed: 4) { #expect(back.predict(hotColumns: query) == model.predict(hotColumns: query)) }
    }

    @Test func aColumnOutsideTheWidthIsRefused() throws {
        let json = #"{"gamma":1,"lambda":1,"offset":0,"width":4,"trainingFeatures":["0 7"],"dualWeights":[1]}"#
        let error = try #require(throws: DecodingError.self) { try JSONDecoder().decode(KernelRidgeRegression.self, from: Data(json.utf8)) }
        let message = JSONFormat.describe(error)
        #expect(message.contains("trainingFeatures") && message.contains("'7' is not a column of 0..<4"), "message: \(message)")
    }
}
