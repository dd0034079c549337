/// A plain convolution with optional batch norm (folded at run time) and activation: the
/// MobileNetV3 stem, final expand, and feature mix layers.
public struct ConvBlock: BlockConfiguration {
    public enum Role: String, Hashable, Sendable {
        case stem
        case finalExpand = "final-expand"
        case featureMix = "feature-mix"
    }

    public var role: Role
    public var resolution: Int
    public var inChannels: Int
    public var outChannels: Int
    public var kernel: Int
    public var stride: Int
    public var batchNorm: Bool
    public var activation: ActivationKind

    public init(role: Role, resolution: Int, inChannels: Int, outChannels: Int, kernel: Int, stride: Int,
                batchNorm: Bool, activation: ActivationKind) {
        self.role = role
        self.resolution = resolution
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.batchNorm = batchNorm
        self.activation = activation
    }

    public var outResolution: Int { (resolution + stride - 1) / stride }

    public var key: String {
        "\(role.rawValue)-in:\(input)-out:\(output)-kernel:\(kernel)-stride:\(stride)-act:\(activation.keyName)"
    }
    public var input: TensorShape { .image(height: resolution, width: resolution, channels: inChannels) }
    public var output: TensorShape { .image(height: outResolution, width: outResolution, channels: outChannels) }
    public var macs: Int { kernel * kernel * inChannels * outChannels * outResolution * outResolution }
    public var params: Int { kernel * kernel * inChannels * outChannels + (batchNorm ? 2 * outChannels : 0) }
}
