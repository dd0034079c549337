import Kernels
import Support
import Testing

@Suite struct LinearTests {
    static let shapes: [(rows: Int, inFeatures: Int, outFeatures: Int)] = [
        (1, 1, 1), (1, 3, 17), (5, 17, 3), (2, 33, 65), (7, 64, 24), (197, 96, 130),
    ]

    @Test(arguments: [Activation.identity, .relu, .gelu, .hardSwish, .tanh], Linear.Backend.allCases)
    func matchesReference(_ activation: Activation, _ backend: Linear.Backend) {
        for (index, shape) in Self.shapes.enumerated() {
            let seed = UInt64(index * 10)
            let layer = Linear(inFeatures: shape.inFeatures, outFeatures: shape.outFeatures, activation: activation,
                               backend: backend, seed: seed)
            let x = Reference.tensor([shape.rows, shape.inFeatures], seed: seed + 1)
            let y = Tensor(shape: [shape.rows, shape.outFeatures])
            layer(x, y)
            let expected = Reference.linear(x.array, rows: shape.rows, layer.weight.array, layer.bias.array,
                                            inFeatures: shape.inFeatures, outFeatures: shape.outFeatures)
                .map { Reference.activation(activation, $0) }
            Reference.expectClose(y.array, expected, "\(activation) \(backend) \(shape)")
        }
    }

    @Test(arguments: Linear.Backend.allCases)
    func residualIsAddedAfterTheActivation(_ backend: Linear.Backend) {
        for batch in [1, 2] {
            let layer = Linear(inFeatures: 24, outFeatures: 40, activation: .relu, backend: backend, seed: 3)
            let x = Reference.tensor([batch, 13, 24], seed: 4)
            let r = Reference.tensor([batch, 13, 40], seed: 5)
            let y = Tensor(shape: [batch, 13, 40])
            layer(x, y, residual: r)
            let expected = zip(Reference.linear(x.array, rows: batch * 13, layer.weight.array, layer.bias.array, inFeatures: 24, outFeatures: 40), r.array)
                .map { max($0, 0) + Double($1) }
            Reference.expectClose(y.array, expected)
        }
    }

    /// Large enough for several K blocks (K = 1000 > 768), weight blocks beyond the L1 budget
    /// and cache-sized column panels in the BLAS backend; with a residual.
    @Test(arguments: Linear.Backend.allCases)
    func mediumBlockedCase(_ backend: Linear.Backend) {
        let layer = Linear(inFeatures: 1000, outFeatures: 130, activation: .gelu, backend: backend, seed: 8)
        let x = Reference.tensor([37, 1000], seed: 9)
        let r = Reference.tensor([37, 130], seed: 10)
        let y = Tensor(shape: [37, 130])
        layer(x, y, residual: r)
        let expected = zip(Reference.linear(x.array, rows: 37, layer.weight.array, layer.bias.array, inFeatures: 1000, outFeatures: 130), r.array)
            .map { Reference.activation(.gelu, $0) + Double($1) }
        Reference.expectClose(y.array, expected)
        let first = y.array
        layer(x, y, residual: r)
        #expect(y.array == first)
    }

    @Test(arguments: Linear.Backend.allCases)
    func explicitWeights(_ backend: Linear.Backend) throws {
        let layer = try Linear(inFeatures: 2, outFeatures: 3, weight: [1, 2, 3, 4, 5, 6], bias: [0.5, 0, -1], backend: backend)
        #expect(layer.weight.array == [1, 2, 3, 4, 5, 6])
        let x = try Tensor(shape: [1, 2], values: [1, -1])
        let y = Tensor(shape: [1, 3])
        layer(x, y)
        #expect(y.array == [-2.5, -3, -4])
        let error = try #require(throws: HwnasError.self) { try Linear(inFeatures: 2, outFeatures: 3, weight: [1], bias: [0, 0, 0]) }
        #expect(error.message.contains("got 1"), "message: \(error.message)")
    }
}

@Suite struct PackedWeightsTests {
    @Test func roundTripsEveryBlockAndPanel() {
        for (rows, columns) in [(1, 1), (3, 25), (769, 48), (1600, 50), (17, 24)] {
            let w = Reference.tensor([rows, columns], seed: UInt64(rows))
            let packed = PackedWeights(w.pointer, rows: rows, columns: columns)
            #expect(packed.unpacked().array == w.array, "\(rows) x \(columns)")
        }
    }
}
