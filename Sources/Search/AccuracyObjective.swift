import SuperNet

/// An accuracy to maximise, from any source that scores a sub-network: a predictor fitted on
/// measured sub-networks today, the fine-tuned super-network's measured accuracy later.
public struct AccuracyObjective: Objective {
    public let metric: String
    public let provenance: String
    let score: @Sendable (Subnet) -> Double

    /// `metric` is the space's metric column (`Top-1 Acc (%)`); `provenance` names the source.
    public init(metric: String, provenance: String, score: @escaping @Sendable (Subnet) -> Double) {
        self.metric = metric
        self.provenance = provenance
        self.score = score
    }

    public var kind: ObjectiveKind { .accuracy }
    public var label: String { "Predicted \(metric)" }
    public var sense: ObjectiveSense { .maximize }

    public func value(of subnet: Subnet) -> Double {
        score(subnet)
    }
}
