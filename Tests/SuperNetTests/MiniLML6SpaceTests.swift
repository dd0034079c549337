import Support
import Testing
@testable import SuperNet

/// `minilm-l6`: counts of its largest and smallest members by hand from the architecture, its
/// strings, its blocks and their keys.
@Suite struct MiniLML6SpaceTests {
    let space = MiniLML6Space()

    func uniform(layers: Int, heads: Int, width: Int) -> Subnet {
        Subnet(values: ["num_layers": [layers], "num_attention_heads": Array(repeating: heads, count: 6),
                        "intermediate_size": Array(repeating: width, count: 6)])
    }

    var largest: Subnet { uniform(layers: 6, heads: 12, width: 1536) }
    var smallest: Subnet { uniform(layers: 2, heads: 4, width: 384) }

    /// Embeddings 30522x384 + 512x384 + 2x384 and their layer norm; per layer Q, K, V and output
    /// 384x384 with biases, FFN 384 -> 1536 -> 384 with biases, two layer norms; the pooler
    /// 384x384; the 2-way classifier.
    @Test func theLargestMemberIsTheRealModel() {
        let embeddings = 30522 * 384 + 512 * 384 + 2 * 384 + 2 * 384
        #expect(embeddings == 11_918_592)
        let attention = 4 * (384 * 384 + 384) + 2 * 384
        let ffn = (384 * 1536 + 1536) + (1536 * 384 + 384) + 2 * 384
        #expect(attention == 592_128 && ffn == 1_182_336)
        let pooler = 384 * 384 + 384
        let classifier = 384 * 2 + 2
        let model = embeddings + 6 * (attention + ffn) + pooler
        // all-MiniLM-L6-v2's 22.7M parameters (its model.safetensors: 22,713,216 floats).
        #expect(model == 22_713_216)
        #expect(space.params(of: largest) == model + classifier)
        #expect(space.params(of: largest) == 22_713_986)
    }

    @Test func theLargestMembersMACsAtSequence64() {
        let s = 64
        let projections = 4 * s * 384 * 384
        let products = 2 * 12 * s * s * 32  // Q·Kᵀ and A·V, 12 heads of 32
        let ffn = 2 * s * 384 * 1536
        let expected = 6 * (projections + products + ffn) + 384 * 384 + 384 * 2
        #expect(space.defaultSettings.sequence == 64)
        #expect(space.macs(of: largest) == expected)
        #expect(expected == 698_499_840)
        // The quadratic term grows with the sequence: at 128 the products are 4x, the rest 2x.
        let at128 = 6 * (2 * projections + 4 * products + 2 * ffn) + 384 * 384 + 384 * 2
        #expect(space.macs(of: largest, settings: SpaceSettings(sequence: 128)) == at128)
    }

    /// Two layers of 4 heads (inner 128) and FFN width 384.
    @Test func theSmallestMember() {
        let s = 64
        let attention = 3 * (384 * 128 + 128) + (128 * 384 + 384) + 2 * 384
        let ffn = (384 * 384 + 384) + (384 * 384 + 384) + 2 * 384
        let params = 11_918_592 + 2 * (attention + ffn) + (384 * 384 + 384) + (384 * 2 + 2)
        #expect(attention == 198_144 && ffn == 296_448)
        #expect(space.params(of: smallest) == params)
        #expect(params == 13_056_386)
        let layer = 4 * s * 384 * 128 + 2 * 4 * s * s * 32 + 2 * s * 384 * 384
        let macs = 2 * layer + 384 * 384 + 384 * 2
        #expect(space.macs(of: smallest) == macs)
        #expect(macs == 65_159_936)
    }

    /// Mixed layers count layer by layer; slots beyond num_layers change nothing.
    @Test func layersBeyondTheDepthAreIgnored() throws {
        let a = try space.subnet(parsing:
            "{'num_layers': [3], 'num_attention_heads': [4, 8, 12, 6, 6, 6], 'intermediate_size': [1536, 384, 768, 1152, 1152, 1152]}")
        let b = try space.subnet(parsing:
            #"{"num_layers":3,"num_attention_heads":[4,8,12,12,4,8],"intermediate_size":[1536,384,768,384,1536,768]}"#)
        #expect(a != b)
        #expect(space.blocks(of: a) == space.blocks(of: b))
        #expect(space.canonicalGenome(of: a) == space.canonicalGenome(of: b))
        #expect(space.macs(of: a) == space.macs(of: b) && space.params(of: a) == space.params(of: b))
        #expect(space.activeSlots(of: a) == [true] + (0..<6).map { $0 < 3 } + (0..<6).map { $0 < 3 })
        var params = 11_918_592 + (384 * 384 + 384) + (384 * 2 + 2)
        for (heads, width) in zip([4, 8, 12], [1536, 384, 768]) {
            let inner = heads * 32
            params += 3 * (384 * inner + inner) + inner * 384 + 384 + 2 * 384
            params += 384 * width + width + width * 384 + 384 + 2 * 384
        }
        #expect(space.params(of: a) == params)
        #expect(space.blocks(of: a).count == 1 + 2 * 3 + 2)
    }

    @Test func stringsAndGenomesRoundTrip() throws {
        let dynast = "{'num_layers': [5], 'num_attention_heads': [12, 8, 6, 4, 12, 8], 'intermediate_size': [384, 768, 1152, 1536, 384, 768]}"
        let subnet = try space.subnet(parsing: dynast)
        #expect(space.dynastString(subnet) == dynast)
        let json = space.jsonString(subnet)
        #expect(json == #"{"num_layers":5,"num_attention_heads":[12,8,6,4,12,8],"intermediate_size":[384,768,1152,1536,384,768]}"#)
        #expect(try space.subnet(parsing: json) == subnet)
        let genome = space.genome(of: subnet)
        #expect(genome == [3, 3, 2, 1, 0, 3, 2, 0, 1, 2, 3, 0, 1])
        #expect(try space.subnet(genome: genome) == subnet)
        #expect(space.genomeLength == 13)
        #expect(space.genomeCount == 83_886_080)  // 5 depths x 4^6 head counts x 4^6 widths
        #expect(try space.subnet(parsing: space.example) == largest)
    }

    @Test func badStringsNameTheField() {
        func message(_ text: String) -> String? {
            do {
                _ = try space.subnet(parsing: text)
                return nil
            } catch let error as HwnasError {
                return error.message
            } catch {
                return "\(error)"
            }
        }
        let heads = "[12, 12, 12, 12, 12, 12]", widths = "[1536, 1536, 1536, 1536, 1536, 1536]"
        #expect(message("{'num_layers': [6], 'num_attention_heads': \(heads), 'intermediate_size': \(widths)}") == nil)
        #expect(message("{'num_layers': [7], 'num_attention_heads': \(heads), 'intermediate_size': \(widths)}")?
            .contains("'num_layers'[0]: 7 is not one of 2, 3, 4, 5, 6") == true)
        #expect(message("{'num_layers': [1], 'num_attention_heads': \(heads), 'intermediate_size': \(widths)}")?
            .contains("'num_layers'[0]: 1 is not one of") == true)
        // bert-base's choices are not this space's.
        #expect(message("{'num_layers': [6], 'num_attention_heads': [10, 12, 12, 12, 12, 12], 'intermediate_size': \(widths)}")?
            .contains("'num_attention_heads'[0]: 10 is not one of 4, 6, 8, 12") == true)
        #expect(message("{'num_layers': [6], 'num_attention_heads': \(heads), 'intermediate_size': [3072, 1536, 1536, 1536, 1536, 1536]}")?
            .contains("'intermediate_size'[0]: 3072 is not one of 384, 768, 1152, 1536") == true)
        // A bert-base genome of 12 layers is not one of 6.
        let twelve = Array(repeating: "12", count: 12).joined(separator: ", ")
        #expect(message("{'num_layers': [6], 'num_attention_heads': [\(twelve)], 'intermediate_size': \(widths)}")?
            .contains("'num_attention_heads': expected 6 values, found 12") == true)
        #expect(throws: HwnasError.self) { try space.subnet(genome: [0, 0, 0]) }
        #expect(throws: HwnasError.self) { try space.subnet(genome: [5] + Array(repeating: 0, count: 12)) }
    }

    /// One embedding, four attention and four FFN configurations, pooler, classifier; the
    /// attention blocks have heads of 32, and no key is one of bert-base's.
    @Test func distinctBlocksAndTheirKeys() {
        let blocks = space.distinctBlocks(settings: space.defaultSettings)
        #expect(blocks.count == 1 + 4 + 4 + 1 + 1)
        #expect(Set(blocks.map(\.key)).count == blocks.count)
        #expect(blocks.map(\.key) == [
            "embed-seq:64-hidden:384-vocab:30522",
            "mha-seq:64-hidden:384-heads:4-headdim:32", "mha-seq:64-hidden:384-heads:6-headdim:32",
            "mha-seq:64-hidden:384-heads:8-headdim:32", "mha-seq:64-hidden:384-heads:12-headdim:32",
            "ffn-seq:64-hidden:384-inter:384", "ffn-seq:64-hidden:384-inter:768",
            "ffn-seq:64-hidden:384-inter:1152", "ffn-seq:64-hidden:384-inter:1536",
            "pooler-seq:64-hidden:384", "classifier-in:384-out:2",
        ])
        for case .attention(let attention) in blocks {
            #expect(attention.headDim == 32 && attention.inner == attention.heads * 32 && attention.norm == .post)
        }
        let bert = BertBaseSpace()
        for sequence in [32, 64, 128] {
            let settings = SpaceSettings(sequence: sequence)
            let ours = Set(space.distinctBlocks(settings: settings).map(\.key))
            let theirs = Set(bert.distinctBlocks(settings: settings).map(\.key))
            // The classifier (384 -> 2) differs by its input; nothing is shared.
            #expect(ours.isDisjoint(with: theirs), "\(ours.intersection(theirs))")
        }
    }

    /// The key tells head sizes apart and keeps BERT's keys as they were.
    @Test func attentionKeysCarryAHeadSizeOtherThan64() {
        let of32 = AttentionBlock(sequence: 64, hidden: 384, heads: 12, headDim: 32, norm: .post)
        let of64 = AttentionBlock(sequence: 64, hidden: 384, heads: 12, headDim: 64, norm: .post)
        #expect(of32.key != of64.key)
        #expect(of64.key == "mha-seq:64-hidden:384-heads:12")
        #expect(of32.key == "mha-seq:64-hidden:384-heads:12-headdim:32")
        #expect(Block.attention(of32).kind == "mha")
        #expect(of32.macs == 4 * 64 * 384 * 384 + 2 * 12 * 64 * 64 * 32)
        #expect(of64.macs == 4 * 64 * 384 * 768 + 2 * 12 * 64 * 64 * 64)
    }

    @Test func settingsAreChecked() throws {
        try space.validate(SpaceSettings(sequence: 512))
        try space.validate(SpaceSettings(sequence: 1))
        let long = try #require(throws: HwnasError.self) { try space.validate(SpaceSettings(sequence: 513)) }
        #expect(long.message.contains("513") && long.message.contains("512 positions"))
        #expect(throws: HwnasError.self) { try space.validate(SpaceSettings(sequence: 0)) }
        let pixels = try #require(throws: HwnasError.self) { try space.validate(SpaceSettings(resolutions: [224])) }
        #expect(pixels.message.contains("--seq"))
    }

    @Test func registered() throws {
        #expect(try SearchSpaces.named("minilm-l6").name == "minilm-l6")
        #expect(SearchSpaces.all.map(\.name) == ["bert-base", "minilm-l6", "vit-b16", "ofa-mbv3-w1.0"])
        #expect(try SearchSpaces.named("minilm-l6").resolutionGene == nil)
        let unknown = try #require(throws: HwnasError.self) { try SearchSpaces.named("minilm") }
        #expect(unknown.message.contains("minilm-l6"))
    }
}
