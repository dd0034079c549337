import SuperNet

/// The objectives `hwnas search --objectives` knows.
/// Its name is the key of a Pareto member's values on disk (`CodingKeyRepresentable`).
public enum ObjectiveKind: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable {
    case accuracy
    case latency
    case macs
    case params

    /// MACs and parameters are counts, shown in millions (`CountFormat`).
    public var isCount: Bool { self == .macs || self == .params }

    /// A value in the unit charts plot it in: counts in millions, the rest as they are.
    public func plotted(_ value: Double) -> Double {
        isCount ? CountFormat.millions(value) : value
    }
}
