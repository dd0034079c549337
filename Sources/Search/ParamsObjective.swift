import SuperNet

/// Parameters of a sub-network, counted analytically.
public struct ParamsObjective: Objective {
    public let space: any SearchSpace

    public init(space: any SearchSpace) {
        self.space = space
    }

    public var kind: ObjectiveKind { .params }
    public var label: String { "Parameters (\(CountFormat.unitName))" + (sense == .minimize ? "" : ", maximised") }
    /// Minimised as a cost; maximised as a capacity (`macs:max`).
    public var sense: ObjectiveSense = .minimize
    public var provenance: String { "analytic" }

    public func value(of subnet: Subnet) -> Double {
        Double(space.params(of: subnet))
    }
}
