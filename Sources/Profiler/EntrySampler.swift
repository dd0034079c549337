import CPlatform
import Foundation
import Support

/// Measures one entry across the passes of a profile: warm-up, then samples of `k` calls each,
/// stopping when the median is known to within the budget's half-width or the time is spent.
///
/// Timing uses the monotonic clock around `k` back-to-back calls; `k` is 1 unless one call is
/// shorter than the budget's minimum sample time, so clock overhead stays below ~0.1%.
final class EntrySampler {
    let call: () -> Void
    private(set) var samples: [Double] = []
    private(set) var callsPerSample = 1
    private(set) var done = false
    private(set) var involuntarySwitches = 0
    private var warmed = false

    init(call: @escaping () -> Void) {
        self.call = call
    }

    /// At least `warmupCalls` calls and `warmupSeconds`; sets `callsPerSample` from what it saw.
    func warmUp(_ budget: MeasurementBudget) {
        let start = Clock.now()
        var calls = 0
        var fastest = Double.infinity
        while calls < budget.warmupCalls || Clock.seconds(since: start) < budget.warmupSeconds {
            let t = Clock.now()
            call()
            fastest = min(fastest, Clock.seconds(since: t))
            calls += 1
        }
        callsPerSample = max(1, Int((budget.minimumSampleSeconds / max(fastest, 1e-9)).rounded(.up)))
        warmed = true
    }

    /// Samples for about `seconds`. The stopping rule is consulted only from the second pass on,
    /// so that every entry has samples from at least two passes and drift spreads over entries.
    func sample(for seconds: Double, pass: Int, budget: MeasurementBudget) {
        guard !done else { return }
        if !warmed {
            warmUp(budget)
        } else {
            call()  // bring weights back into the caches other entries evicted
        }
        let switchesBefore = Self.involuntaryContextSwitches()
        let start = Clock.now()
        let k = callsPerSample
        repeat {
            let t = Clock.now()
            for _ in 0..<k { call() }
            samples.append(Clock.seconds(since: t) / Double(k))
            if pass >= 1, samples.count >= budget.minimumSamples, converged(budget) {
                done = true
                break
            }
        } while Clock.seconds(since: start) < seconds
        involuntarySwitches += Self.involuntaryContextSwitches() - switchesBefore
    }

    func converged(_ budget: MeasurementBudget) -> Bool {
        guard let interval = MedianInterval(sorted: samples.sorted()) else { return false }
        return interval.relativeHalfWidth <= budget.targetHalfWidth
    }

    /// Involuntary context switches of the calling thread so far (the OS took the core away).
    static func involuntaryContextSwitches() -> Int {
        max(Int(hwnas_thread_involuntary_switches()), 0)
    }
}
