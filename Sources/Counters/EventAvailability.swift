/// Whether one counter event really counts on this machine, and why not when it does not.
public struct EventAvailability: Codable, Equatable, Sendable {
    /// The event's PAPI name, e.g. `PAPI_TOT_CYC` or `perf::TASK-CLOCK`.
    public var name: String
    /// True when the event could be added to an event set, started, and read.
    public var counts: Bool
    /// PAPI's error when it does not count (nil when it does).
    public var reason: String?
    /// The value it read over the probe workload (nil when it does not count).
    public var probeValue: Int64?

    public init(name: String, counts: Bool, reason: String?, probeValue: Int64?) {
        self.name = name
        self.counts = counts
        self.reason = reason
        self.probeValue = probeValue
    }
}
