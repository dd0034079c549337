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
    /// The accuracy of the metric column: predicted when the search had a predictor, measured
    /// when it measured (then also in `measuredAccuracy`); in a measure-refit-search loop's set,
    /// only measured (nil where the sub-network was not measured).
    public var accuracy: Double?
    /// Accuracy measured on a task's split (the set's provenance says which), when it was.
    public var measuredAccuracy: Double?
    /// Accuracy a predictor predicted, when the set says both.
    public var predictedAccuracy: Double?

    public init(subnet: SubnetJSON, values: [ObjectiveKind: Double], macs: Int, params: Int, latencyMs: Double?, accuracy: Double?) {
        self.subnet = subnet
        self.values = values
        self.macs = macs
        self.params = params
        self.latencyMs = latencyMs
        self.accuracy = accuracy
    }
}
