/// Whether an objective is better low (latency, MACs, parameters) or high (accuracy).
public enum ObjectiveSense: String, Codable, Hashable, Sendable {
    case minimize
    case maximize

    /// The value the optimiser minimises: the value itself, or its negation when maximised.
    @inlinable
    public func minimized(_ value: Double) -> Double {
        self == .minimize ? value : -value
    }
}
