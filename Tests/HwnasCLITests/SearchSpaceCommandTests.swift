import Foundation
import HwnasTestSupport
import Testing

/// `hwnas search --space`, `hwnas compare` and `hwnas devices` on the shipped tables, as a user runs them.
@Suite struct SearchSpaceCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var profiles: String { root.appendingPathComponent("profiles").path }
    static var hardware: String { root.appendingPathComponent("hardware").path }
    static let small = ["--population", "20", "--generations", "8"]

    @Test func searchWritesCSVJSONAndSVGPerDevice() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["search", "--space", "bert-base", "--device", "amd-zen3-t1", "--device", "amd-zen3-t2",
                                        "--objectives", "latency,macs:max", "--profiles-dir", Self.profiles, "--results-dir", "r"] + Self.small, in: folder)
        #expect(run.status == 0, "\(run)")
        for device in ["amd-zen3-t1", "amd-zen3-t2"] {
            let base = folder.appendingPathComponent("r/bert-base/\(device).pareto")
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
        #expect(run.stdout.contains("amd-zen3-t2: "))
    }

    /// A bad option value is a usage error of the binary: exit 64, the usage line, the value named.
    /// (The other refusals are parsed and run in-process: OptionParsingTests.)
    @Test func aBadObjectiveIsAUsageError() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["search", "--space", "bert-base", "--device", "amd-zen3-t1", "--objectives", "latency,speed",
                                        "--profiles-dir", Self.profiles, "--results-dir", "r"] + Self.small, in: folder)
        #expect(run.status == 64, "\(run)")
        for part in ["'latency,speed'", "unknown objective 'speed'", "Usage: hwnas search"] {
            #expect(run.stderr.contains(part), "\(part) not in \(run)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("r").path))
    }

    @Test func aDeviceWithoutATableOfTheSpaceIsNamed() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let device = folder.appendingPathComponent("p/amd-zen3-t1")
        try FileManager.default.createDirectory(at: device, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("profiles/amd-zen3-t1/vit-b16.lut.json"),
                                         to: device.appendingPathComponent("vit-b16.lut.json"))
        let run = try HwnasProcess.run(["search", "--space", "bert-base", "--device", "amd-zen3-t1", "--objectives", "latency,macs",
                                        "--profiles-dir", "p"] + Self.small, in: folder)
        #expect(run.status != 0)
        #expect(run.stderr.contains("device 'amd-zen3-t1' has no cost table of 'bert-base' (it has tables of vit-b16)"), "\(run)")
    }

    @Test func aMalformedAccuracyRowIsNamed() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = "Sub-network,Date,Model Parameters,Latency (ms),MACs,Top-1 Acc (%)\n\"{'wid': None, 'ks': [3], 'e': [3], 'd': [2], 'r': [224]}\",2022-11-01,1,0,1,75.0\n"
        try csv.write(to: folder.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
        let run = try HwnasProcess.run(["search", "--space", "ofa-mbv3-w1.0", "--device", "amd-zen3-t1", "--objectives", "accuracy,latency",
                                        "--accuracy-data", "bad.csv", "--profiles-dir", Self.profiles] + Self.small, in: folder)
        #expect(run.status != 0)
        #expect(run.stderr.contains("bad.csv: line 2"), "\(run)")
    }

    @Test func compareWritesReportsAndDevicesListsTheTables() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["compare", "--space", "bert-base", "--device", "amd-zen3-t1", "--device", "amd-zen3-t2",
                                        "--objectives", "latency,macs:max", "--profiles-dir", Self.profiles, "--results-dir", "r",
                                        "--sample", "40"] + Self.small, in: folder)
        #expect(run.status == 0, "\(run)")
        for ext in ["md", "json", "svg", "blocks.svg"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("r/bert-base/compare-amd-zen3-t1-vs-amd-zen3-t2.\(ext)").path), "\(ext)")
        }
        #expect(run.stdout.contains("Kendall tau"))
        let devices = try HwnasProcess.run(["devices", "--profiles-dir", Self.profiles, "--hardware-dir", Self.hardware], in: folder)
        #expect(devices.status == 0, "\(devices)")
        #expect(devices.stdout.contains("amd-zen3-t2") && devices.stdout.contains("bert-base") && devices.stdout.contains("held-out"))
    }
}
