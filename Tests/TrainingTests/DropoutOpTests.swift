import Kernels
import Testing
import Training

@Suite struct DropoutOpTests {
    /// Evaluation (no key) is the identity, with the residual added when there is one, and its
    /// backward passes the gradient through.
    @Test func offIsIdentity() {
        let count = 16 * 5 + 3
        let values = Fixtures.random(count, seed: 1)
        let residualValues = Fixtures.random(count, seed: 2)
        let x = Fixtures.tensor(values), residual = Fixtures.tensor(residualValues)
        let y = Tensor(shape: [count])
        let op = DropoutOp(probability: 0.1)
        op.forward(x.pointer, into: y.pointer, count: count, key: nil)
        #expect(y.array == values)
        op.forward(x.pointer, into: y.pointer, count: count, residual: residual.pointer, key: nil)
        #expect(y.array == zip(values, residualValues).map { $0 + $1 })
        let g = Fixtures.tensor(Fixtures.random(count, seed: 3))
        let dx = Tensor(shape: [count])
        op.backward(g.pointer, into: dx.pointer)
        #expect(dx.array == g.array)
    }

    /// The same key gives the same mask, another key another; about p of the elements are
    /// dropped; kept ones are scaled by 1/(1 - p); the vector mask is the scalar `keeps`; the
    /// backward applies the forward's mask.
    @Test func seededAndDeterministic() {
        let count = 100_003
        let values = Fixtures.random(count, seed: 4).map { $0 + 2 }  // no zeros
        let x = Fixtures.tensor(values)
        let a = Tensor(shape: [count]), b = Tensor(shape: [count]), c = Tensor(shape: [count])
        let op = DropoutOp(probability: 0.1)
        let key = DropoutMask.key(seed: 42, step: 7, site: DropoutSite.embeddings.index)
        op.forward(x.pointer, into: a.pointer, count: count, key: key)
        op.forward(x.pointer, into: b.pointer, count: count, key: key)
        #expect(a.array == b.array)
        op.forward(x.pointer, into: c.pointer, count: count, key: DropoutMask.key(seed: 42, step: 8, site: DropoutSite.embeddings.index))
        #expect(a.array != c.array)

        let threshold = DropoutMask.threshold(probability: 0.1)
        let scale: Float = 1 / (1 - 0.1)
        var dropped = 0
        for i in 0..<count {
            let keeps = DropoutMask.keeps(UInt32(i), key: key, threshold: threshold)
            if keeps {
                #expect(a.pointer[i] == values[i] * scale, "element \(i) kept")
            } else {
                #expect(a.pointer[i] == 0, "element \(i) dropped")
                dropped += 1
            }
        }
        let fraction = Double(dropped) / Double(count)
        #expect(abs(fraction - 0.1) < 0.005, "dropped \(fraction)")

        let g = Fixtures.tensor(Fixtures.random(count, seed: 5))
        let dx = Tensor(shape: [count])
        op.forward(x.pointer, into: a.pointer, count: count, key: key)
        op.backward(g.pointer, into: dx.pointer)
        for i in 0..<count {
            let expected = DropoutMask.keeps(UInt32(i), key: key, threshold: threshold) ? g.pointer[i] * scale : 0
            #expect(dx.pointer[i] == expected)
        }
    }

    /// Keys differ across steps and sites of one seed, and across seeds.
    @Test func keysDependOnSeedStepAndSite() {
        var keys: Set<UInt64> = []
        for seed in 0..<3 as Range<UInt64> {
            for step in 0..<50 as Range<UInt64> {
                for site in [DropoutSite.embeddings, .attentionProbabilities(layer: 0), .attentionOutput(layer: 0),
                             .feedForwardOutput(layer: 0), .attentionProbabilities(layer: 1), .classifier] {
                    keys.insert(DropoutMask.key(seed: seed, step: step, site: site.index))
                }
            }
        }
        #expect(keys.count == 3 * 50 * 6)
    }
}
