import Foundation

/// The monotonic clock used for every timing in hwnas: raw CLOCK_MONOTONIC nanoseconds, cheap
/// enough for the profiler's inner loop. Not named `Clock`, which would shadow Swift's protocol.
public enum MonotonicClock {
    /// Nanoseconds on CLOCK_MONOTONIC.
    @inline(__always)
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Seconds elapsed since a `now()` reading.
    @inline(__always)
    public static func seconds(since start: UInt64) -> Double {
        Double(now() &- start) / 1e9
    }
}
