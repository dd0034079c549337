import SuperNet

/// One sub-network of a Pareto set with its objective values in natural units
/// (milliseconds, MACs, parameters, metric points), keyed by objective (by name on disk).
public struct ParetoMember: Codable, Sendable {
    public var subnet: SubnetJSON
    public var values: [ObjectiveKind: Double]
    /// Analytic cost, recorded whatever the objectives (the CSV carries them).
    public var macs: Int
    public var params: Int
    /// The device's predicted latency, when the search had its table.
    public var latencyMs: Double?
    /// The predicted accuracy, when the search had a predictor.
    public var accuracy: Double?

    public init(subnet: SubnetJSON, values: [ObjectiveKind: Double], macs: Int, params: Int, latencyMs: Double?, accuracy: Double?) {
        self.subnet = subnet
        self.values = values
        self.macs = macs
        self.params = params
        self.latencyMs = latencyMs
        self.accuracy = accuracy
    }
}
