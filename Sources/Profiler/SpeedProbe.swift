import Hardware
import Support

/// A short fixed workload (a 192^3 sgemm, about 0.15 ms) timed before and after every sampling
/// slice, to tell when the core ran slow for reasons outside the entry.
///
/// On a shared host the same core's speed changes in phases of seconds: another tenant on the
/// sibling hyperthread or the shared caches slows everything by 15-25%, and a profile that
/// happened to meet such a phase would differ from the next run by as much. Slices whose probe
/// ran clearly slower than the run's best are kept apart and counted as contended.
final class SpeedProbe {
    private let operands = SgemmOperands(order: 192)
    /// The fastest probe time seen in the run, in seconds.
    private(set) var best = Double.infinity

    init() {
        for _ in 0..<20 { _ = measure() }
    }

    /// A slice whose probe ran this much slower than the best is contended.
    static let contendedSlowdown = 0.08

    /// Seconds of one probe (the fastest of three back-to-back calls).
    func measure() -> Double {
        var fastest = Double.infinity
        for _ in 0..<3 {
            let start = MonotonicClock.now()
            operands.multiply()
            fastest = min(fastest, MonotonicClock.seconds(since: start))
        }
        best = min(best, fastest)
        return fastest
    }

    /// How much slower than the best a probe time is (0.1 = 10% slower).
    func slowdown(_ seconds: Double) -> Double {
        best.isFinite && best > 0 ? seconds / best - 1 : 0
    }
}
