import SuperNet
import Training

extension SubnetShape {
    /// The sub-network a trained model runs for a MiniLM-L6 sub-network.
    public init(_ shape: ElasticBertShape) {
        self.init(layers: shape.layers, heads: shape.heads, intermediate: shape.intermediate)
    }
}
