import Support
import SuperNet
import Testing
@testable import Predictors

/// DyNAS-T's one-hot features: shape, values, inactive slots.
@Suite struct OneHotEncodingTests {
    let ofa = OFAMobileNetV3Space()

    func subnet(ks: Int = 3, e: Int = 3, d: [Int], r: Int = 224) -> Subnet {
        Subnet(values: ["ks": Array(repeating: ks, count: 20), "e": Array(repeating: e, count: 20), "d": d, "r": [r]])
    }

    @Test func ofaHasOneColumnPerSlotAndChoice() {
        let encoding = OneHotEncoding(space: ofa)
        // ks 20 x 3, e 20 x 3, d 5 x 3, r 1 x 25.
        #expect(encoding.width == 60 + 60 + 15 + 25)
        #expect(encoding.summary.contains("ks[20] x 3"))
        #expect(encoding.column(gene: 1, slot: 0, choice: 0) == 60)
        #expect(encoding.column(gene: 3, slot: 0, choice: 24) == 159)
    }

    @Test func valuesAreOneHotAndInactiveSlotsAreZero() {
        let encoding = OneHotEncoding(space: ofa)
        var s = subnet(ks: 7, e: 4, d: [2, 3, 4, 2, 2], r: 224)
        s.values["ks"]![0] = 5
        let x = encoding.features(of: s, in: ofa)
        #expect(x.count == encoding.width)
        #expect(x.allSatisfy { $0 == 0 || $0 == 1 })
        let active = 2 + 3 + 4 + 2 + 2
        // One per active ks and e slot, one per depth, one for the resolution.
        #expect(x.reduce(0, +) == Double(2 * active + 5 + 1))
        #expect(x[encoding.column(gene: 0, slot: 0, choice: 1)] == 1)    // ks[0] = 5
        #expect(x[encoding.column(gene: 0, slot: 1, choice: 2)] == 1)    // ks[1] = 7
        #expect((0..<3).allSatisfy { x[encoding.column(gene: 0, slot: 2, choice: $0)] == 0 })  // stage 0 has depth 2
        #expect(x[encoding.column(gene: 1, slot: 4, choice: 1)] == 1)    // e[4] = 4
        #expect(x[encoding.column(gene: 2, slot: 1, choice: 1)] == 1)    // d[1] = 3
        #expect(x[encoding.column(gene: 3, slot: 0, choice: 24)] == 1)   // r = 224
        #expect(encoding.hotColumns(of: s, in: ofa).map { Int($0) } == x.indices.filter { x[$0] == 1 })
    }

    @Test func genomesThatDifferOnlyInInactiveSlotsAreTheSameNetwork() {
        let encoding = OneHotEncoding(space: ofa)
        let a = subnet(ks: 3, e: 3, d: [2, 2, 2, 2, 2])
        var b = a
        for slot in [2, 3, 6, 7, 19] { b.values["ks"]![slot] = 7; b.values["e"]![slot] = 6 }
        #expect(encoding.hotColumns(of: a, in: ofa) == encoding.hotColumns(of: b, in: ofa))
        #expect(ofa.canonicalGenome(of: a) == ofa.canonicalGenome(of: b))
        var c = a
        c.values["ks"]![1] = 5
        #expect(ofa.canonicalGenome(of: a) != ofa.canonicalGenome(of: c))
    }

    @Test func transformerLayersBeyondTheDepthAreInactive() throws {
        let bert = BertBaseSpace()
        let encoding = OneHotEncoding(space: bert)
        #expect(encoding.width == 7 + 12 * 4 + 12 * 3)
        let s = try bert.subnet(parsing: "{'num_layers': [6], 'num_attention_heads': [12, 12, 12, 12, 12, 12, 6, 6, 6, 6, 6, 6], 'intermediate_size': [3072, 3072, 3072, 3072, 3072, 3072, 1024, 1024, 1024, 1024, 1024, 1024]}")
        #expect(encoding.hotColumns(of: s, in: bert).count == 1 + 6 + 6)
        #expect(bert.activeSlots(of: s) == [true] + (0..<12).map { $0 < 6 } + (0..<12).map { $0 < 6 })
    }
}
