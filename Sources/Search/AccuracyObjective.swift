import SuperNet

/// An accuracy to maximise, from any source that scores a sub-network: a predictor fitted on
/// measured sub-networks, or the accuracy measured by running a fine-tuned super-network's
/// checkpoint as the sub-network (`isMeasured`).
public struct AccuracyObjective: Objective {
    public let metric: String
    public let provenance: String
    /// Whether the values are measured on a task's data rather than predicted.
    public let isMeasured: Bool
    public let label: String
    let score: @Sendable (Subnet) -> Double

    /// `metric` is the space's metric column (`Top-1 Acc (%)`); `provenance` names the source;
    /// `label` defaults to `Predicted <metric>`, or `Measured <metric>` when `isMeasured`.
    public init(metric: String, provenance: String, isMeasured: Bool = false, label: String? = nil,
                score: @escaping @Sendable (Subnet) -> Double) {
        self.metric = metric
        self.provenance = provenance
        self.isMeasured = isMeasured
        self.label = label ?? "\(isMeasured ? "Measured" : "Predicted") \(metric)"
        self.score = score
    }

    public var kind: ObjectiveKind { .accuracy }
    public var sense: ObjectiveSense { .maximize }

    public func value(of subnet: Subnet) -> Double {
        score(subnet)
    }
}
