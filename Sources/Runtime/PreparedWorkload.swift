/// A block or sub-network a runtime has prepared to run (weights loaded, buffers allocated),
/// timed by the runtime itself: a runtime in another process times its own calls, so that no
/// inter-process round trip is counted in the latency.
public protocol PreparedWorkload: AnyObject {
    /// Runs `calls` calls back to back and returns the seconds they took together; a runtime
    /// in another process throws when that process fails.
    func measure(calls: Int) throws -> Double
}
