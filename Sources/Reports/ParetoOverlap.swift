/// How many sub-networks two devices' Pareto sets share.
public struct ParetoOverlap: Codable, Sendable {
    /// Front size per device.
    public var sizes: [String: Int]
    /// Sub-networks in both fronts.
    public var common: Int
    /// `common` as a percentage of the union of both fronts (100 = identical sets).
    public var percent: Double
}
