/// A MiniLM-L6 sub-network as a trained model runs it: the first `layers` layers, layer i with
/// its first `heads[i]` heads and `intermediate[i]` intermediate units.
public struct ElasticBertShape: Equatable, Sendable {
    public var layers: Int
    public var heads: [Int]
    public var intermediate: [Int]
}

extension MiniLML6Space {
    /// The active part of `subnet`: inactive slots (layers beyond its depth) dropped.
    public func elasticShape(of subnet: Subnet) -> ElasticBertShape {
        let g = genes
        let layers = subnet.scalar(g[0])
        return ElasticBertShape(layers: layers, heads: Array(subnet[g[1]].prefix(layers)), intermediate: Array(subnet[g[2]].prefix(layers)))
    }
}
