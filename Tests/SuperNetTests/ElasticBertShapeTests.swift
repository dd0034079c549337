import Testing
@testable import SuperNet

/// A minilm-l6 sub-network as a trained model activates it: inactive layers' slots dropped.
@Suite struct ElasticBertShapeTests {
    @Test func keepsTheActiveLayersSlotsOnly() {
        let subnet = Subnet(values: [
            "num_layers": [3], "num_attention_heads": [4, 6, 8, 12, 4, 6], "intermediate_size": [384, 768, 1152, 1536, 384, 768],
        ])
        let shape = MiniLML6Space().elasticShape(of: subnet)
        #expect(shape == ElasticBertShape(layers: 3, heads: [4, 6, 8], intermediate: [384, 768, 1152]))
    }
}
