/// A sub-network's predicted latency from a cost table.
public struct Prediction: Equatable, Sendable {
    /// The plain sum of the block entries, ms.
    public var sumMs: Double
    /// The sum through the table's calibration (the sum itself when there is none), ms.
    public var latencyMs: Double
    /// True when the sub-network's input size was not profiled and the prediction was
    /// interpolated between the neighbouring sizes that were.
    public var interpolated: Bool
}
