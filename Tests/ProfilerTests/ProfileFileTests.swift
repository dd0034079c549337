import Foundation
import Hardware
import Support
import Testing
@testable import Profiler

/// Reading profiles back: round trip, and refusals that name the file.
@Suite struct ProfileFileTests {
    static func sample() throws -> Profile {
        let topology = try Topology.load(xml: try exportedXML())
        let (machine, _) = try MachineDescriber().describe(xml: try exportedXML())
        _ = topology
        let stats = EntryStatistics(secondsPerCall: [0.001, 0.0011, 0.0012, 0.001, 0.001, 0.0011], callsPerSample: 1)
        let entry = ProfileEntry(key: "ffn-seq:128-hidden:768-inter:1024", flops: 4e8, bytes: 1e7, stats: stats,
                                 counters: ["perf::TASK-CLOCK": 1e6],
                                 derived: DerivedFigures(flops: 4e8, bytes: 1e7, medianMs: stats.medianMs, peakGflops: 90, counters: [:]),
                                 involuntaryContextSwitches: 0, cpus: [0])
        let settings = ProfileSettings(threads: 1, cores: [0], batch: 1, budget: .quick, sequence: 128, resolutions: nil,
                                       events: ["perf::TASK-CLOCK"])
        let noise = NoiseRecord(loadAverageBefore: [0, 0, 0], loadAverageAfter: [0, 0, 0], involuntaryContextSwitches: 0,
                                entriesSeenOnSeveralCPUs: 0, unstableEntries: 0, referenceGflops: [90, 88])
        return Profile(space: "bert-base", device: "amd-zen3-t1", machine: machine, settings: settings,
                       counterScope: "measuring thread only", events: [], noise: noise, entries: [entry], durationSeconds: 1)
    }

    static func exportedXML() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-profile-topology-\(getpid()).xml")
        if !FileManager.default.fileExists(atPath: url.path) {
            try Topology.current().exportXML(to: url)
        }
        return url
    }

    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-\(UUID().uuidString)-\(name)")
    }

    @Test func roundTrip() throws {
        let profile = try Self.sample()
        let url = Self.temporary("p.profile.json")
        defer { try? FileManager.default.removeItem(at: url) }
        try profile.write(to: url)
        let read = try Profile.read(from: url, space: "bert-base")
        #expect(read == profile)
        #expect(read.noise.reference?.driftPercent ?? 0 > 2)
        #expect(read.entry("ffn-seq:128-hidden:768-inter:1024")?.derived.percentOfPeak != nil)
    }

    @Test func anotherSpaceIsRefused() throws {
        let url = Self.temporary("p.profile.json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.sample().write(to: url)
        #expect { try Profile.read(from: url, space: "ofa-mbv3-w1.0") } throws: { error in
            let message = (error as? HwnasError)?.message ?? ""
            return message.contains(url.path) && message.contains("'bert-base'")
        }
    }

    @Test func anotherSchemaOrATruncatedFileIsRefused() throws {
        let url = Self.temporary("p.profile.json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.sample().write(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        try text.replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : 7").write(to: url, atomically: true, encoding: .utf8)
        #expect { try Profile.read(from: url) } throws: { error in
            ((error as? HwnasError)?.message ?? "").contains("schema 7")
        }
        try String(text.prefix(text.count / 2)).write(to: url, atomically: true, encoding: .utf8)
        #expect { try Profile.read(from: url) } throws: { error in
            let message = (error as? HwnasError)?.message ?? ""
            return message.contains(url.path) && message.contains("truncated")
        }
    }
}
