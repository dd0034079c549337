import Kernels
import Support
import Testing
import Training

@Suite struct EncoderLayerOpTests {
    static let hidden = 8
    static let intermediate = 12
    static let batch = 3
    static let length = 5
    static let tokens = batch * length
    /// A full sequence, one padded at the end, one with a masked key inside.
    static let mask: [Int32] = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0]

    /// One layer (2 heads of 4) on a store of random weights.
    struct Fixture {
        let store: ParameterStore
        let layer: EncoderLayerOp
        let mask: KeyMask

        init(seed: UInt64) throws {
            let h = EncoderLayerOpTests.hidden, f = EncoderLayerOpTests.intermediate
            var layout: [(name: String, shape: [Int])] = ["q", "k", "v", "o"].flatMap { [("\($0).weight", [h, h]), ("\($0).bias", [h])] }
            layout += [("up.weight", [f, h]), ("up.bias", [f]), ("down.weight", [h, f]), ("down.bias", [h])]
            layout += ["norm1", "norm2"].flatMap { [("\($0).LayerNorm.weight", [h]), ("\($0).LayerNorm.bias", [h])] }
            let store = try ParameterStore(layout)
            Fixtures.randomize(store, seed: seed, scale: 0.6)
            self.store = store
            func linear(_ name: String) -> LinearOp { LinearOp(weight: store[name + ".weight"]!, bias: store[name + ".bias"]!) }
            func norm(_ name: String) -> LayerNormOp {
                LayerNormOp(gamma: store[name + ".LayerNorm.weight"]!, beta: store[name + ".LayerNorm.bias"]!, epsilon: 1e-12,
                            maxRows: EncoderLayerOpTests.tokens)
            }
            let attention = SelfAttentionOp(
                query: linear("q"), key: linear("k"), value: linear("v"), output: linear("o"), heads: 2, dropout: 0.2,
                maxBatch: EncoderLayerOpTests.batch, maxLength: EncoderLayerOpTests.length)
            layer = EncoderLayerOp(
                attention: attention, attentionNorm: norm("norm1"), intermediate: linear("up"), output: linear("down"),
                outputNorm: norm("norm2"), dropout: 0.2)
            let mask = KeyMask(maxBatch: EncoderLayerOpTests.batch, maxLength: EncoderLayerOpTests.length)
            try mask.update(EncoderLayerOpTests.mask, batch: EncoderLayerOpTests.batch, length: EncoderLayerOpTests.length)
            self.mask = mask
        }

        var gradients: [String: [Float]] {
            Dictionary(uniqueKeysWithValues: store.tensors.map { ($0.name, Fixtures.gradient($0)) })
        }
    }

    /// A first-token forward gives the full forward's first-token rows, and its backward the
    /// full backward's input and parameter gradients when dY is zero on the other rows: the
    /// same function at a fraction of the work, dropout masks included (the batch placed at
    /// sequence 2 of a larger one).
    @Test func firstTokenOnlyIsTheFullLayerOnFirstTokens() throws {
        let h = Self.hidden
        let fixture = try Fixture(seed: 41)
        let x = Fixtures.tensor(Fixtures.random(Self.tokens * h, seed: 42))
        let keys = (attention: UInt64(0xA1), attentionOutput: UInt64(0xB2), output: UInt64(0xC3))
        let firstRows = Fixtures.random(Self.batch * h, seed: 43)

        fixture.layer.forward(x.pointer, batch: Self.batch, length: Self.length, mask: fixture.mask, keys: keys, firstSequence: 2)
        let full = Fixtures.array(fixture.layer.result.pointer, Self.tokens * h)
        var dyFull = [Float](repeating: 0, count: Self.tokens * h)
        for b in 0..<Self.batch {
            for j in 0..<h { dyFull[b * Self.length * h + j] = firstRows[b * h + j] }
        }
        let gradient = Fixtures.tensor(dyFull)
        fixture.layer.backward(gradient.pointer)
        let dxFull = gradient.array
        let gradientsFull = fixture.gradients
        fixture.store.zeroGradients()

        fixture.layer.forward(
            x.pointer, batch: Self.batch, length: Self.length, mask: fixture.mask, keys: keys, firstSequence: 2, firstTokenOnly: true)
        let first = Fixtures.array(fixture.layer.result.pointer, Self.batch * h)
        var expected: [Double] = []
        for b in 0..<Self.batch { expected += full[(b * Self.length * h)..<(b * Self.length * h + h)].map(Double.init) }
        Fixtures.expectClose(first, expected, tolerance: 1e-5)
        let dy = Fixtures.tensor(firstRows)
        let dx = Tensor(shape: [Self.tokens * h])
        fixture.layer.backward(dy.pointer, into: dx.pointer)
        Fixtures.expectClose(dx.array, dxFull.map(Double.init), tolerance: 1e-5, absolute: 1e-6)
        #expect(dxFull.contains { $0 != 0 })
        for (name, values) in fixture.gradients {
            let reference = gradientsFull[name]!.map(Double.init)
            // The key bias's gradient is 0 up to rounding (the softmax ignores a shift).
            Fixtures.expectClose(values, reference, tolerance: 1e-5, absolute: name == "k.bias" ? 1e-5 : 1e-7, name)
        }
    }
}
