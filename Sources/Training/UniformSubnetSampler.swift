import Support

/// Sub-networks drawn uniformly, as InstaTune's public code samples them: the depth uniform
/// among its choices, then each active layer's heads and intermediate size uniform among
/// theirs, independently.
public struct UniformSubnetSampler: SubnetSampler {
    public let layerChoices: [Int]
    public let headChoices: [Int]
    public let intermediateChoices: [Int]
    public let seed: UInt64

    /// Throws when a list of choices is empty or holds a value that is not positive.
    public init(layers: [Int], heads: [Int], intermediate: [Int], seed: UInt64) throws(HwnasError) {
        for (name, choices) in [("layer", layers), ("head", heads), ("intermediate", intermediate)] {
            guard !choices.isEmpty, choices.allSatisfy({ $0 > 0 }) else {
                throw HwnasError("uniform sampler: the \(name) choices \(choices) must be positive and not empty")
            }
        }
        layerChoices = layers
        headChoices = heads
        intermediateChoices = intermediate
        self.seed = seed
    }

    public var kind: String { "uniform" }

    public var fingerprint: String {
        "uniform seed \(seed) layers \(layerChoices) heads \(headChoices) intermediate \(intermediateChoices)"
    }

    public func draw(step: Int) -> SampledSubnet {
        var generator = Self.generator(seed: seed, step: step)
        let layers = layerChoices[Self.index(below: layerChoices.count, using: &generator)]
        var heads: [Int] = [], intermediate: [Int] = []
        for _ in 0..<layers {
            heads.append(headChoices[Self.index(below: headChoices.count, using: &generator)])
            intermediate.append(intermediateChoices[Self.index(below: intermediateChoices.count, using: &generator)])
        }
        return SampledSubnet(shape: SubnetShape(layers: layers, heads: heads, intermediate: intermediate))
    }

    /// The generator of one step's draw: a function of the seed and the step alone.
    public static func generator(seed: UInt64, step: Int) -> SeededGenerator {
        SeededGenerator(seed: DropoutMask.key(seed: seed, step: UInt64(truncatingIfNeeded: step), site: 0x5A4D_504C))
    }

    /// An index uniform in 0..<count (the standard library's unbiased draw).
    public static func index(below count: Int, using generator: inout SeededGenerator) -> Int {
        Int.random(in: 0..<count, using: &generator)
    }
}
