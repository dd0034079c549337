import Foundation
import Hardware
import Profiler
import SuperNet

/// A profile of this machine that nothing measured: every distinct block of a space gets the
/// latency a test gives it, with steady samples, so tables built from it are exact.
public enum SyntheticProfile {
    /// This machine, described once per test process.
    public static let machine: MachineDescriptor = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-synthetic-profile-\(getpid()).xml")
        try! Topology.current().exportXML(to: url)
        return try! MachineDescriber().describe(xml: url).0
    }()

    /// The profile of `space` at `settings` on `device`, each block taking `latency(block)` ms.
    public static func make(space: any SearchSpace, settings: SpaceSettings, device: String,
                            latency: (Block) -> Double) -> Profile {
        let entries = space.distinctBlocks(settings: settings).map { block in
            let ms = latency(block)
            var stats = EntryStatistics(secondsPerCall: Array(repeating: ms / 1000, count: 8), callsPerSample: 1)
            stats.medianMs = ms
            return ProfileEntry(key: block.key, flops: 1, bytes: 1, stats: stats, counters: [:],
                                derived: DerivedFigures(flops: 1, bytes: 1, medianMs: ms, peakGflops: nil, counters: [:]),
                                involuntaryContextSwitches: 0, cpus: [0])
        }
        let profileSettings = ProfileSettings(threads: 1, cores: [0], batch: 1, budget: .quick, sequence: settings.sequence,
                                              resolutions: settings.resolutions, events: [])
        return Profile(space: space.name, device: device, machine: machine, settings: profileSettings,
                       counterScope: "", events: [],
                       noise: NoiseRecord(loadAverageBefore: [], loadAverageAfter: [], involuntaryContextSwitches: 0,
                                          entriesSeenOnSeveralCPUs: 0, unstableEntries: 0, referenceGflops: []),
                       entries: entries, durationSeconds: 0)
    }
}
