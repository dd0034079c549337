import SuperNet

/// One quantity a search trades off, measured on a sub-network.
///
/// Everything the search optimises goes through this protocol: cost-table latency on a device,
/// MACs, parameters, predicted accuracy, and later the accuracy measured on a fine-tuned
/// super-network. An objective must be cheap: NSGA-II calls it tens of thousands of times.
public protocol Objective: Sendable {
    /// What the objective measures; its name (`latency`, `macs`, `params`, `accuracy`) is the
    /// one on the command line and in files.
    var kind: ObjectiveKind { get }
    /// An axis label with the unit, e.g. `Latency on amd-zen3-t1 (ms)`.
    var label: String { get }
    var sense: ObjectiveSense { get }
    /// Where the values come from (a table file, a predictor file, "analytic").
    var provenance: String { get }
    func value(of subnet: Subnet) -> Double
}

extension Objective {
    public var name: String { kind.rawValue }
    /// The kind with the sense it is optimised in, as `--objectives` would name it.
    public var spec: ObjectiveSpec { ObjectiveSpec(kind: kind, sense: sense) }
}
