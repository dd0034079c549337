/// How many sub-networks two devices' Pareto sets share.
public struct ParetoOverlap: Codable, Sendable {
    /// Front size per device.
    public var sizes: [String: Int]
    /// Sub-networks in both fronts.
    public var common: Int
    /// `common` as a percentage of the union of both fronts (100 = identical sets).
    public var percent: Double
    /// Members of the first set that, evaluated on the second device, no member of the second
    /// device's own set dominates: still a good choice there, even when not the same network.
    public var stillOptimal: Int
    public var stillOptimalPercent: Double
}
