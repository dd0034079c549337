import Support

/// ViT-B/16 made elastic as DyNAS-T's `vit_base_imagenet`: 10..12 layers, per-layer heads
/// {6, 8, 10, 12} and MLP width {1024, 2048, 3072}; hidden 768, 224 px, patch 16 (196 patches
/// and a class token), 1000 classes. The MLP gene carries DyNAS-T's name,
/// `vit_intermediate_sizes`; `intermediate_size` (hwnas's earlier name) is read as well.
public struct ViTB16Space: SearchSpace {
    public let name = "vit-b16"
    public let summary = "ViT-B/16 (DyNAS-T vit_base_imagenet): 10-12 layers, heads and MLP width per layer, 224 px"
    public let hidden = 768
    public let headDim = 64
    public let maxLayers = 12
    public let patch = 16
    public let resolution = 224
    public let classes = 1000
    public let metricColumn = "Top-1 Acc (%)"
    public let defaultSettings = SpaceSettings(resolutions: [224])

    public init() {}

    public var genes: [Gene] {
        [
            Gene(name: "num_layers", length: 1, choices: [10, 11, 12], summary: "active encoder layers"),
            Gene(name: "num_attention_heads", length: maxLayers, choices: [6, 8, 10, 12],
                 summary: "attention heads per layer (only the first num_layers count)"),
            Gene(name: "vit_intermediate_sizes", aliases: ["intermediate_size"], length: maxLayers, choices: [1024, 2048, 3072],
                 summary: "MLP width per layer (only the first num_layers count)"),
        ]
    }

    var tokens: Int { (resolution / patch) * (resolution / patch) + 1 }

    /// Head counts and widths of layers beyond `num_layers` are inactive.
    public func activeSlots(of subnet: Subnet) -> [Bool] {
        let layers = (0..<maxLayers).map { $0 < subnet.scalar("num_layers") }
        return [true] + layers + layers
    }

    public func validate(_ settings: SpaceSettings) throws {
        if settings.sequence != nil {
            throw HwnasError("\(name) has a fixed sequence of \(tokens) tokens; --seq does not apply")
        }
        if let resolutions = settings.resolutions, resolutions != [resolution] {
            throw HwnasError("\(name) runs at \(resolution) px only (its position embeddings are for \(tokens) tokens)")
        }
    }

    public func blocks(of subnet: Subnet, settings: SpaceSettings) -> [Block] {
        var blocks: [Block] = [.patchEmbedding(PatchEmbeddingBlock(resolution: resolution, patch: patch, hidden: hidden))]
        for layer in 0..<subnet.scalar("num_layers") {
            blocks.append(.attention(AttentionBlock(
                sequence: tokens, hidden: hidden, heads: subnet["num_attention_heads"][layer], headDim: headDim, norm: .pre)))
            blocks.append(.feedForward(FeedForwardBlock(
                sequence: tokens, hidden: hidden, intermediate: subnet["vit_intermediate_sizes"][layer], norm: .pre)))
        }
        blocks.append(.classifier(ClassifierBlock(inputs: hidden, classes: classes, sequenceBeforeNorm: tokens)))
        return blocks
    }

    public func distinctBlocks(settings: SpaceSettings) -> [Block] {
        var blocks: [Block] = [.patchEmbedding(PatchEmbeddingBlock(resolution: resolution, patch: patch, hidden: hidden))]
        for heads in gene(named: "num_attention_heads")!.choices {
            blocks.append(.attention(AttentionBlock(sequence: tokens, hidden: hidden, heads: heads, headDim: headDim, norm: .pre)))
        }
        for width in gene(named: "vit_intermediate_sizes")!.choices {
            blocks.append(.feedForward(FeedForwardBlock(sequence: tokens, hidden: hidden, intermediate: width, norm: .pre)))
        }
        blocks.append(.classifier(ClassifierBlock(inputs: hidden, classes: classes, sequenceBeforeNorm: tokens)))
        return blocks
    }
}
