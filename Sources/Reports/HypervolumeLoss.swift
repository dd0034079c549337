import Optimization

/// What deploying the first device's Pareto set on the second costs, as hypervolume: the
/// first set's members re-evaluated on the second device, against the second device's own set
/// and reference point.
import Search

public struct HypervolumeLoss: Codable, Sendable {
    public var objectives: [ObjectiveKind]
    public var reference: [Double]
    /// Hypervolume of the second device's own set.
    public var own: Double
    /// Hypervolume of the first device's set evaluated on the second device.
    public var transferred: Double
    /// (own - transferred) / own, in percent; 0 when the sets are equally good.
    public var lossPercent: Double
    /// The same measure between the second device's set and a second search of that device with
    /// the next seed: the search's own spread, against which `lossPercent` is to be read. Present
    /// when the comparison searched the sets itself (`compare --fresh`, or no saved sets).
    public var repeatLossPercent: Double?
}
