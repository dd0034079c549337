/// One block configuration of any search space.
public enum Block: Hashable, Sendable, BlockConfiguration {
    case embedding(EmbeddingBlock)
    case patchEmbedding(PatchEmbeddingBlock)
    case attention(AttentionBlock)
    case feedForward(FeedForwardBlock)
    case pooler(PoolerBlock)
    case classifier(ClassifierBlock)
    case convolution(ConvBlock)
    case mbconv(MBConvBlock)
    case pool(PoolBlock)

    /// The wrapped configuration.
    public var configuration: any BlockConfiguration {
        switch self {
        case .embedding(let b): b
        case .patchEmbedding(let b): b
        case .attention(let b): b
        case .feedForward(let b): b
        case .pooler(let b): b
        case .classifier(let b): b
        case .convolution(let b): b
        case .mbconv(let b): b
        case .pool(let b): b
        }
    }

    public var key: String { configuration.key }
    public var input: TensorShape { configuration.input }
    public var output: TensorShape { configuration.output }
    public var macs: Int { configuration.macs }
    public var params: Int { configuration.params }

    /// The key's prefix: `embed`, `patch`, `mha`, `ffn`, `pooler`, `classifier`, `stem`,
    /// `first-block`, `mbconv`, `final-expand`, `pool`, `feature-mix`.
    public var kind: String {
        let key = self.key
        for prefix in ["first-block", "final-expand", "feature-mix"] where key.hasPrefix(prefix + "-") {
            return prefix
        }
        return String(key.prefix { $0 != "-" })
    }
}
