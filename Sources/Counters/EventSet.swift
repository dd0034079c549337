import CPapi
import Support

/// A PAPI event set: the events that count here, started and stopped around a piece of work.
///
/// PAPI counts per thread: an event set counts only the thread that created it, so create, start
/// and stop it on the thread doing the work. Events that cannot be added (no hardware PMU,
/// conflicts) are kept in `rejected` with PAPI's reason instead of failing the whole set.
public final class EventSet {
    /// Events in the set, in the order `stop()` and `read()` return their values.
    public let events: [String]
    /// Events that were asked for but could not be added, with the reason.
    public let rejected: [EventAvailability]
    private var handle: Int32
    private var running = false

    /// Builds a set from event names. Throws for a name PAPI does not know at all.
    public init(events names: [String]) throws {
        try PAPILibrary.initialize()
        try EventSet.checkKnown(names)
        (handle, events, rejected) = try PAPILibrary.serialized { try EventSet.create(names) }
    }

    private static func create(_ names: [String]) throws -> (Int32, [String], [EventAvailability]) {
        var handle = hwnas_papi_null()
        let created = PAPI_create_eventset(&handle)
        guard created == PAPI_OK else {
            throw HwnasError("cannot create a PAPI event set: \(PAPILibrary.errorText(created))")
        }
        var added: [String] = []
        var rejected: [EventAvailability] = []
        for name in names {
            let result = PAPI_add_named_event(handle, name)
            if result == PAPI_OK {
                added.append(name)
            } else {
                rejected.append(EventAvailability(
                    name: name, counts: false,
                    reason: "PAPI_add_named_event: \(PAPILibrary.errorText(result))", probeValue: nil))
            }
        }
        return (handle, added, rejected)
    }

    deinit {
        PAPILibrary.serialized { release() }
    }

    private func release() {
        if running {
            var scratch = [Int64](repeating: 0, count: max(events.count, 1))
            _ = PAPI_stop(handle, &scratch)
        }
        _ = PAPI_cleanup_eventset(handle)
        _ = PAPI_destroy_eventset(&handle)
    }

    /// Throws an error naming the first event PAPI does not know (a typo, another CPU's event).
    public static func checkKnown(_ names: [String]) throws {
        try PAPILibrary.initialize()
        try PAPILibrary.serialized { try checkKnownLocked(names) }
    }

    private static func checkKnownLocked(_ names: [String]) throws {
        for name in names {
            var code: Int32 = 0
            let result = PAPI_event_name_to_code(name, &code)
            if result != PAPI_OK {
                throw HwnasError(
                    "unknown PAPI event '\(name)' (\(PAPILibrary.errorText(result))); "
                        + "papi_avail and papi_native_avail list the events of this machine")
            }
        }
    }

    /// Resets and starts counting on the calling thread.
    public func start() throws {
        guard !events.isEmpty else { running = true; return }
        let result = PAPILibrary.serialized { PAPI_start(handle) }
        guard result == PAPI_OK else {
            throw HwnasError("cannot start counters \(events.joined(separator: ",")): \(PAPILibrary.errorText(result))")
        }
        running = true
    }

    /// Stops counting and returns the counts since `start()`, one per event of `events`.
    public func stop() throws -> [Int64] {
        guard running else { throw HwnasError("counters stopped before they were started") }
        running = false
        guard !events.isEmpty else { return [] }
        var values = [Int64](repeating: 0, count: events.count)
        let result = PAPILibrary.serialized { values.withUnsafeMutableBufferPointer { PAPI_stop(handle, $0.baseAddress) } }
        guard result == PAPI_OK else {
            throw HwnasError("cannot stop counters: \(PAPILibrary.errorText(result))")
        }
        return values
    }

    /// The counts so far, without stopping.
    public func read() throws -> [Int64] {
        guard running else { throw HwnasError("counters read before they were started") }
        guard !events.isEmpty else { return [] }
        var values = [Int64](repeating: 0, count: events.count)
        let result = PAPILibrary.serialized { values.withUnsafeMutableBufferPointer { PAPI_read(handle, $0.baseAddress) } }
        guard result == PAPI_OK else {
            throw HwnasError("cannot read counters: \(PAPILibrary.errorText(result))")
        }
        return values
    }
}
