import Kernels
import Testing

extension KernelVariantSuites {
    @Suite struct LayerNormTests {
        @Test(arguments: KernelVariant.runnable, [1, 3, 8, 13, 16, 17, 31, 33, 40, 72, 120, 768])
        func matchesReference(_ variant: KernelVariant, _ features: Int) {
            KernelDispatch.forcing(variant) { check(features) }
        }

        func check(_ features: Int) {
            for rows in [1, 5] {
                let norm = LayerNorm(features: features, epsilon: 1e-12, seed: UInt64(features))
                let x = Reference.tensor([rows, features], seed: 7, scale: 3)
                for i in 0..<x.count { x.pointer[i] += 10 }  // a large mean must not cost precision
                let y = Tensor(shape: [rows, features])
                norm(x, y)
                let expected = Reference.layerNorm(x.array.map(Double.init), rows: rows, features: features,
                                                   gamma: norm.gamma.array, beta: norm.beta.array, epsilon: 1e-12)
                // A single feature normalises to 0 (+ beta): judge it on beta's scale.
                Reference.expectClose(y.array, expected, tolerance: features == 1 ? 1e-3 : 1e-4, "\(KernelDispatch.variant) features \(features)")
            }
        }

        @Test(arguments: KernelVariant.runnable)
        func inPlaceAndEpsilon(_ variant: KernelVariant) {
            KernelDispatch.forcing(variant) { inPlaceAndEpsilon() }
        }

        func inPlaceAndEpsilon() {
            let norm = LayerNorm(features: 197, epsilon: 1e-6, seed: 2)
            let x = Reference.tensor([2, 5, 197], seed: 3)
            let expected = Reference.layerNorm(x.array.map(Double.init), rows: 10, features: 197,
                                               gamma: norm.gamma.array, beta: norm.beta.array, epsilon: 1e-6)
            norm(x, x)
            Reference.expectClose(x.array, expected)
            #expect(norm.epsilon == 1e-6)
        }
    }
}
