import Foundation
import Kernels
import Support
import Testing

/// Among the serialized suites: the two variants run different attention cores, and these tests
/// should each see one.
extension KernelVariantSuites {
    @Suite struct MultiHeadAttentionTests {
        /// Attention from its definition, in Double.
        func reference(_ layer: MultiHeadAttention, _ x: Tensor, residual: Tensor?) -> [Double] {
            let (s, hidden, d, inner) = (layer.sequence, layer.hidden, layer.headDimension, layer.inner)
            let tokens = layer.batch * s
            let qkv = Reference.linear(x.array, rows: tokens, layer.projection.weight.array, layer.projection.bias.array,
                                       inFeatures: hidden, outFeatures: 3 * inner)
            var context = [Float](repeating: 0, count: tokens * inner)
            var scores = [Double](repeating: 0, count: s)
            qkv.withUnsafeBufferPointer { qkv in
                for b in 0..<layer.batch {
                    for h in 0..<layer.heads {
                        // Row t of Q (part 0), K (1) or V (2) of this head starts at offset(t, part).
                        func offset(_ t: Int, _ part: Int) -> Int { (b * s + t) * 3 * inner + part * inner + h * d }
                        for i in 0..<s {
                            var m = -Double.infinity
                            for t in 0..<s {
                                var dot = 0.0
                                for j in 0..<d { dot += qkv[offset(i, 0) + j] * qkv[offset(t, 1) + j] }
                                scores[t] = dot / Double(d).squareRoot()
                                m = max(m, scores[t])
                            }
                            var sum = 0.0
                            for t in 0..<s { scores[t] = Foundation.exp(scores[t] - m); sum += scores[t] }
                            for j in 0..<d {
                                var value = 0.0
                                for t in 0..<s { value += scores[t] * qkv[offset(t, 2) + j] }
                                context[(b * s + i) * inner + h * d + j] = Float(value / sum)
                            }
                        }
                    }
                }
            }
            var y = Reference.linear(context, rows: tokens, layer.output.weight.array, layer.output.bias.array,
                                     inFeatures: inner, outFeatures: hidden)
            if let residual { for i in y.indices { y[i] += Double(residual.pointer[i]) } }
            return y
        }

        @Test(arguments: 1...12)
        func everyHeadCount(_ heads: Int) {
            for (batch, sequence) in [(1, 1), (2, 5)] {
                let layer = MultiHeadAttention(hidden: 96, heads: heads, sequence: sequence, batch: batch, seed: UInt64(heads))
                let x = Reference.tensor([batch, sequence, 96], seed: 100 + UInt64(heads))
                let y = Tensor(shape: [batch, sequence, 96])
                layer(x, y, residual: x)
                Reference.expectClose(y.array, reference(layer, x, residual: x), "heads \(heads) batch \(batch) sequence \(sequence)")
            }
        }

        @Test func smallHeadsOddSizes() {
            for (hidden, heads, d, s) in [(17, 3, 5, 7), (33, 2, 16, 13), (8, 1, 1, 3)] {
                let layer = MultiHeadAttention(hidden: hidden, heads: heads, headDimension: d, sequence: s, batch: 2, seed: 5)
                let x = Reference.tensor([2, s, hidden], seed: 6, scale: 2)
                let y = Tensor(shape: [2, s, hidden])
                layer(x, y)
                Reference.expectClose(y.array, reference(layer, x, residual: nil), "hidden \(hidden) heads \(heads)x\(d) sequence \(s)")
            }
        }

        /// ViT's sequence of 197 tokens; run twice to check the scratch is reused, not accumulated.
        @Test func mediumSequenceAndRepeatability() {
            let layer = MultiHeadAttention(hidden: 128, heads: 2, sequence: 197, batch: 1, seed: 9)
            let x = Reference.tensor([1, 197, 128], seed: 10)
            let y = Tensor(shape: [1, 197, 128])
            layer(x, y)
            let expected = reference(layer, x, residual: nil)
            Reference.expectClose(y.array, expected)
            layer(x, y)
            Reference.expectClose(y.array, expected, "second call")
        }

        @Test func mismatchedProjectionsThrow() throws {
            let error = try #require(throws: HwnasError.self) {
                try MultiHeadAttention(hidden: 64, heads: 2, sequence: 4,
                                       projection: Linear(inFeatures: 64, outFeatures: 64 * 3, seed: 1),
                                       output: Linear(inFeatures: 128, outFeatures: 64, seed: 2))
            }
            #expect(error.message.contains("128->64"), "message: \(error.message)")
        }
    }
}
