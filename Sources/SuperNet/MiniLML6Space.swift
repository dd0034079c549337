import Support

/// The pre-trained MiniLM-L6-H384 (BERT architecture: 6 layers, hidden 384, 12 heads of 32,
/// intermediate 1536, vocabulary 30,522, 512 positions, 2 token types) made elastic as InstaTune
/// makes a pre-trained model a super-network: 2..6 layers (the first L active), per-layer heads
/// {4, 6, 8, 12} (the first h heads) and intermediate size {384, 768, 1152, 1536} (the first
/// units); pooler and a two-class classifier (SST-2). Genome and strings as `bert-base`'s.
///
/// The default sequence is 64 tokens: the maximum length the model is fine-tuned and evaluated
/// at on SST-2 (a dev sentence is 25 tokens on average with `[CLS]` and `[SEP]`, the longest
/// 60), so a table at 64 prices a deployment that pads every sentence to one fixed shape, and
/// bounds what a sentence of the task costs. Shorter lengths are profiled with `--seq`.
public struct MiniLML6Space: SearchSpace {
    public let name = "minilm-l6"
    public let summary = "MiniLM-L6-H384 (BERT, pre-trained): 2-6 layers, heads of 32 and FFN width per layer, SST-2 head"
    public let hidden = 384
    public let headDim = 32
    public let maxLayers = 6
    /// The full model's width of each layer's FFN.
    public let intermediate = 1536
    public let vocabulary = 30522
    public let positions = 512
    public let tokenTypes = 2
    public let classes = 2
    public let metricColumn = "SST-2 Acc"
    public let defaultSettings = SpaceSettings(sequence: 64)

    public init() {}

    public var genes: [Gene] {
        [
            Gene(name: "num_layers", length: 1, choices: Array(2...maxLayers), summary: "active encoder layers (the first ones)"),
            Gene(name: "num_attention_heads", length: maxLayers, choices: [4, 6, 8, 12],
                 summary: "attention heads of 32 per layer, the first ones (only the first num_layers count)"),
            Gene(name: "intermediate_size", length: maxLayers, choices: [384, 768, 1152, intermediate],
                 summary: "FFN width per layer, the first units (only the first num_layers count)"),
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
        if let sequence = settings.sequence, !(1...positions).contains(sequence) {
            throw HwnasError("\(name): sequence length \(sequence) is outside 1...\(positions) (MiniLM has \(positions) positions)")
        }
    }

    public func blocks(of subnet: Subnet, settings: SpaceSettings) -> [Block] {
        let sequence = settings.sequence ?? defaultSettings.sequence!
        var blocks = [embedding(sequence: sequence)]
        for layer in 0..<subnet.scalar("num_layers") {
            blocks.append(attention(sequence: sequence, heads: subnet["num_attention_heads"][layer]))
            blocks.append(feedForward(sequence: sequence, width: subnet["intermediate_size"][layer]))
        }
        return blocks + head(sequence: sequence)
    }

    public func distinctBlocks(settings: SpaceSettings) -> [Block] {
        let sequence = settings.sequence ?? defaultSettings.sequence!
        return [embedding(sequence: sequence)]
            + gene(named: "num_attention_heads")!.choices.map { attention(sequence: sequence, heads: $0) }
            + gene(named: "intermediate_size")!.choices.map { feedForward(sequence: sequence, width: $0) }
            + head(sequence: sequence)
    }

    func embedding(sequence: Int) -> Block {
        .embedding(EmbeddingBlock(sequence: sequence, hidden: hidden, vocabulary: vocabulary, positions: positions, tokenTypes: tokenTypes))
    }

    func attention(sequence: Int, heads: Int) -> Block {
        .attention(AttentionBlock(sequence: sequence, hidden: hidden, heads: heads, headDim: headDim, norm: .post))
    }

    func feedForward(sequence: Int, width: Int) -> Block {
        .feedForward(FeedForwardBlock(sequence: sequence, hidden: hidden, intermediate: width, norm: .post))
    }

    /// The pooler (first token, dense, tanh) and the classifier.
    func head(sequence: Int) -> [Block] {
        [.pooler(PoolerBlock(sequence: sequence, hidden: hidden)), .classifier(ClassifierBlock(inputs: hidden, classes: classes))]
    }
}
