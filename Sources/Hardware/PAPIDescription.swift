import Counters

/// What PAPI can count on the machine: its version and each probed event.
public struct PAPIDescription: Codable, Equatable, Sendable {
    public var version: String
    public var events: [EventAvailability]
    /// Why hardware events do not count, when that can be told (no PMU under a hypervisor).
    public var note: String?

    public init(version: String, events: [EventAvailability], note: String?) {
        self.version = version
        self.events = events
        self.note = note
    }
}
