import Foundation
import Optimization
import Search
import Support
import SuperNet
import Testing
import Workflows

/// The search plan run in-process, as `hwnas search --space` runs it: the same files and keys
/// the command-line tests check.
@Suite struct SpaceSearchRunTests {
    static let settings = NSGA2Settings(population: 20, generations: 8, seed: 1)
    static let latencyAndMACs = [ObjectiveSpec(kind: .latency), ObjectiveSpec(kind: .macs, sense: .maximize)]

    static func request(constraints: [SearchConstraint] = []) -> SearchRequest {
        SearchRequest(space: BertBaseSpace(), objectives: latencyAndMACs, constraints: constraints, settings: settings)
    }

    @Test func writesCSVJSONAndSVGPerDevice() throws {
        let devices = try SyntheticDevices()
        defer { devices.remove() }
        let recorder = RecordingReporter()
        var written: [String: [String]] = [:]
        let run = SpaceSearchRun(request: Self.request(), devices: ["amd-zen3-t1", "amd-zen3-t2"], catalog: devices.catalog,
                                 folder: devices.results)
        let sets = try run.run(reporter: recorder.reporter) { set, paths in written[set.device] = paths }
        #expect(sets.map(\.device) == ["amd-zen3-t1", "amd-zen3-t2"])
        for device in ["amd-zen3-t1", "amd-zen3-t2"] {
            let base = devices.results.appendingPathComponent("\(device).pareto")
            #expect(written[device]?.count == 3 && written[device]?.contains(base.appendingPathExtension("json").relativePath) == true)
            let csv = try String(contentsOf: base.appendingPathExtension("csv"), encoding: .utf8)
            #expect(csv.hasPrefix("Sub-network,Date,Model Parameters,Latency (ms),MACs,SST-2 Acc\n"))
            #expect(csv.contains("\"{'num_layers': ["))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathExtension("json"))) as? [String: Any])
            for key in ["space", "device", "objectives", "reference", "hypervolume", "hypervolumeHistory", "front", "provenance"] {
                #expect(json[key] != nil, "missing key \(key)")
            }
            #expect(json["objectives"] as? [String] == ["latency", "macs"])
            #expect(json["senses"] as? [String] == ["minimize", "maximize"])
            #expect((json["front"] as? [Any])?.count ?? 0 >= 2)
            let svg = try String(contentsOf: base.appendingPathExtension("svg"), encoding: .utf8)
            #expect(svg.contains("<svg") && svg.contains("Latency on \(device) (ms)"))
        }
        // Progress of both devices, ended after each; nothing printed by the workflow itself.
        #expect(recorder.progress.contains { $0.hasPrefix("searching bert-base on amd-zen3-t2: generation ") && $0.hasSuffix("on the front") })
        #expect(recorder.progressEnded == 2)
        #expect(recorder.warnings.isEmpty)
    }

    @Test func aSavedSetIsReplacedOnlyWhenForced() throws {
        let devices = try SyntheticDevices()
        defer { devices.remove() }
        var run = SpaceSearchRun(request: Self.request(), devices: ["amd-zen3-t1"], catalog: devices.catalog, folder: devices.results)
        _ = try run.run(reporter: .silent)
        #expect { try run.run(reporter: .silent) } throws: { error in
            let message = (error as? HwnasError)?.message ?? ""
            return message.contains("amd-zen3-t1.pareto.") && message.contains("already searched") && message.contains("--force")
        }
        run.force = true
        #expect(try run.run(reporter: .silent).count == 1)
    }

    @Test func planErrorsNameWhatIsMissing() throws {
        let devices = try SyntheticDevices()
        defer { devices.remove() }
        func refusal(_ request: SearchRequest, devices list: [String] = ["amd-zen3-t1"]) -> String {
            do {
                _ = try SpaceSearchRun(request: request, devices: list, catalog: devices.catalog, folder: devices.results).run(reporter: .silent)
                return ""
            } catch {
                return (error as? HwnasError)?.message ?? "\(error)"
            }
        }
        var accuracy = Self.request()
        accuracy.objectives = [ObjectiveSpec(kind: .accuracy), ObjectiveSpec(kind: .latency)]
        #expect(refusal(accuracy).contains("needs an accuracy source"))
        var both = Self.request()
        both.accuracyData = ["a.csv"]
        both.predictor = "p.json"
        #expect(refusal(both) == "give --accuracy-data or --predictor, not both")
        #expect(refusal(Self.request(), devices: ["amd-zen3-t9"]).contains("no device 'amd-zen3-t9'"))
        #expect(refusal(Self.request(), devices: []).contains("give at least one --device"))
        #expect(refusal(Self.request(constraints: [SearchConstraint(objective: .latency, bound: .max, value: 0.001)]))
            .contains("no sub-network of bert-base satisfies latency <= 0.001 ms"))
        // Nothing was written by a refused run.
        #expect(!FileManager.default.fileExists(atPath: devices.results.appendingPathComponent("amd-zen3-t1.pareto.json").path))
    }
}
