/// One block configuration measured on two devices.
public struct BlockComparison: Codable, Sendable {
    public var key: String
    /// Median latency on each device, keyed by device id.
    public var latencyMs: [String: Double]
    /// Latency on the second device over latency on the first.
    public var ratio: Double
    /// `ratio` over the median ratio of all blocks: above 1, the block is relatively dearer
    /// on the second device than the devices' overall speed difference says.
    public var relative: Double
    /// Counters per call, by event then device, for the events both devices counted.
    public var counters: [String: [String: Double]]?

    public init(key: String, latencyMs: [String: Double], ratio: Double, relative: Double, counters: [String: [String: Double]]?) {
        self.key = key
        self.latencyMs = latencyMs
        self.ratio = ratio
        self.relative = relative
        self.counters = counters
    }
}
