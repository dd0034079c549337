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

extension Block {
    /// Elements of the largest tensor one call reads, writes or holds between its operations, per
    /// sample: the expanded activation of an inverted-residual block, the attention scores or the
    /// Q/K/V projections, a feed-forward block's intermediate. Whether it fits a cache level is
    /// what sets a block's cost apart when it runs in a network rather than alone.
    public var largestActivation: Int {
        let ends = max(input.count, output.count)
        switch self {
        case .attention(let b):
            return max(ends, 3 * b.sequence * b.inner, b.heads * b.sequence * b.sequence)
        case .feedForward(let b):
            return max(ends, b.sequence * b.intermediate)
        case .mbconv(let b):
            let inPixels = b.resolution * b.resolution, outPixels = b.outResolution * b.outResolution
            return max(ends, b.mid * (b.expands ? inPixels : outPixels))
        case .embedding, .patchEmbedding, .pooler, .classifier, .convolution, .pool:
            return ends
        }
    }
}

extension Block {
    /// Floating-point operations of one call for a batch: two per multiply-accumulate.
    public func flops(batch: Int) -> Double {
        2 * Double(macs) * Double(batch)
    }

    /// Bytes one call must move at least once: the weights it reads, its input and its output
    /// (4-byte floats). An embedding reads only the table rows of its tokens.
    public func bytes(batch: Int) -> Double {
        let activations = Double(input.count + output.count) * Double(batch)
        switch self {
        case .embedding(let b):
            let rows = Double(b.sequence * batch) * 3 * Double(b.hidden)
            return 4 * (rows + 2 * Double(b.hidden) + Double(output.count) * Double(batch))
        default:
            return 4 * (Double(params) + activations)
        }
    }
}
