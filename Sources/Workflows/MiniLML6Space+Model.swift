import Search
import Support
import SuperNet
import Training

extension MiniLML6Space {
    /// Throws, naming `source` and what differs, unless `configuration` is the model this
    /// space's sub-networks are slices of (hidden 384, 6 layers of 12 heads of 32, FFN 1536).
    public func checkModel(_ configuration: BertConfiguration, source: String) throws {
        let c = configuration
        var differences: [String] = []
        if c.hiddenSize != hidden { differences.append("hidden \(c.hiddenSize), not \(hidden)") }
        if c.layers != maxLayers { differences.append("\(c.layers) layers, not \(maxLayers)") }
        let heads = genes[1].choices.max()!
        if c.heads != heads || c.hiddenSize % c.heads != 0 || c.headDimension != headDim {
            differences.append("\(c.heads) heads of \(c.hiddenSize / max(c.heads, 1)), not \(heads) of \(headDim)")
        }
        if c.intermediateSize != intermediate { differences.append("intermediate \(c.intermediateSize), not \(intermediate)") }
        if c.labels != classes { differences.append("\(c.labels) classes, not \(classes)") }
        guard differences.isEmpty else {
            throw HwnasError("\(source) is not a \(name) model (\(differences.joined(separator: ", "))): its sub-networks are slices of MiniLM-L6-H384")
        }
    }

    /// The sub-network a trained model runs for `subnet`.
    public func subnetShape(of subnet: Subnet) -> SubnetShape {
        SubnetShape(elasticShape(of: subnet))
    }
}
