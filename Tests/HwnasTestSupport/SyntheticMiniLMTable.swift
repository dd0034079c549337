import CostModel
import Foundation
import Hardware
import Profiler
import Support
import SuperNet

/// A minilm-l6 cost table of a test device, built from a synthetic profile: each block costs
/// 0.02 ms plus its MACs at 10 GMAC/s, attention `attentionScale` times that.
public enum SyntheticMiniLMTable {
    /// This machine, described once per test process.
    public static let machine: MachineDescriptor = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-synthetic-table-\(getpid()).xml")
        try! Topology.current().exportXML(to: url)
        return try! MachineDescriber().describe(xml: url).0
    }()

    /// The table, as built from a profile at `profile` (default: a path under /tmp).
    public static func table(device: String = "test-t1", attentionScale: Double = 1, profile profileURL: URL? = nil) throws -> CostTable {
        let space = MiniLML6Space()
        let settings = space.defaultSettings
        let entries = space.distinctBlocks(settings: settings).map { block in
            var ms = 0.02 + Double(block.macs) / 1e7
            if case .attention = block { ms *= attentionScale }
            var stats = EntryStatistics(secondsPerCall: Array(repeating: ms / 1000, count: 8), callsPerSample: 1)
            stats.medianMs = ms
            return ProfileEntry(key: block.key, flops: 1, bytes: 1, stats: stats, counters: [:],
                                derived: DerivedFigures(flops: 1, bytes: 1, medianMs: ms, peakGflops: nil, counters: [:]),
                                involuntaryContextSwitches: 0, cpus: [0])
        }
        let profileSettings = ProfileSettings(threads: 1, cores: [0], batch: 1, budget: .quick, sequence: settings.sequence,
                                              resolutions: settings.resolutions, events: [])
        let profile = Profile(space: space.name, device: device, machine: machine, settings: profileSettings,
                              counterScope: "", events: [],
                              noise: NoiseRecord(loadAverageBefore: [], loadAverageAfter: [], involuntaryContextSwitches: 0,
                                                 entriesSeenOnSeveralCPUs: 0, unstableEntries: 0, referenceGflops: []),
                              entries: entries, durationSeconds: 0)
        return try CostTable(profiles: [(profileURL ?? URL(fileURLWithPath: "/tmp/\(device).minilm-l6.profile.json"), profile)])
    }
}
