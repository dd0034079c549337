import Foundation
import Reports
import Search
import Support
import SuperNet
import Testing
import Workflows

/// The comparison run in-process, as `hwnas compare` runs it: reports per pair, saved sets
/// reused only when searched with the same settings, --force and --fresh.
@Suite struct ComparisonRunTests {
    static func run(_ devices: SyntheticDevices, _ ids: [String], constraints: [SearchConstraint] = [],
                    fresh: Bool = false, force: Bool = false) -> ComparisonRun {
        ComparisonRun(request: SpaceSearchRunTests.request(constraints: constraints), devices: ids, catalog: devices.catalog,
                      folder: devices.results, sampleSize: 40, fresh: fresh, force: force)
    }

    @Test func writesReportsAndSearchesTheMissingSets() throws {
        let ids = ["amd-zen3-t1", "amd-zen3-t2"]
        let devices = try SyntheticDevices(devices: ids)
        defer { devices.remove() }
        let recorder = RecordingReporter()
        let outcome = try Self.run(devices, ids).run(reporter: recorder.reporter)
        let base = "compare-amd-zen3-t1-vs-amd-zen3-t2"
        for ext in ["md", "json", "svg", "blocks.svg"] {
            #expect(FileManager.default.fileExists(atPath: devices.results.appendingPathComponent("\(base).\(ext)").path), "\(ext)")
        }
        #expect(outcome.written == [devices.results.appendingPathComponent("\(base).md").relativePath])
        let comparison = try #require(outcome.comparisons.first)
        #expect(outcome.comparisons.count == 1 && comparison.first == "amd-zen3-t1" && comparison.second == "amd-zen3-t2")
        #expect(comparison.findings.contains { $0.contains("Kendall tau") })
        // The report on disk is the one returned.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: devices.results.appendingPathComponent("\(base).json"))) as? [String: Any])
        #expect(json["devices"] as? [String] == ids)
        for key in ["space", "blocks", "kendallTau", "spearmanRho", "paretoOverlap", "hypervolumeLoss", "findings", "tables", "paretoSets"] {
            #expect(json[key] != nil, "missing key \(key)")
        }
        for device in ids {
            #expect(recorder.said.contains { $0.hasPrefix("searched \(device): ") && $0.contains("written to ") })
            #expect(FileManager.default.fileExists(atPath: devices.results.appendingPathComponent("\(device).pareto.json").path))
        }

        // Again: the saved sets are reused, nothing is searched.
        let again = RecordingReporter()
        _ = try Self.run(devices, ids).run(reporter: again.reporter)
        #expect(again.said.isEmpty && again.progress.isEmpty, "\(again.said)")
    }

    @Test func aSetOfOtherSettingsIsRefusedUnlessForcedOrFresh() throws {
        let ids = ["amd-zen3-t1", "amd-zen3-t2"]
        let devices = try SyntheticDevices(devices: ids)
        defer { devices.remove() }
        let bound = [SearchConstraint(objective: .latency, bound: .max, value: 150)]
        _ = try Self.run(devices, ids, constraints: bound).run(reporter: .silent)
        let saved = try Data(contentsOf: devices.results.appendingPathComponent("amd-zen3-t1.pareto.json"))
        #expect { try Self.run(devices, ids).run(reporter: .silent) } throws: { error in
            let message = (error as? HwnasError)?.message ?? ""
            return message.contains("amd-zen3-t1.pareto.json was searched with other settings")
                && message.contains("constraints: the set's are latency <= 150 ms, this run's none") && message.contains("--force")
        }
        // --fresh searches every device now and keeps the saved sets.
        let fresh = RecordingReporter()
        _ = try Self.run(devices, ids, fresh: true).run(reporter: fresh.reporter)
        #expect(fresh.said.contains { $0.hasPrefix("amd-zen3-t1: its saved set is not used") })
        #expect(fresh.said.contains { $0.hasPrefix("searched amd-zen3-t1: ") && !$0.contains("written") })
        #expect(try Data(contentsOf: devices.results.appendingPathComponent("amd-zen3-t1.pareto.json")) == saved)
        // --force replaces them.
        let forced = RecordingReporter()
        _ = try Self.run(devices, ids, force: true).run(reporter: forced.reporter)
        #expect(forced.said.contains { $0.hasPrefix("searched amd-zen3-t1: ") && $0.contains("written to") })
        #expect(try Data(contentsOf: devices.results.appendingPathComponent("amd-zen3-t1.pareto.json")) != saved)
    }

    @Test func threeDevicesGiveEveryPairAndASummary() throws {
        let ids = ["amd-zen3-t1", "amd-zen3-t2", "amd-zen3-t3"]
        let devices = try SyntheticDevices(devices: ids)
        defer { devices.remove() }
        let outcome = try Self.run(devices, ids).run(reporter: .silent)
        #expect(outcome.comparisons.map { "\($0.first)/\($0.second)" } == ["amd-zen3-t1/amd-zen3-t2", "amd-zen3-t1/amd-zen3-t3", "amd-zen3-t2/amd-zen3-t3"])
        #expect(outcome.written.last == devices.results.appendingPathComponent("compare-summary.md").relativePath)
        #expect(FileManager.default.fileExists(atPath: devices.results.appendingPathComponent("compare-summary.md").path))
    }

    @Test func aMissingTableIsRefusedBeforeAnythingIsWritten() throws {
        let devices = try SyntheticDevices(devices: ["amd-zen3-t1"])
        defer { devices.remove() }
        #expect { try Self.run(devices, ["amd-zen3-t1", "amd-zen3-t2"]).run(reporter: .silent) } throws: { error in
            ((error as? HwnasError)?.message ?? "").contains("no device 'amd-zen3-t2'")
        }
        #expect(!FileManager.default.fileExists(atPath: devices.results.path))
    }
}
