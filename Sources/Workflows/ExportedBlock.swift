import SuperNet

/// One block of an exported sub-network as config.json lists it: its key and the sizes that
/// shape it (heads and intermediate units of a transformer layer, kernel, expansion width,
/// stride of a convolutional block).
public struct ExportedBlock: Codable, Equatable, Sendable {
    public var index: Int
    public var kind: String
    public var key: String
    public var macs: Int
    public var params: Int
    public var hidden: Int?
    public var sequence: Int?
    public var heads: Int?
    public var headDim: Int?
    public var intermediate: Int?
    public var resolution: Int?
    public var inChannels: Int?
    public var outChannels: Int?
    public var midChannels: Int?
    public var kernel: Int?
    public var stride: Int?
    public var squeezeExcite: Bool?
    public var activation: String?

    public init(index: Int, block: Block) {
        self.index = index
        kind = block.kind
        key = block.key
        macs = block.macs
        params = block.params
        switch block {
        case .embedding(let b):
            hidden = b.hidden
            sequence = b.sequence
        case .patchEmbedding(let b):
            hidden = b.hidden
            resolution = b.resolution
            kernel = b.patch
            stride = b.patch
        case .attention(let b):
            hidden = b.hidden
            sequence = b.sequence
            heads = b.heads
            headDim = b.headDim
        case .feedForward(let b):
            hidden = b.hidden
            sequence = b.sequence
            intermediate = b.intermediate
        case .pooler(let b):
            hidden = b.hidden
        case .classifier(let b):
            inChannels = b.inputs
            outChannels = b.classes
        case .convolution(let b):
            resolution = b.resolution
            inChannels = b.inChannels
            outChannels = b.outChannels
            kernel = b.kernel
            stride = b.stride
            activation = b.activation.keyName
        case .mbconv(let b):
            resolution = b.resolution
            inChannels = b.inChannels
            outChannels = b.outChannels
            midChannels = b.mid
            kernel = b.kernel
            stride = b.stride
            squeezeExcite = b.squeezeExcite
            activation = b.activation.keyName
        case .pool(let b):
            resolution = b.resolution
            inChannels = b.channels
            outChannels = b.channels
        }
    }
}
