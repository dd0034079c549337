import Kernels
import Support
import Testing
import Training

@Suite struct SelfAttentionOpTests {
    static let hidden = 8
    static let maxHeads = 2
    static let batch = 3
    static let length = 5
    /// A full sequence, one padded at the end, one with a masked key inside.
    static let mask: [Int32] = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0]
    static let names = ["q", "k", "v", "o"]

    /// The attention on a store of random weights, with `heads` of 2 heads active.
    struct Fixture {
        let store: ParameterStore
        let op: SelfAttentionOp
        let mask: KeyMask

        init(heads: Int, dropout: Float, seed: UInt64) throws {
            let h = SelfAttentionOpTests.hidden
            let layout: [(name: String, shape: [Int])] = SelfAttentionOpTests.names.flatMap { [("\($0).weight", [h, h]), ("\($0).bias", [h])] }
            let store = try ParameterStore(layout)
            Fixtures.randomize(store, seed: seed, scale: 0.6)
            self.store = store
            func linear(_ name: String) -> LinearOp { LinearOp(weight: store[name + ".weight"]!, bias: store[name + ".bias"]!) }
            let op = SelfAttentionOp(query: linear("q"), key: linear("k"), value: linear("v"), output: linear("o"),
                                     heads: SelfAttentionOpTests.maxHeads, dropout: dropout,
                                     maxBatch: SelfAttentionOpTests.batch, maxLength: SelfAttentionOpTests.length)
            op.heads = heads
            self.op = op
            let mask = KeyMask(maxBatch: SelfAttentionOpTests.batch, maxLength: SelfAttentionOpTests.length)
            try mask.update(SelfAttentionOpTests.mask, batch: SelfAttentionOpTests.batch, length: SelfAttentionOpTests.length)
            self.mask = mask
        }

        func weights(_ values: [String: [Double]]) -> Reference.AttentionWeights {
            Reference.AttentionWeights(
                query: values["q.weight"]!, queryBias: values["q.bias"]!, key: values["k.weight"]!, keyBias: values["k.bias"]!,
                value: values["v.weight"]!, valueBias: values["v.bias"]!, output: values["o.weight"]!, outputBias: values["o.bias"]!)
        }

        var values: [String: [Double]] {
            Dictionary(uniqueKeysWithValues: store.tensors.map { ($0.name, Fixtures.values($0)) })
        }

        func reference(_ x: [Double], _ values: [String: [Double]], key: UInt64?) -> [Double] {
            Reference.attention(x, batch: SelfAttentionOpTests.batch, length: SelfAttentionOpTests.length, hidden: SelfAttentionOpTests.hidden,
                                heads: op.heads, maxHeads: SelfAttentionOpTests.maxHeads, weights: weights(values),
                                mask: SelfAttentionOpTests.mask, key: key, probability: op.dropout)
        }
    }

    static var tokens: Int { batch * length }

    /// Forward against the reference, both head counts, with and without dropout.
    @Test(arguments: [2, 1], [false, true])
    func forwardMatchesReference(_ heads: Int, _ withDropout: Bool) throws {
        let fixture = try Fixture(heads: heads, dropout: 0.2, seed: 11)
        let xValues = Fixtures.random(Self.tokens * Self.hidden, seed: 12)
        let x = Fixtures.tensor(xValues)
        let y = Tensor(shape: [Self.tokens * Self.hidden])
        let key: UInt64? = withDropout ? 0xD1CE : nil
        fixture.op.forward(x.pointer, batch: Self.batch, length: Self.length, mask: fixture.mask, into: y.pointer, key: key)
        let expected = fixture.reference(xValues.map(Double.init), fixture.values, key: key)
        Fixtures.expectClose(y.array, expected, tolerance: 1e-5)
    }

    /// Input and parameter gradients (dropout on) against central differences of the reference;
    /// with one head active, the gradients of the inactive head's rows (Q, K, V) and columns
    /// (output projection) stay exactly 0.
    @Test(arguments: [2, 1])
    func gradientsMatchFiniteDifferences(_ heads: Int) throws {
        let fixture = try Fixture(heads: heads, dropout: 0.2, seed: 21)
        let xValues = Fixtures.random(Self.tokens * Self.hidden, seed: 22)
        let x = Fixtures.tensor(xValues)
        let y = Tensor(shape: [Self.tokens * Self.hidden])
        let key: UInt64 = 0xFEED
        fixture.op.forward(x.pointer, batch: Self.batch, length: Self.length, mask: fixture.mask, into: y.pointer, key: key)
        let g = Fixtures.random(Self.tokens * Self.hidden, seed: 23).map(Double.init)
        let dy = Fixtures.tensor(g.map(Float.init))
        let dx = Tensor(shape: [Self.tokens * Self.hidden])
        fixture.op.backward(dy.pointer, into: dx.pointer)

        let xd = xValues.map(Double.init)
        let values = fixture.values
        let dxExpected = Fixtures.centralDifferences(xd, at: Array(xd.indices)) { Fixtures.dot(g, fixture.reference($0, values, key: key)) }
        Fixtures.expectClose(dx.array, dxExpected, tolerance: 2e-3)
        for tensor in fixture.store.tensors {
            let point = values[tensor.name]!
            let expected = Fixtures.centralDifferences(point, at: Array(point.indices)) { changed in
                var v = values
                v[tensor.name] = changed
                return Fixtures.dot(g, fixture.reference(xd, v, key: key))
            }
            // The key bias shifts every score of a row alike, which the softmax ignores: its
            // gradient is 0 up to rounding, judged on the scale of the other gradients.
            Fixtures.expectClose(Fixtures.gradient(tensor), expected, tolerance: 2e-3, absolute: 1e-4, "\(tensor.name)")
        }
        #expect(Fixtures.gradient(fixture.store["k.bias"]!).allSatisfy { abs($0) < 1e-6 })
        if heads == 1 {
            let inner = Self.hidden / Self.maxHeads
            for name in ["q", "k", "v"] {
                let w = fixture.store[name + ".weight"]!, b = fixture.store[name + ".bias"]!
                #expect(Fixtures.gradient(w)[(inner * Self.hidden)...].allSatisfy { $0 == 0 }, "\(name).weight rows of the inactive head")
                #expect(Fixtures.gradient(b)[inner...].allSatisfy { $0 == 0 }, "\(name).bias of the inactive head")
            }
            let o = Fixtures.gradient(fixture.store["o.weight"]!)
            for r in 0..<Self.hidden { #expect(o[(r * Self.hidden + inner)..<((r + 1) * Self.hidden)].allSatisfy { $0 == 0 }) }
        }
    }

    /// Masked keys get probability exactly 0 and every row sums to 1; changing the inputs at
    /// masked positions leaves the outputs of the other positions bit for bit as they were.
    @Test func maskedKeysGetZeroAttention() throws {
        let fixture = try Fixture(heads: 2, dropout: 0.1, seed: 31)
        var xValues = Fixtures.random(Self.tokens * Self.hidden, seed: 32)
        let x = Fixtures.tensor(xValues)
        let y = Tensor(shape: [Self.tokens * Self.hidden])
        fixture.op.forward(x.pointer, batch: Self.batch, length: Self.length, mask: fixture.mask, into: y.pointer, key: nil)
        for b in 0..<Self.batch {
            for h in 0..<2 {
                let p = fixture.op.probabilities(sequence: b, head: h)
                for i in 0..<Self.length {
                    var sum: Float = 0
                    for j in 0..<Self.length {
                        let value = p[i * Self.length + j]
                        if Self.mask[b * Self.length + j] == 0 { #expect(value == 0, "sequence \(b) head \(h) query \(i) key \(j)") }
                        else { #expect(value > 0) }
                        sum += value
                    }
                    #expect(abs(sum - 1) < 1e-5)
                }
            }
        }
        let before = y.array
        for t in 0..<Self.tokens where Self.mask[t] == 0 {
            for j in 0..<Self.hidden { xValues[t * Self.hidden + j] += 3 }
        }
        let changed = Fixtures.tensor(xValues)
        fixture.op.forward(changed.pointer, batch: Self.batch, length: Self.length, mask: fixture.mask, into: y.pointer, key: nil)
        for t in 0..<Self.tokens where Self.mask[t] == 1 {
            #expect(Array(before[(t * Self.hidden)..<((t + 1) * Self.hidden)]) == Array(y.array[(t * Self.hidden)..<((t + 1) * Self.hidden)]), "token \(t)")
        }
    }

    /// A mask value other than 0 and 1, or a mask of the wrong size, is refused by name.
    @Test func badMaskIsRefused() {
        let mask = KeyMask(maxBatch: 2, maxLength: 3)
        Fixtures.expectError("value 2") { try mask.update([1, 2, 1, 1, 1, 1], batch: 2, length: 3) }
        Fixtures.expectError("5 values") { try mask.update([1, 1, 1, 1, 1], batch: 2, length: 3) }
        Fixtures.expectError("exceeds") { try mask.update(Array(repeating: 1, count: 12), batch: 3, length: 4) }
    }
}
