import Support

/// The sub-network of a weight-shared BERT that runs on a step: the first `layers` layers,
/// layer i with its first `heads[i]` heads and `intermediate[i]` intermediate units.
///
/// Training's own description of a sub-network, so that a sampler from a higher module (one
/// steered by a device's cost table) can hand it to the training loop without Training knowing
/// search spaces or devices.
public struct SubnetShape: Codable, Hashable, Sendable, CustomStringConvertible {
    public var layers: Int
    public var heads: [Int]
    public var intermediate: [Int]

    public init(layers: Int, heads: [Int], intermediate: [Int]) {
        self.layers = layers
        self.heads = heads
        self.intermediate = intermediate
    }

    /// Every layer, head and unit of `configuration`.
    public init(full configuration: BertConfiguration) {
        layers = configuration.layers
        heads = Array(repeating: configuration.heads, count: configuration.layers)
        intermediate = Array(repeating: configuration.intermediateSize, count: configuration.layers)
    }

    /// `L=3 h=[4,8,12] i=[384,768,1536]`: one line of a log.
    public var description: String {
        "L=\(layers) h=[\(heads.map(String.init).joined(separator: ","))] i=[\(intermediate.map(String.init).joined(separator: ","))]"
    }
}

extension BertClassifier {
    /// Runs `shape` (the full network when `shape` is all of it).
    public func activate(_ shape: SubnetShape) throws(HwnasError) {
        try activate(layers: shape.layers, heads: shape.heads, intermediate: shape.intermediate)
    }

    /// The sub-network that runs now.
    public var activeShape: SubnetShape {
        SubnetShape(layers: activeLayers, heads: layers.prefix(activeLayers).map(\.attention.heads),
                    intermediate: layers.prefix(activeLayers).map(\.intermediateSize))
    }
}
