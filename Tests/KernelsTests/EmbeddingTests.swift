import Kernels
import Testing

@Suite struct EmbeddingTests {
    @Test func matchesReference() {
        for (batch, sequence, hidden) in [(1, 1, 8), (2, 5, 17), (1, 128, 96), (2, 7, 768)] {
            let embedding = Embedding(vocabulary: 50, maxPositions: 130, typeVocabulary: 2, hidden: hidden, seed: UInt64(hidden))
            let tokens = (0..<(batch * sequence)).map { ($0 * 7 + 3) % 50 }
            let types = (0..<(batch * sequence)).map { ($0 % sequence) < sequence / 2 ? 0 : 1 }
            let y = Tensor(shape: [batch, sequence, hidden])
            embedding(tokens: tokens, typeIDs: types, sequence: sequence, y)
            let w = embedding.words.array, p = embedding.positions.array, t = embedding.types.array
            var sum = [Double](repeating: 0, count: batch * sequence * hidden)
            for row in 0..<(batch * sequence) {
                for j in 0..<hidden {
                    sum[row * hidden + j] = Double(w[tokens[row] * hidden + j]) + Double(p[(row % sequence) * hidden + j]) + Double(t[types[row] * hidden + j])
                }
            }
            let expected = Reference.layerNorm(sum, rows: batch * sequence, features: hidden,
                                               gamma: embedding.norm.gamma.array, beta: embedding.norm.beta.array, epsilon: 1e-12)
            Reference.expectClose(y.array, expected, tolerance: hidden == 8 ? 1e-3 : 1e-4, "\(batch)x\(sequence)x\(hidden)")
        }
    }

    @Test func defaultTypeIsZero() {
        let embedding = Embedding(vocabulary: 10, maxPositions: 4, hidden: 16, seed: 1)
        let a = Tensor(shape: [4, 16]), b = Tensor(shape: [4, 16])
        embedding(tokens: [1, 2, 3, 4], sequence: 4, a)
        embedding(tokens: [1, 2, 3, 4], typeIDs: [0, 0, 0, 0], sequence: 4, b)
        #expect(a.array == b.array)
    }
}
