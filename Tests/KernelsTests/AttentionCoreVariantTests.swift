import Kernels
import Testing

extension KernelVariantSuites {
    /// Each attention core the machine can run (the AVX-512 fused core for head sizes that are
    /// multiples of 32, sgemm otherwise) against attention from its definition, on sequences that
    /// leave partial row tiles and partial 32-key panels.
    @Suite struct AttentionCoreVariantTests {
        @Test(arguments: KernelVariant.runnable, [32, 64])
        func matchesReference(_ variant: KernelVariant, _ headDimension: Int) {
            for sequence in [1, 7, 31, 33, 64, 128, 197] {
                KernelDispatch.forcing(variant) {
                    let heads = 3
                    let hidden = 80
                    let layer = MultiHeadAttention(hidden: hidden, heads: heads, headDimension: headDimension,
                                                   sequence: sequence, batch: 2, seed: UInt64(sequence))
                    let x = Reference.tensor([2, sequence, hidden], seed: 40 + UInt64(sequence), scale: 2)
                    let y = Tensor(shape: [2, sequence, hidden])
                    layer(x, y, residual: x)
                    let expected = MultiHeadAttentionTests().reference(layer, x, residual: x)
                    Reference.expectClose(y.array, expected, "\(variant) d \(headDimension) sequence \(sequence)")
                    // A second call reuses the scratch without accumulating into it. (Not compared bit
                    // for bit: a suite elsewhere may change the BLAS's threads, and with them the core.)
                    layer(x, y, residual: x)
                    Reference.expectClose(y.array, expected, "\(variant) d \(headDimension) sequence \(sequence), second call")
                }
            }
        }
    }
}
