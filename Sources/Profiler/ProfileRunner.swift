import Counters
import Foundation
import Support

/// Runs the measurement methodology over a list of entries on the calling thread (which the
/// caller has pinned): chunks of entries are built, measured in interleaved passes, counted,
/// journaled, and released before the next chunk.
public struct ProfileRunner {
    public var budget: MeasurementBudget
    /// Counter events to read per entry (those known to count here).
    public var events: [String]
    /// A fixed reference workload (sgemm at the device's thread count), measured interleaved
    /// with every chunk: `percentOfPeak` divides by the peak of the same minutes, and the
    /// reference's drift over the run tells how steady the machine was.
    public var reference: ProfileWorkItem?
    /// Entries measured together in interleaved passes; a kill loses at most one chunk.
    public var chunkSize: Int
    /// Called after each chunk with (entries done, total, seconds elapsed).
    public var progress: (Int, Int, Double) -> Void

    public init(budget: MeasurementBudget, events: [String], reference: ProfileWorkItem?, chunkSize: Int = 16,
                progress: @escaping (Int, Int, Double) -> Void = { _, _, _ in }) {
        self.budget = budget
        self.events = events
        self.reference = reference
        self.chunkSize = max(chunkSize, 1)
        self.progress = progress
    }

    /// Measures every item whose key the journal does not hold yet; returns all entries in the
    /// order of `items`.
    public func run(_ items: [ProfileWorkItem], journal: ProfileJournal) throws -> [ProfileEntry] {
        let start = MonotonicClock.now()
        let pending = items.filter { journal.finished[$0.key] == nil }
        var done = items.count - pending.count
        progress(done, items.count, 0)
        let counters = events.isEmpty ? nil : try EventSet(events: events)
        var index = 0
        while index < pending.count {
            let chunk = Array(pending[index..<min(index + chunkSize, pending.count)])
            for entry in try measure(chunk, counters: counters) {
                try journal.append(entry)
            }
            index += chunk.count
            done += chunk.count
            progress(done, items.count, MonotonicClock.seconds(since: start))
        }
        return try items.map { item in
            guard let entry = journal.finished[item.key] else {
                throw HwnasError("entry \(item.key) was not measured")
            }
            return entry
        }
    }

    /// Measures one chunk: interleaved passes (alternating direction), then a counted run each.
    func measure(_ chunk: [ProfileWorkItem], counters: EventSet?) throws -> [ProfileEntry] {
        let probe = SpeedProbe()
        var samplers = try chunk.map { EntrySampler(workload: try $0.prepare(), probe: probe) }
        let referenceSampler = try reference.map { EntrySampler(workload: try $0.prepare(), probe: probe) }
        if let referenceSampler { samplers.append(referenceSampler) }
        let slice = budget.secondsPerEntry / Double(budget.passes)
        for pass in 0..<budget.passes {
            let order = pass % 2 == 0 ? Array(samplers.indices) : Array(samplers.indices.reversed())
            for i in order {
                try samplers[i].sample(for: slice, pass: pass, budget: budget)
            }
        }
        // Make-up passes for entries that lost slices to contention and are short of samples.
        for extra in 0..<budget.passes {
            let short = samplers.filter { $0.needsMakeUp(budget) }
            if short.isEmpty { break }
            for sampler in extra % 2 == 0 ? short : short.reversed() {
                try sampler.sample(for: slice, pass: budget.passes - 1, budget: budget)
            }
        }
        var peakGflops: Double?
        if let reference, let referenceSampler {
            let usable = referenceSampler.usableSamples(budget)
            let stats = EntryStatistics(secondsPerCall: usable.samples, callsPerSample: referenceSampler.callsPerSample)
            peakGflops = reference.flops / (stats.medianMs / 1000) / 1e9
        }
        return try zip(chunk, samplers).map { item, sampler in
            let usable = sampler.usableSamples(budget)
            var stats = EntryStatistics(secondsPerCall: usable.samples, callsPerSample: sampler.callsPerSample)
            stats.contendedSamples = usable.contendedDropped
            let counted = try count(sampler, counters: counters, medianSeconds: stats.medianMs / 1000)
            return ProfileEntry(
                key: item.key, flops: item.flops, bytes: item.bytes, stats: stats, counters: counted,
                derived: DerivedFigures(flops: item.flops, bytes: item.bytes, medianMs: stats.medianMs,
                                        peakGflops: peakGflops, counters: counted),
                involuntaryContextSwitches: sampler.involuntarySwitches, cpus: sampler.cpus.sorted())
        }
    }

    /// Counter values per call over about 5 ms of calls (at least one sample's worth).
    func count(_ sampler: EntrySampler, counters: EventSet?, medianSeconds: Double) throws -> [String: Double] {
        guard let counters, !counters.events.isEmpty else { return [:] }
        let calls = max(sampler.callsPerSample, Int((0.005 / max(medianSeconds, 1e-9)).rounded(.up)), 1)
        try counters.start()
        _ = try sampler.workload.measure(calls: calls)
        let values = try counters.stop()
        var result: [String: Double] = [:]
        for (name, value) in zip(counters.events, values) {
            result[name] = Double(value) / Double(calls)
        }
        return result
    }
}
