import Testing
@testable import SuperNet

/// Parameter and MAC counts of the transformer spaces, checked against hand arithmetic.
@Suite struct TransformerCountTests {
    func largest(_ space: some SearchSpace) -> Subnet {
        var values: [String: [Int]] = [:]
        for gene in space.genes { values[gene.name] = Array(repeating: gene.choices.last!, count: gene.length) }
        return Subnet(values: values)
    }

    @Test func bertBaseFullHasThePublishedParameterCount() {
        let space = BertBaseSpace()
        let subnet = largest(space)
        // One encoder layer: Q, K, V and output projections with biases, two layer norms,
        // FFN 768 -> 3072 -> 768 with biases.
        let layer = 4 * (768 * 768 + 768) + 2 * 2 * 768 + (768 * 3072 + 3072) + (3072 * 768 + 768)
        #expect(layer == 7_087_872)
        let encoder = 12 * layer
        #expect(encoder == 85_054_464)  // the published ~85M
        let embeddings = (30522 + 512 + 2) * 768 + 2 * 768
        let pooler = 768 * 768 + 768
        let classifier = 768 * 2 + 2
        #expect(space.params(of: subnet) == encoder + embeddings + pooler + classifier)
        #expect(space.params(of: subnet) == 109_483_778)  // the published ~109M with embeddings
    }

    @Test func bertBaseMACsAtSequence128() {
        let space = BertBaseSpace()
        let subnet = largest(space)
        let s = 128
        let projections = 4 * s * 768 * 768
        let attention = 2 * 12 * s * s * 64
        let ffn = 2 * s * 768 * 3072
        let expected = 12 * (projections + attention + ffn) + 768 * 768 + 768 * 2
        #expect(space.macs(of: subnet) == expected)
        #expect(expected == 11_174_217_216)
    }

    @Test func bertElasticLayerCounts() throws {
        let space = BertBaseSpace()
        let subnet = try space.subnet(parsing:
            "{'num_layers': [6], 'num_attention_heads': [6, 8, 10, 12, 6, 8, 12, 12, 12, 12, 12, 12], 'intermediate_size': [1024, 2048, 3072, 1024, 2048, 3072, 3072, 3072, 3072, 3072, 3072, 3072]}")
        let blocks = space.blocks(of: subnet)
        #expect(blocks.count == 1 + 2 * 6 + 2)
        #expect(blocks.map(\.key).contains("mha-seq:128-hidden:768-heads:6"))
        #expect(blocks.map(\.key).contains("ffn-seq:128-hidden:768-inter:1024"))
        // Inactive slots 7..12 do not count.
        let heads = [6, 8, 10, 12, 6, 8]
        let widths = [1024, 2048, 3072, 1024, 2048, 3072]
        var params = (30522 + 512 + 2) * 768 + 2 * 768 + 768 * 768 + 768 + 768 * 2 + 2
        for (h, w) in zip(heads, widths) {
            let inner = h * 64
            params += 3 * (768 * inner + inner) + inner * 768 + 768 + 2 * 768
            params += 768 * w + w + w * 768 + 768 + 2 * 768
        }
        #expect(space.params(of: subnet) == params)
    }

    @Test func vitB16FullMatchesThePublishedFigures() {
        let space = ViTB16Space()
        let subnet = largest(space)
        let params = space.params(of: subnet)
        // Patch projection, class token, 197 position embeddings, 12 layers, final norm, head.
        let expected = (16 * 16 * 3 * 768 + 768) + 768 + 197 * 768 + 12 * 7_087_872 + 2 * 768 + 768 * 1000 + 1000
        #expect(params == expected)
        #expect(params == 86_567_656)  // ~86M
        let macs = space.macs(of: subnet)
        let layer = 4 * 197 * 768 * 768 + 2 * 12 * 197 * 197 * 64 + 2 * 197 * 768 * 3072
        #expect(macs == 196 * 16 * 16 * 3 * 768 + 12 * layer + 768 * 1000)
        #expect(abs(Double(macs) / 1e9 - 17.5) < 0.1)  // ~17.5 GMACs
    }

    @Test func distinctBlocksOfTheTransformerSpaces() {
        let bert = BertBaseSpace().distinctBlocks(settings: BertBaseSpace().defaultSettings)
        #expect(bert.count == 1 + 4 + 3 + 1 + 1)
        #expect(Set(bert.map(\.key)).count == bert.count)
        #expect(Set(bert.map(\.kind)) == ["embed", "mha", "ffn", "pooler", "classifier"])
        let vit = ViTB16Space().distinctBlocks(settings: ViTB16Space().defaultSettings)
        #expect(Set(vit.map(\.kind)) == ["patch", "mha", "ffn", "classifier"])
        #expect(vit.map(\.key).contains("mha-seq:197-hidden:768-heads:12"))
    }
}
