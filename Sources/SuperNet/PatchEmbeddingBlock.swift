/// ViT's patch embedding: a `patch` x `patch` convolution with stride `patch`, plus the class
/// token and position embeddings.
public struct PatchEmbeddingBlock: BlockConfiguration {
    public var resolution: Int
    public var patch: Int
    public var channels: Int
    public var hidden: Int

    public init(resolution: Int, patch: Int, channels: Int = 3, hidden: Int) {
        self.resolution = resolution
        self.patch = patch
        self.channels = channels
        self.hidden = hidden
    }

    public var patches: Int { (resolution / patch) * (resolution / patch) }
    /// Patches plus the class token.
    public var tokens: Int { patches + 1 }

    public var key: String { "patch-in:\(resolution)x\(resolution)x\(channels)-patch:\(patch)-hidden:\(hidden)" }
    public var input: TensorShape { .image(height: resolution, width: resolution, channels: channels) }
    public var output: TensorShape { .sequence(length: tokens, features: hidden) }
    public var macs: Int { patches * patch * patch * channels * hidden }
    public var params: Int { patch * patch * channels * hidden + hidden + hidden + tokens * hidden }
}
