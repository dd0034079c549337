import Support

/// Once-for-All MobileNetV3 (width 1.0), as NATv2 and DyNAS-T use it: a fixed stem and first
/// block, five elastic stages of 2..4 inverted-residual blocks with kernel {3, 5, 7} and expand
/// ratio {3, 4, 6} per block, a fixed head, and an elastic input resolution 128..224 px.
public struct OFAMobileNetV3Space: SearchSpace {
    public let name = "ofa-mbv3-w1.0"
    public let summary = "Once-for-All MobileNetV3 w1.0: depth 2-4 per stage, kernel 3/5/7 and expand 3/4/6 per block, 128-224 px"
    public let metricColumn = "Top-1 Acc (%)"
    public let nullKeys = ["wid"]
    public let classes = 1000

    /// Per elastic stage: output width, stride of its first block, activation, squeeze-excite.
    public let stages: [(width: Int, stride: Int, activation: ActivationKind, squeezeExcite: Bool)] = [
        (24, 2, .relu, false), (40, 2, .relu, true), (80, 2, .hardSwish, false),
        (112, 1, .hardSwish, true), (160, 2, .hardSwish, true),
    ]
    public let maxDepth = 4
    public let stemChannels = 16
    public let finalExpandChannels = 960
    public let featureMixChannels = 1280
    public let resolutions = Array(stride(from: 128, through: 224, by: 4))

    public init() {}

    public var defaultSettings: SpaceSettings { SpaceSettings(resolutions: resolutions) }

    public var geneRoles: [GeneRole: String] { [.resolution: "r"] }

    public var genes: [Gene] {
        [
            Gene(name: "ks", length: stages.count * maxDepth, choices: [3, 5, 7],
                 summary: "depthwise kernel of each block slot (stage s uses slots 4s..4s+d[s]-1)"),
            Gene(name: "e", length: stages.count * maxDepth, choices: [3, 4, 6],
                 summary: "expand ratio of each block slot"),
            Gene(name: "d", length: stages.count, choices: [2, 3, 4], summary: "depth of each stage"),
            Gene(name: "r", length: 1, choices: resolutions, summary: "input resolution in pixels"),
        ]
    }

    public func validate(_ settings: SpaceSettings) throws {
        if settings.sequence != nil {
            throw HwnasError("\(name) takes resolutions (--resolution), not a sequence length")
        }
        for resolution in settings.resolutions ?? [] where !resolutions.contains(resolution) {
            throw HwnasError("\(name): resolution \(resolution) is not one of 128..224 in steps of 4")
        }
    }

    /// Block slots beyond a stage's depth (`ks` and `e` of slot 4s+j with j >= d[s]) are inactive.
    public func activeSlots(of subnet: Subnet) -> [Bool] {
        let depths = subnet["d"]
        let blockSlots = (0..<stages.count * maxDepth).map { slot in
            slot / maxDepth < depths.count && slot % maxDepth < depths[slot / maxDepth]
        }
        return blockSlots + blockSlots + Array(repeating: true, count: stages.count + 1)
    }

    /// The channels after expansion, as Once-for-All computes them.
    public func mid(inChannels: Int, expand: Int) -> Int {
        MBConvBlock.makeDivisible(Double(inChannels * expand), 8)
    }

    public func blocks(of subnet: Subnet, settings: SpaceSettings) -> [Block] {
        let resolution = subnet.scalar("r")
        var blocks = stem(resolution: resolution)
        var size = (resolution + 1) / 2
        var channels = stemChannels
        let depths = subnet["d"], kernels = subnet["ks"], expands = subnet["e"]
        for (s, stage) in stages.enumerated() {
            for j in 0..<depths[s] {
                let slot = s * maxDepth + j
                let block = mbconv(stage: stage, position: j, resolution: size, inChannels: channels,
                                   kernel: kernels[slot], expand: expands[slot])
                blocks.append(.mbconv(block))
                size = block.outResolution
                channels = block.outChannels
            }
        }
        return blocks + head(resolution: size)
    }

    public func distinctBlocks(settings: SpaceSettings) -> [Block] {
        var seen = Set<Block>()
        var result: [Block] = []
        func add(_ block: Block) {
            if seen.insert(block).inserted { result.append(block) }
        }
        for resolution in settings.resolutions ?? resolutions {
            stem(resolution: resolution).forEach(add)
            var size = (resolution + 1) / 2
            var channels = stemChannels
            for stage in stages {
                for position in 0..<2 {  // positions 2 and 3 repeat position 1's shapes
                    for kernel in [3, 5, 7] {
                        for expand in [3, 4, 6] {
                            add(.mbconv(mbconv(stage: stage, position: position, resolution: size,
                                               inChannels: channels, kernel: kernel, expand: expand)))
                        }
                    }
                    if position == 0 {
                        size = (size + stage.stride - 1) / stage.stride
                        channels = stage.width
                    }
                }
            }
            head(resolution: size).forEach(add)
        }
        return result
    }

    /// The blocks every sub-network at this resolution runs exactly once whatever its genes:
    /// the stem convolution and the head (Once-for-All's `Conv`, `Conv_1`, `AvgPool2D`, `Conv_2`,
    /// `Logits`). The head's input size depends on the resolution alone, since the strides are
    /// fixed. The fixed first block is left out: its key has Once-for-All's `expanded_conv` form.
    public func onceOnlyBlocks(resolution: Int) -> [Block] {
        let size = stages.reduce((resolution + 1) / 2) { ($0 + $1.stride - 1) / $1.stride }
        return [stem(resolution: resolution)[0]] + head(resolution: size)
    }

    func stem(resolution: Int) -> [Block] {
        let size = (resolution + 1) / 2
        return [
            .convolution(ConvBlock(role: .stem, resolution: resolution, inChannels: 3, outChannels: stemChannels,
                                   kernel: 3, stride: 2, batchNorm: true, activation: .hardSwish)),
            .mbconv(MBConvBlock(resolution: size, inChannels: stemChannels, outChannels: stemChannels, mid: stemChannels,
                                kernel: 3, stride: 1, squeezeExcite: false, activation: .relu, expands: false)),
        ]
    }

    func mbconv(stage: (width: Int, stride: Int, activation: ActivationKind, squeezeExcite: Bool), position: Int,
                resolution: Int, inChannels: Int, kernel: Int, expand: Int) -> MBConvBlock {
        MBConvBlock(resolution: resolution, inChannels: inChannels, outChannels: stage.width,
                    mid: mid(inChannels: inChannels, expand: expand), kernel: kernel,
                    stride: position == 0 ? stage.stride : 1, squeezeExcite: stage.squeezeExcite,
                    activation: stage.activation)
    }

    func head(resolution: Int) -> [Block] {
        [
            .convolution(ConvBlock(role: .finalExpand, resolution: resolution, inChannels: stages.last!.width,
                                   outChannels: finalExpandChannels, kernel: 1, stride: 1, batchNorm: true, activation: .hardSwish)),
            .pool(PoolBlock(resolution: resolution, channels: finalExpandChannels)),
            .convolution(ConvBlock(role: .featureMix, resolution: 1, inChannels: finalExpandChannels,
                                   outChannels: featureMixChannels, kernel: 1, stride: 1, batchNorm: false, activation: .hardSwish)),
            .classifier(ClassifierBlock(inputs: featureMixChannels, classes: classes)),
        ]
    }
}
