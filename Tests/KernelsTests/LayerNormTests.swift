import Kernels
import Testing

@Suite struct LayerNormTests {
    @Test(arguments: [1, 3, 8, 17, 33, 768])
    func matchesReference(_ features: Int) {
        for rows in [1, 5] {
            let norm = LayerNorm(features: features, epsilon: 1e-12, seed: UInt64(features))
            let x = Reference.tensor([rows, features], seed: 7, scale: 3)
            for i in 0..<x.count { x.pointer[i] += 10 }  // a large mean must not cost precision
            let y = Tensor(shape: [rows, features])
            norm(x, y)
            let expected = Reference.layerNorm(x.array.map(Double.init), rows: rows, features: features,
                                               gamma: norm.gamma.array, beta: norm.beta.array, epsilon: 1e-12)
            // A single feature normalises to 0 (+ beta): judge it on beta's scale.
            Reference.expectClose(y.array, expected, tolerance: features == 1 ? 1e-3 : 1e-4, "features \(features)")
        }
    }

    @Test func inPlaceAndEpsilon() {
        let norm = LayerNorm(features: 197, epsilon: 1e-6, seed: 2)
        let x = Reference.tensor([2, 5, 197], seed: 3)
        let expected = Reference.layerNorm(x.array.map(Double.init), rows: 10, features: 197,
                                           gamma: norm.gamma.array, beta: norm.beta.array, epsilon: 1e-6)
        norm(x, x)
        Reference.expectClose(x.array, expected)
        #expect(norm.epsilon == 1e-6)
    }
}
