import Support

/// BERT-base as InstaTune / DyNAS-T's `bert_base_sst2` make it elastic: 6..12 layers, per-layer
/// heads {6, 8, 10, 12} and intermediate size {1024, 2048, 3072}; hidden 768, head dim 64;
/// pooler and a two-class classifier (SST-2).
public struct BertBaseSpace: SearchSpace {
    public let name = "bert-base"
    public let summary = "BERT-base (DyNAS-T bert_base_sst2): 6-12 layers, heads and FFN width per layer, SST-2 head"
    public let hidden = 768
    public let headDim = 64
    public let maxLayers = 12
    public let classes = 2
    public let metricColumn = "SST-2 Acc"
    public let defaultSettings = SpaceSettings(sequence: 128)

    public init() {}

    public var genes: [Gene] {
        [
            Gene(name: "num_layers", length: 1, choices: Array(6...12), summary: "active encoder layers"),
            Gene(name: "num_attention_heads", length: maxLayers, choices: [6, 8, 10, 12],
                 summary: "attention heads per layer (only the first num_layers count)"),
            Gene(name: "intermediate_size", length: maxLayers, choices: [1024, 2048, 3072],
                 summary: "FFN width per layer (only the first num_layers count)"),
        ]
    }

    /// Head counts and widths of layers beyond `num_layers` are inactive.
    public func activeSlots(of subnet: Subnet) -> [Bool] {
        let layers = (0..<maxLayers).map { $0 < subnet.scalar("num_layers") }
        return [true] + layers + layers
    }

    public func validate(_ settings: SpaceSettings) throws {
        if let resolutions = settings.resolutions, !resolutions.isEmpty {
            throw HwnasError("\(name) takes a sequence length (--seq), not resolutions")
        }
        if let sequence = settings.sequence, !(1...512).contains(sequence) {
            throw HwnasError("\(name): sequence length \(sequence) is outside 1...512 (BERT has 512 positions)")
        }
    }

    public func blocks(of subnet: Subnet, settings: SpaceSettings) -> [Block] {
        let sequence = settings.sequence ?? defaultSettings.sequence!
        let layers = subnet.scalar("num_layers")
        var blocks: [Block] = [.embedding(EmbeddingBlock(sequence: sequence, hidden: hidden))]
        for layer in 0..<layers {
            blocks.append(.attention(AttentionBlock(
                sequence: sequence, hidden: hidden, heads: subnet["num_attention_heads"][layer], headDim: headDim, norm: .post)))
            blocks.append(.feedForward(FeedForwardBlock(
                sequence: sequence, hidden: hidden, intermediate: subnet["intermediate_size"][layer], norm: .post)))
        }
        blocks.append(.pooler(PoolerBlock(sequence: sequence, hidden: hidden)))
        blocks.append(.classifier(ClassifierBlock(inputs: hidden, classes: classes)))
        return blocks
    }

    public func distinctBlocks(settings: SpaceSettings) -> [Block] {
        let sequence = settings.sequence ?? defaultSettings.sequence!
        var blocks: [Block] = [.embedding(EmbeddingBlock(sequence: sequence, hidden: hidden))]
        for heads in gene(named: "num_attention_heads")!.choices {
            blocks.append(.attention(AttentionBlock(sequence: sequence, hidden: hidden, heads: heads, headDim: headDim, norm: .post)))
        }
        for width in gene(named: "intermediate_size")!.choices {
            blocks.append(.feedForward(FeedForwardBlock(sequence: sequence, hidden: hidden, intermediate: width, norm: .post)))
        }
        blocks.append(.pooler(PoolerBlock(sequence: sequence, hidden: hidden)))
        blocks.append(.classifier(ClassifierBlock(inputs: hidden, classes: classes)))
        return blocks
    }
}
