import SuperNet

/// Multiply-accumulates per sample, counted analytically at the space's input size.
public struct MACsObjective: Objective {
    public let space: any SearchSpace
    public let settings: SpaceSettings

    public init(space: any SearchSpace, settings: SpaceSettings? = nil) {
        self.space = space
        self.settings = settings ?? space.defaultSettings
    }

    public var kind: ObjectiveKind { .macs }
    public var label: String { "MACs (\(CountFormat.unitName))" + (sense == .minimize ? "" : ", maximised") }
    /// Minimised as a cost; maximised as a capacity (`macs:max`).
    public var sense: ObjectiveSense = .minimize
    public var provenance: String { "analytic" }

    public func value(of subnet: Subnet) -> Double {
        Double(space.macs(of: subnet, settings: settings))
    }
}
