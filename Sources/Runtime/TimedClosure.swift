import Support

/// The native way to measure: a closure called `calls` times in a tight loop between two
/// readings of the monotonic clock, with nothing else in the loop, so the clock's overhead is
/// spread over the calls as the profiler's minimum sample time intends.
public final class TimedClosure: PreparedWorkload {
    public let call: () -> Void

    public init(_ call: @escaping () -> Void) {
        self.call = call
    }

    public func measure(calls: Int) -> Double {
        let start = MonotonicClock.now()
        for _ in 0..<calls { call() }
        return MonotonicClock.seconds(since: start)
    }
}
