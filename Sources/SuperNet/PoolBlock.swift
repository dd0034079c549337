/// Global average pooling of a feature map to one vector.
public struct PoolBlock: BlockConfiguration {
    public var resolution: Int
    public var channels: Int

    public init(resolution: Int, channels: Int) {
        self.resolution = resolution
        self.channels = channels
    }

    public var key: String { "pool-in:\(input)" }
    public var input: TensorShape { .image(height: resolution, width: resolution, channels: channels) }
    public var output: TensorShape { .image(height: 1, width: 1, channels: channels) }
    public var macs: Int { 0 }
    public var params: Int { 0 }
}
