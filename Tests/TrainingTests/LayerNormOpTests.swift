import Kernels
import Testing
import Training

@Suite struct LayerNormOpTests {
    /// Widths with a tail (13), whole vectors and a tail (40), and whole vectors only (32);
    /// a large mean; the backward in place.
    @Test(arguments: [13, 40, 32])
    func forwardAndGradients(_ features: Int) throws {
        let rows = 3
        let store = try ParameterStore([("gamma", [features]), ("beta", [features])])
        Fixtures.randomize(store, seed: UInt64(features))
        let gamma = store["gamma"]!, beta = store["beta"]!
        let op = LayerNormOp(gamma: gamma, beta: beta, epsilon: 1e-12, maxRows: 4)
        let xValues = Fixtures.random(rows * features, seed: 9, scale: 2).map { $0 + 5 }
        let x = Fixtures.tensor(xValues)
        let y = Tensor(shape: [rows * features])
        op.forward(x.pointer, into: y.pointer, rows: rows)
        let xd = xValues.map(Double.init)
        let gd = Fixtures.values(gamma), bd = Fixtures.values(beta)
        Fixtures.expectClose(y.array, Reference.layerNorm(xd, rows: rows, features: features, gamma: gd, beta: bd, epsilon: 1e-12), tolerance: 1e-5)

        let g = Fixtures.random(rows * features, seed: 10).map(Double.init)
        let d = Fixtures.tensor(g.map(Float.init))
        op.backward(d.pointer, into: d.pointer)
        func objective(_ x: [Double], _ gamma: [Double], _ beta: [Double]) -> Double {
            Fixtures.dot(g, Reference.layerNorm(x, rows: rows, features: features, gamma: gamma, beta: beta, epsilon: 1e-12))
        }
        Fixtures.expectClose(d.array, Fixtures.centralDifferences(xd, at: Array(xd.indices)) { objective($0, gd, bd) }, tolerance: 1e-3)
        Fixtures.expectClose(Fixtures.gradient(gamma), Fixtures.centralDifferences(gd, at: Array(gd.indices)) { objective(xd, $0, bd) }, tolerance: 1e-4)
        Fixtures.expectClose(Fixtures.gradient(beta), Fixtures.centralDifferences(bd, at: Array(bd.indices)) { objective(xd, gd, $0) }, tolerance: 1e-4)
    }
}
