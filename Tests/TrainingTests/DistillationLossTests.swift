import Foundation
import Testing
import Training

@Suite struct DistillationLossTests {
    /// T²·mean over rows of Σ q_t (log q_t − log q_s), q = softmax(z/T), in Double.
    static func reference(student: [Double], teacher: [Double], rows: Int, classes: Int, temperature: Double) -> Double {
        var total = 0.0
        for r in 0..<rows {
            func probabilities(_ z: [Double]) -> [Double] {
                let scaled = (0..<classes).map { z[r * classes + $0] / temperature }
                let sum = scaled.reduce(0) { $0 + Foundation.exp($1) }
                return scaled.map { Foundation.exp($0) / sum }
            }
            let q = probabilities(teacher), p = probabilities(student)
            for c in 0..<classes { total += q[c] * Foundation.log(q[c] / p[c]) }
        }
        return temperature * temperature * total / Double(rows)
    }

    @Test func lossMatchesTheFormulaAndGradientMatchesFiniteDifferences() {
        let rows = 4, classes = 3, temperature = 5.0
        let student = Fixtures.random(rows * classes, seed: 1, scale: 6)
        let teacher = Fixtures.random(rows * classes, seed: 2, scale: 6)
        var gradient = [Float](repeating: 0, count: rows * classes)
        let loss = DistillationLoss.loss(student: student, teacher: teacher, rows: rows, classes: classes,
                                         temperature: temperature, gradient: &gradient)
        let point = student.map(Double.init), fixed = teacher.map(Double.init)
        let expected = Self.reference(student: point, teacher: fixed, rows: rows, classes: classes, temperature: temperature)
        #expect(expected > 1e-3, "the distributions differ")
        #expect(abs(Double(loss) - expected) <= 1e-6 * expected)
        // The teacher is detached: only the student's logits are differenced.
        let differences = Fixtures.centralDifferences(point, at: Array(0..<(rows * classes)), step: 1e-5) { z in
            Self.reference(student: z, teacher: fixed, rows: rows, classes: classes, temperature: temperature)
        }
        Fixtures.expectClose(gradient, differences, tolerance: 1e-4)
    }

    @Test func equalLogitsCostNothingAndAccumulateAdds() {
        let z = Fixtures.random(6, seed: 3, scale: 2)
        var gradient = [Float](repeating: 1, count: 6)
        let loss = DistillationLoss.loss(student: z, teacher: z, rows: 2, classes: 3, temperature: 5, gradient: &gradient, accumulate: true)
        #expect(abs(loss) < 1e-6)
        #expect(gradient.allSatisfy { abs($0 - 1) < 1e-6 })
        // T = 1 with a sharp teacher: the gradient is (p_s − q_t)/rows.
        let teacher: [Float] = [20, 0, 0]
        let student: [Float] = [0, 0, 0]
        var g = [Float](repeating: 0, count: 3)
        _ = DistillationLoss.loss(student: student, teacher: teacher, rows: 1, classes: 3, temperature: 1, gradient: &g)
        let q0 = 1 / (1 + 2 * Foundation.exp(-20.0))
        Fixtures.expectClose(g, [1.0 / 3 - q0, 1.0 / 3 - (1 - q0) / 2, 1.0 / 3 - (1 - q0) / 2], tolerance: 1e-5)
    }
}
