import Kernels
import Testing
import Training

@Suite struct EmbeddingsOpTests {
    static let vocabulary = 20, positions = 7, hidden = 24, batch = 2, length = 4
    static let ids: [Int32] = [5, 7, 5, 0, 3, 9, 0, 0]
    static let types: [Int32] = [0, 0, 1, 1, 0, 1, 0, 0]

    /// Forward against the reference; gradients of every table (dropout on) against central
    /// differences; the word gradient touches only the rows the batch used, never the padding
    /// row, and `zeroWordGradients` clears what it touched.
    @Test func forwardAndGradients() throws {
        let h = Self.hidden
        let store = try ParameterStore([
            ("words", [Self.vocabulary, h]), ("positions", [Self.positions, h]), ("types", [2, h]),
            ("gamma", [h]), ("beta", [h]),
        ])
        Fixtures.randomize(store, seed: 3)
        let norm = LayerNormOp(gamma: store["gamma"]!, beta: store["beta"]!, epsilon: 1e-12, maxRows: 8)
        let op = EmbeddingsOp(words: store["words"]!, positions: store["positions"]!, tokenTypes: store["types"]!, norm: norm,
                              dropout: 0.15, paddingIndex: 0, maxTokens: 8)
        let key: UInt64 = 0xE111
        op.forward(ids: Self.ids, tokenTypes: Self.types, batch: Self.batch, length: Self.length, key: key)
        var values = Dictionary(uniqueKeysWithValues: store.tensors.map { ($0.name, Fixtures.values($0)) })
        func reference(_ v: [String: [Double]]) -> [Double] {
            var e = [Double](repeating: 0, count: 8 * h)
            for t in 0..<8 {
                for j in 0..<h {
                    e[t * h + j] = v["words"]![Int(Self.ids[t]) * h + j] + v["positions"]![(t % Self.length) * h + j] + v["types"]![Int(Self.types[t]) * h + j]
                }
            }
            return Reference.dropout(Reference.layerNorm(e, rows: 8, features: h, gamma: v["gamma"]!, beta: v["beta"]!, epsilon: 1e-12),
                                     key: key, probability: 0.15)
        }
        Fixtures.expectClose(Fixtures.array(op.result.pointer, 8 * h), reference(values), tolerance: 1e-5)

        let g = Fixtures.random(8 * h, seed: 4).map(Double.init)
        let dy = Fixtures.tensor(g.map(Float.init))
        op.backward(dy.pointer)
        let words = store["words"]!
        for tensor in store.tensors {
            let point = values[tensor.name]!
            let expected = Fixtures.centralDifferences(point, at: Array(point.indices)) { changed in
                values[tensor.name] = changed
                defer { values[tensor.name] = point }
                return Fixtures.dot(g, reference(values))
            }
            if tensor.name == "words" {
                // The padding row's gradient stays 0 (PyTorch's padding_idx), whatever the
                // finite difference says.
                let gradient = Fixtures.gradient(tensor)
                #expect(gradient[0..<h].allSatisfy { $0 == 0 })
                #expect(expected[0..<h].contains { $0 != 0 }, "the padding row does move the output")
                Fixtures.expectClose(Array(gradient[h...]), Array(expected[h...]), tolerance: 1e-3, "words")
                let used = Set(Self.ids.map(Int.init))
                for row in 1..<Self.vocabulary where !used.contains(row) {
                    #expect(gradient[(row * h)..<((row + 1) * h)].allSatisfy { $0 == 0 }, "unused row \(row)")
                }
            } else {
                Fixtures.expectClose(Fixtures.gradient(tensor), expected, tolerance: 1e-3, "\(tensor.name)")
            }
        }
        op.zeroWordGradients()
        #expect(Fixtures.gradient(words).allSatisfy { $0 == 0 })
    }
}
