import Foundation
import Kernels
import Testing
import Training

@Suite struct GELUOpTests {
    /// Values over [-8, 8] (the left tail included) and a count with a tail: GELU within 1e-6
    /// of the erf form, its backward within 1e-5 of the exact derivative times the upstream
    /// gradient.
    @Test func forwardAndBackward() {
        let count = 16 * 40 + 7
        let xValues = (0..<count).map { Float(-8 + 16 * Double($0) / Double(count - 1)) }
        let x = Fixtures.tensor(xValues)
        let y = Tensor(shape: [count])
        let op = GELUOp()
        op.forward(x.pointer, into: y.pointer, count: count)
        let expected = xValues.map { Reference.gelu(Double($0)) }
        for i in 0..<count { #expect(abs(Double(y.pointer[i]) - expected[i]) < 1e-6, "gelu(\(xValues[i]))") }

        let g = Fixtures.random(count, seed: 4)
        let d = Fixtures.tensor(g)
        op.backward(d.pointer, into: d.pointer)
        for i in 0..<count {
            let v = Double(xValues[i])
            let derivative = 0.5 * (1 + Foundation.erf(v / 2.0.squareRoot())) + v * Foundation.exp(-v * v / 2) / (2 * Double.pi).squareRoot()
            #expect(abs(Double(d.pointer[i]) - Double(g[i]) * derivative) < 1e-5, "gelu'(\(v))")
        }
        // The derivative against central differences of the reference, at a few points.
        let points = [-3.0, -0.7, 0, 0.3, 2.5]
        let fd = Fixtures.centralDifferences(points, at: Array(points.indices)) { $0.reduce(0) { $0 + Reference.gelu($1) } }
        let probe = Fixtures.tensor(points.map(Float.init))
        let probeOut = Tensor(shape: [points.count])
        op.forward(probe.pointer, into: probeOut.pointer, count: points.count)
        let ones = Fixtures.tensor(Array(repeating: 1, count: points.count))
        op.backward(ones.pointer, into: ones.pointer)
        Fixtures.expectClose(ones.array, fd, tolerance: 1e-5)
    }
}
