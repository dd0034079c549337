import Counters
import Foundation
import Hardware
import Runtime
import Support
import SuperNet

/// One profile run of a space on a device: validation, pinning, counters, the runner, the
/// journal, and the final file.
public struct ProfileSession {
    public var space: any SearchSpace
    public var device: DeviceID
    /// The settings, with the runtime's description stored in `runtime`.
    public var settings: ProfileSettings
    public var runtime: any InferenceRuntime
    public var machine: MachineDescriptor
    public var topology: Topology
    /// Called with (entries done, total, seconds elapsed).
    public var progress: (Int, Int, Double) -> Void

    public init(space: any SearchSpace, device: DeviceID, settings: ProfileSettings, runtime: any InferenceRuntime,
                machine: MachineDescriptor, topology: Topology, progress: @escaping (Int, Int, Double) -> Void = { _, _, _ in }) throws {
        try space.validate(settings.spaceSettings)
        guard settings.batch >= 1 else { throw HwnasError("--batch must be at least 1, not \(settings.batch)") }
        guard settings.threads == settings.cores.count else {
            throw HwnasError("\(settings.threads) threads need \(settings.threads) cores, but \(settings.cores.count) were given")
        }
        try PinnedDevice.validate(pus: settings.cores, topology: topology)
        try EventSet.checkKnown(settings.events)
        self.space = space
        self.device = device
        self.settings = settings
        self.settings.runtime = runtime.describe(options: settings.executionOptions)
        // This process's counters do not see a worker process's work: none are read.
        if !runtime.runsInThisProcess { self.settings.events = [] }
        self.settings.flushDenormals = DenormalMode.rule
        self.runtime = runtime
        self.machine = machine
        self.topology = topology
        self.progress = progress
    }

    /// The entries this session measures, in order.
    public var workItems: [ProfileWorkItem] {
        let options = settings.executionOptions
        return space.distinctBlocks(settings: settings.spaceSettings).map {
            ProfileWorkItem(block: $0, runtime: runtime, options: options)
        }
    }

    /// What must match for a journal to be resumed.
    public var fingerprint: String {
        let parts: [String] = [
            space.name, device.description, machine.id, machine.buildTarget, HwnasVersion.current,
            String(decoding: (try? JSONFormat.encode(settings)) ?? Data(), as: UTF8.self),
        ]
        return parts.joined(separator: "|")
    }

    /// The journal next to the output file.
    public static func journalURL(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".journal")
    }

    /// Measures every entry not yet in the journal, writes the profile atomically, removes the
    /// journal, and returns the profile.
    public func run(output: URL, restart: Bool) throws -> Profile {
        try AtomicFile.checkWritable(folder: output.deletingLastPathComponent())
        let journal = try ProfileJournal(url: Self.journalURL(for: output), fingerprint: fingerprint,
                                         kernelVariants: KernelVariants.label(settings.kernelVariants), restart: restart)
        let items = workItems
        let start = MonotonicClock.now()
        let loadBefore = NoiseRecord.loadAverage()
        let reference = ProfileWorkItem.sgemmReference(order: settings.threads == 1 ? 768 : 768 * 2)
        let (events, entries) = try PinnedDevice.run(pus: settings.cores, topology: topology) {
            () throws -> ([EventAvailability], [ProfileEntry]) in
            let events = try EventProbe.probe(settings.events)
            let runner = ProfileRunner(budget: settings.budget, events: events.filter(\.counts).map(\.name),
                                       reference: reference, progress: progress)
            return (events, try runner.run(items, journal: journal))
        }
        let migrations = entries.filter { $0.cpus.count > 1 }.count
        let noise = NoiseRecord(
            loadAverageBefore: loadBefore, loadAverageAfter: NoiseRecord.loadAverage(),
            involuntaryContextSwitches: entries.reduce(0) { $0 + $1.involuntaryContextSwitches },
            entriesSeenOnSeveralCPUs: migrations, unstableEntries: entries.filter(\.stats.unstable).count,
            referenceGflops: entries.compactMap(\.derived.peakGflops))
        let scope = !runtime.runsInThisProcess
            ? "none (the blocks run in the runtime's worker process)"
            : settings.threads == 1
            ? "measuring thread only (the block runs on it)"
            : "measuring thread only: the other \(settings.threads - 1) BLAS thread(s) are not counted"
        let profile = Profile(space: space.name, device: device.description, machine: machine, settings: settings,
                              counterScope: scope, events: events, noise: noise, entries: entries,
                              durationSeconds: MonotonicClock.seconds(since: start))
        try profile.write(to: output)
        journal.remove()
        return profile
    }
}
