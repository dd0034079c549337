import CPlatform
import Foundation
import Runtime
import Support

/// Measures one entry across the passes of a profile: warm-up, then samples of `k` calls each,
/// stopping when the median is known to within the budget's half-width or the time is spent.
///
/// The workload times itself (`measure(calls:)`: the native runtime reads the monotonic clock
/// around `k` back-to-back calls); `k` is 1 unless one call is shorter than the budget's minimum
/// sample time, so clock overhead stays below ~0.1%.
final class EntrySampler {
    let workload: any PreparedWorkload
    /// Samples from slices the speed probe found uncontended.
    private(set) var samples: [Double] = []
    /// Samples from slices during which the core ran slow (see `SpeedProbe`).
    private(set) var contendedSamples: [Double] = []
    let probe: SpeedProbe?
    private(set) var callsPerSample = 1
    private(set) var done = false
    private(set) var involuntarySwitches = 0
    /// PUs the thread was seen on at the start and end of each slice.
    private(set) var cpus: Set<Int> = []
    private var warmed = false

    init(workload: any PreparedWorkload, probe: SpeedProbe? = nil) {
        self.workload = workload
        self.probe = probe
    }

    /// The samples an entry's statistics use: the uncontended ones when there are enough,
    /// otherwise all of them.
    func usableSamples(_ budget: MeasurementBudget) -> (samples: [Double], contendedDropped: Int) {
        if samples.count >= budget.minimumSamples || contendedSamples.isEmpty {
            return (samples.isEmpty ? contendedSamples : samples, samples.isEmpty ? 0 : contendedSamples.count)
        }
        return (samples + contendedSamples, 0)
    }

    /// At least `warmupCalls` calls and `warmupSeconds`; sets `callsPerSample` from what it saw.
    func warmUp(_ budget: MeasurementBudget) throws {
        let start = MonotonicClock.now()
        var calls = 0
        var fastest = Double.infinity
        while calls < budget.warmupCalls || MonotonicClock.seconds(since: start) < budget.warmupSeconds {
            fastest = min(fastest, try workload.measure(calls: 1))
            calls += 1
        }
        callsPerSample = max(1, Int((budget.minimumSampleSeconds / max(fastest, 1e-9)).rounded(.up)))
        warmed = true
    }

    /// Samples for about `seconds`. The stopping rule is consulted only in the last pass, so that
    /// every entry has samples from every pass: on a shared host the speed changes from one
    /// second to the next, and an entry measured within one slow second would be off by 20%.
    func sample(for seconds: Double, pass: Int, budget: MeasurementBudget) throws {
        guard !done else { return }
        if !warmed {
            try warmUp(budget)
        } else {
            _ = try workload.measure(calls: 1)  // bring weights back into the caches other entries evicted
        }
        let switchesBefore = Self.involuntaryContextSwitches()
        cpus.insert(Int(hwnas_current_cpu()))
        let probeBefore = probe?.measure()
        let start = MonotonicClock.now()
        let k = callsPerSample
        var slice: [Double] = []
        repeat {
            slice.append(try workload.measure(calls: k) / Double(k))
            if pass >= budget.passes - 1, samples.count + slice.count >= budget.minimumSamples,
               converged(samples + slice, budget) {
                done = true
                break
            }
        } while MonotonicClock.seconds(since: start) < seconds
        if let probe, let probeBefore {
            let slowest = max(probeBefore, probe.measure())
            if probe.slowdown(slowest) > SpeedProbe.contendedSlowdown {
                contendedSamples += slice
                done = false
                slice = []
            }
        }
        samples += slice
        involuntarySwitches += Self.involuntaryContextSwitches() - switchesBefore
        cpus.insert(Int(hwnas_current_cpu()))
    }

    /// True when slices were lost to contention and the rest do not make a measurement yet.
    func needsMakeUp(_ budget: MeasurementBudget) -> Bool {
        !contendedSamples.isEmpty && (samples.count < budget.minimumSamples || !converged(samples, budget))
    }

    func converged(_ samples: [Double], _ budget: MeasurementBudget) -> Bool {
        guard let interval = MedianInterval(sorted: samples.sorted()) else { return false }
        return interval.relativeHalfWidth <= budget.targetHalfWidth
    }

    /// Involuntary context switches of the calling thread so far (the OS took the core away).
    static func involuntaryContextSwitches() -> Int {
        max(Int(hwnas_thread_involuntary_switches()), 0)
    }
}
