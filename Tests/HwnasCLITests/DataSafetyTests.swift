import Foundation
import Hardware
import HwnasTestSupport
import Testing

/// Nothing measured is lost or misread: existing profiles, tables and calibrated descriptors are
/// replaced only with --force, and what is read back from files is checked. Each test works on
/// copies of the shipped files in a temporary folder.
@Suite(.serialized) struct DataSafetyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A temporary folder holding copies of shipped files (paths relative to the repository).
    static func folder(copying paths: [String]) throws -> URL {
        let folder = try HwnasProcess.makeFolder()
        for path in paths {
            let target = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: root.appendingPathComponent(path), to: target)
        }
        return folder
    }

    /// Rewrites a JSON file through `edit`.
    static func edit(_ url: URL, to target: URL? = nil, _ edit: (inout [String: Any]) throws -> Void) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        try edit(&object)
        try FileManager.default.createDirectory(at: (target ?? url).deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: target ?? url)
    }

    static func bytes(_ url: URL) throws -> Data {
        try Data(contentsOf: url)
    }

    static let bertSubnet = "{\"num_layers\":6,\"num_attention_heads\":[\(Array(repeating: "12", count: 12).joined(separator: ","))],"
        + "\"intermediate_size\":[\(Array(repeating: "1024", count: 12).joined(separator: ","))]}\n"

    @Test func item01_tablesRefusesToReplaceAValidatedTable() throws {
        let profile = "profiles/amd-zen3-t1/bert-base.profile.json"
        let lut = "profiles/amd-zen3-t1/bert-base.lut.json"
        let folder = try Self.folder(copying: [profile, lut])
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try Self.bytes(folder.appendingPathComponent(lut))

        let refused = try HwnasProcess.run(["tables", "--profile", profile, "--validate", "0", "--profiles-dir", "profiles"], in: folder)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains(lut) && refused.stderr.contains("--force"), "\(refused)")
        #expect(refused.stderr.contains("validated on 200"), "\(refused)")
        #expect(try Self.bytes(folder.appendingPathComponent(lut)) == before, "the validated table was replaced")
        // Refused before anything is measured: a validating run says the same, not "another machine".
        let validating = try HwnasProcess.run(["tables", "--profile", profile, "--validate", "4", "--profiles-dir", "profiles"], in: folder)
        #expect(validating.status == 1 && validating.stderr.contains("--force"), "\(validating)")

        let forced = try HwnasProcess.run(["tables", "--profile", profile, "--validate", "0", "--profiles-dir", "profiles",
                                           "--export", "csv", "--force"], in: folder)
        #expect(forced.status == 0, "\(forced)")
        #expect(forced.stdout.contains("not validated"), "\(forced)")
        // An unvalidated table is kept as well.
        let again = try HwnasProcess.run(["tables", "--profile", profile, "--validate", "0", "--profiles-dir", "profiles"], in: folder)
        #expect(again.status == 1 && again.stderr.contains("not validated") && again.stderr.contains("--force"), "\(again)")
    }

    @Test func item02_hardwareKeepsACalibratedDescriptorAndTheXMLItRead() throws {
        let folder = try Self.folder(copying: ["hardware/amd-zen3.json", "hardware/amd-zen3.topology.xml"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("hardware/amd-zen3.json")
        let xml = folder.appendingPathComponent("hardware/amd-zen3.topology.xml")
        let (jsonBefore, xmlBefore) = (try Self.bytes(json), try Self.bytes(xml))

        let refused = try HwnasProcess.run(["hardware", "--from-xml", "hardware/amd-zen3.topology.xml"], in: folder)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("hardware/amd-zen3.json") && refused.stderr.contains("--force"), "\(refused)")
        #expect(try Self.bytes(json) == jsonBefore && (try Self.bytes(xml)) == xmlBefore)

        let forced = try HwnasProcess.run(["hardware", "--from-xml", "hardware/amd-zen3.topology.xml", "--force", "--quiet"], in: folder)
        #expect(forced.status == 0, "\(forced)")
        #expect(try Self.bytes(xml) == xmlBefore, "the XML read was rewritten")
        let here = MachineID.derive(from: try CPUDescription.current())
        let written = try MachineDescriptor.read(from: json)
        #expect(written.calibration == nil)
        if here != "amd-zen3" {
            #expect(written.buildTarget == "unknown" && written.build == .unknown, "\(written.build)")
            let shown = try HwnasProcess.run(["hardware", "--show", "hardware/amd-zen3.json"], in: folder)
            #expect(shown.status == 0 && shown.stdout.contains("build     unknown"), "\(shown)")
        }

        // This machine: a calibrated descriptor of it is refused before calibrating.
        try Self.edit(folder.appendingPathComponent("hardware/amd-zen3.json"), to: folder.appendingPathComponent("hw/\(here).json")) {
            $0["id"] = here
            $0["calibration"] = try #require(try JSONSerialization.jsonObject(with: jsonBefore) as? [String: Any])["calibration"]
        }
        let mine = try Self.bytes(folder.appendingPathComponent("hw/\(here).json"))
        let start = Date()
        let calibrating = try HwnasProcess.run(["hardware", "--calibration", "quick", "--events", "perf::TASK-CLOCK", "--hardware-dir", "hw"],
                                               in: folder, timeout: 120)
        #expect(calibrating.status == 1 && calibrating.stderr.contains("hw/\(here).json") && calibrating.stderr.contains("--force"),
                "\(calibrating)")
        #expect(Date().timeIntervalSince(start) < 10, "refused only after calibrating")
        #expect(try Self.bytes(folder.appendingPathComponent("hw/\(here).json")) == mine)
    }

    @Test func item03_profileRefusesToReplaceAFinishedProfile() throws {
        let here = MachineID.derive(from: try CPUDescription.current())
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("profiles/\(here)-t1/bert-base.profile.json")
        // A finished profile of this device at sequence 128 (the shipped one, renamed).
        try Self.edit(Self.root.appendingPathComponent("profiles/amd-zen3-t1/bert-base.profile.json"), to: output) {
            $0["device"] = "\(here)-t1"
        }
        let before = try Self.bytes(output)
        let arguments = ["profile", "--space", "bert-base", "--seq", "16", "--budget", "quick", "--calibration", "quick",
                         "--hardware-dir", "hw", "--profiles-dir", "profiles", "--events", "perf::TASK-CLOCK"]
        let start = Date()
        let refused = try HwnasProcess.run(arguments, in: folder, timeout: 300)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("profiles/\(here)-t1/bert-base.profile.json") && refused.stderr.contains("--force"), "\(refused)")
        #expect(refused.stderr.contains("sequence 128"), "\(refused)")
        #expect(Date().timeIntervalSince(start) < 10, "refused only after measuring")
        #expect(try Self.bytes(output) == before)
        #expect(!FileManager.default.fileExists(atPath: output.path + ".journal"))

        let forced = try HwnasProcess.run(arguments + ["--force", "--quiet"], in: folder, timeout: 300)
        #expect(forced.status == 0, "\(forced)")
        let replaced = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        #expect((replaced["settings"] as? [String: Any])?["sequence"] as? Int == 16)
    }

    @Test func item03_aTableSaysWhenItsProfileChanged() throws {
        let folder = try Self.folder(copying: ["profiles/amd-zen3-t1/bert-base.profile.json"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = "profiles/amd-zen3-t1/bert-base.profile.json"
        let built = try HwnasProcess.run(["tables", "--profile", profile, "--validate", "0", "--profiles-dir", "tables", "--quiet"], in: folder)
        #expect(built.status == 0, "\(built)")
        let lut = "tables/amd-zen3-t1/bert-base.lut.json"
        let table = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(lut))) as? [String: Any])
        #expect((table["profileSha256"] as? [String: String])?[profile]?.count == 64, "\(table["profileSha256"] ?? "none")")
        try Self.bertSubnet.write(to: folder.appendingPathComponent("s.jsonl"), atomically: true, encoding: .utf8)
        let evaluate = ["evaluate", "--space", "bert-base", "--subnets", "s.jsonl", "--lut", lut]

        let unchanged = try HwnasProcess.run(evaluate, in: folder)
        #expect(unchanged.status == 0 && !unchanged.stderr.contains("changed"), "\(unchanged)")

        // The profile is measured again (here: one entry edited): every use of the table says so.
        try Self.edit(folder.appendingPathComponent(profile)) { object in
            var entries = try #require(object["entries"] as? [[String: Any]])
            var stats = try #require(entries[1]["stats"] as? [String: Any])
            stats["medianMs"] = (stats["medianMs"] as? Double ?? 1) * 2
            entries[1]["stats"] = stats
            object["entries"] = entries
        }
        let changed = try HwnasProcess.run(evaluate, in: folder)
        #expect(changed.status == 0, "\(changed)")
        #expect(changed.stderr.contains("warning: \(profile) changed since the cost table \(lut)"), "\(changed)")

        // Tables made before the hashes were recorded read as before, without a word.
        let shipped = try HwnasProcess.run(["evaluate", "--space", "bert-base", "--subnets", "s.jsonl",
                                            "--lut", Self.root.appendingPathComponent("profiles/amd-zen3-t1/bert-base.lut.json").path], in: folder)
        #expect(shipped.status == 0 && !shipped.stderr.contains("changed"), "\(shipped)")
    }

    @Test func item07_namesReadFromFilesAreValidatedLikeTheCommandLine() throws {
        let folder = try Self.folder(copying: ["profiles/amd-zen3-t1/bert-base.profile.json", "profiles/amd-zen3-t1/bert-base.lut.json",
                                               "hardware/amd-zen3.json"])
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.edit(folder.appendingPathComponent("profiles/amd-zen3-t1/bert-base.profile.json"), to: folder.appendingPathComponent("evil.profile.json")) {
            $0["device"] = "../../x"
        }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("deep/a"), withIntermediateDirectories: true)
        let tables = try HwnasProcess.run(["tables", "--profile", "evil.profile.json", "--validate", "0", "--profiles-dir", "deep/a"], in: folder)
        #expect(tables.status == 1, "\(tables)")
        #expect(tables.stderr.contains("evil.profile.json") && tables.stderr.contains("field 'device'"), "\(tables)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x").path), "wrote outside --profiles-dir")

        try Self.edit(folder.appendingPathComponent("profiles/amd-zen3-t1/bert-base.profile.json"), to: folder.appendingPathComponent("space.profile.json")) {
            $0["space"] = "../bert-base"
        }
        let space = try HwnasProcess.run(["tables", "--profile", "space.profile.json", "--validate", "0", "--profiles-dir", "t"], in: folder)
        #expect(space.status == 1 && space.stderr.contains("space.profile.json") && space.stderr.contains("field 'space'"), "\(space)")

        try Self.edit(folder.appendingPathComponent("profiles/amd-zen3-t1/bert-base.lut.json"), to: folder.appendingPathComponent("evil.lut.json")) {
            $0["device"] = "../x-t1"
        }
        try Self.bertSubnet.write(to: folder.appendingPathComponent("s.jsonl"), atomically: true, encoding: .utf8)
        let evaluate = try HwnasProcess.run(["evaluate", "--space", "bert-base", "--subnets", "s.jsonl", "--lut", "evil.lut.json"], in: folder)
        #expect(evaluate.status == 1 && evaluate.stderr.contains("evil.lut.json") && evaluate.stderr.contains("field 'device'"), "\(evaluate)")

        try Self.edit(folder.appendingPathComponent("hardware/amd-zen3.json")) { $0["id"] = "../../etc/x" }
        let show = try HwnasProcess.run(["hardware", "--show", "hardware/amd-zen3.json"], in: folder)
        #expect(show.status == 1 && show.stderr.contains("amd-zen3.json") && show.stderr.contains("field 'id'"), "\(show)")
    }

    @Test func item13_tablesRefusesToMergeProfilesOfOtherSettings() throws {
        let profile = "profiles/amd-zen3-t1/bert-base.profile.json"
        let folder = try Self.folder(copying: [profile])
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [(String, (inout [String: Any]) throws -> Void)] = [
            ("threads", { object in
                var settings = try #require(object["settings"] as? [String: Any])
                settings["threads"] = 2
                settings["cores"] = [0, 1]
                object["settings"] = settings
            }),
            ("sequence", { object in
                var settings = try #require(object["settings"] as? [String: Any])
                settings["sequence"] = 64
                object["settings"] = settings
            }),
            ("gemm", { object in
                var settings = try #require(object["settings"] as? [String: Any])
                settings["gemm"] = "blas"
                object["settings"] = settings
            }),
            ("machine", { object in
                var machine = try #require(object["machine"] as? [String: Any])
                machine["id"] = "intel-icelakex"
                object["machine"] = machine
            }),
        ]
        for (field, change) in cases {
            let other = "other-\(field).profile.json"
            try Self.edit(folder.appendingPathComponent(profile), to: folder.appendingPathComponent(other), change)
            let run = try HwnasProcess.run(["tables", "--profile", profile, "--profile", other, "--validate", "0",
                                            "--profiles-dir", "tables-\(field)"], in: folder)
            #expect(run.status == 1, "\(field): \(run)")
            #expect(run.stderr.contains(other) && run.stderr.contains("bert-base.profile.json") && run.stderr.contains(field), "\(field): \(run)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("tables-\(field)").path))
        }
    }

    @Test func item15_aTruncatedTableIsNamedAsSuch() throws {
        let folder = try Self.folder(copying: ["profiles/amd-zen3-t1/bert-base.lut.json", "profiles/amd-zen3-t1/bert-base.profile.json",
                                               "profiles/amd-zen3-t2/bert-base.lut.json"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let lut = folder.appendingPathComponent("profiles/amd-zen3-t1/bert-base.lut.json")
        try Self.bytes(lut).prefix(2000).write(to: lut)
        let search = try HwnasProcess.run(["search", "--space", "bert-base", "--device", "amd-zen3-t1", "--objectives", "latency,macs:max",
                                           "--profiles-dir", "profiles", "--results-dir", "r", "--population", "8", "--generations", "2"], in: folder)
        #expect(search.status == 1, "\(search)")
        #expect(search.stderr.contains("profiles/amd-zen3-t1/bert-base.lut.json") && search.stderr.contains("truncated"), "\(search)")
        #expect(!search.stderr.contains("has no cost table"), "\(search)")
        let compare = try HwnasProcess.run(["compare", "--space", "bert-base", "--device", "amd-zen3-t1", "--device", "amd-zen3-t2",
                                            "--objectives", "latency,macs:max", "--profiles-dir", "profiles", "--results-dir", "r"], in: folder)
        #expect(compare.status == 1, "\(compare)")
        #expect(compare.stderr.contains("profiles/amd-zen3-t1/bert-base.lut.json") && compare.stderr.contains("truncated"), "\(compare)")
        #expect(!compare.stderr.contains("has no cost table"), "\(compare)")
    }

    @Test func item17_valuesReadFromTablesAndProfilesAreChecked() throws {
        let lut = "profiles/amd-zen3-t1/bert-base.lut.json"
        let profile = "profiles/amd-zen3-t1/bert-base.profile.json"
        let folder = try Self.folder(copying: [lut, profile])
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.bertSubnet.write(to: folder.appendingPathComponent("s.jsonl"), atomically: true, encoding: .utf8)
        func evaluate(_ file: String) throws -> HwnasProcess.Run {
            try HwnasProcess.run(["evaluate", "--space", "bert-base", "--subnets", "s.jsonl", "--lut", file], in: folder)
        }

        try Self.edit(folder.appendingPathComponent(lut), to: folder.appendingPathComponent("slope.lut.json")) { object in
            object["calibration"] = ["a": -1.0, "b": 0.0]
        }
        let slope = try evaluate("slope.lut.json")
        #expect(slope.status == 1, "\(slope)")
        #expect(slope.stderr.contains("slope.lut.json") && slope.stderr.contains("calibration.a"), "\(slope)")
        #expect(!slope.stdout.contains("-"), "a negative latency was printed: \(slope)")

        try Self.edit(folder.appendingPathComponent(lut), to: folder.appendingPathComponent("median.lut.json")) { object in
            var entries = try #require(object["entries"] as? [[String: Any]])
            entries[1]["medianMs"] = -3.0
            object["entries"] = entries
        }
        let median = try evaluate("median.lut.json")
        #expect(median.status == 1, "\(median)")
        #expect(median.stderr.contains("median.lut.json") && median.stderr.contains("mha-seq:128-hidden:768-heads:6")
            && median.stderr.contains("medianMs"), "\(median)")

        try Self.edit(folder.appendingPathComponent(profile), to: folder.appendingPathComponent("p90.profile.json")) { object in
            var entries = try #require(object["entries"] as? [[String: Any]])
            var stats = try #require(entries[2]["stats"] as? [String: Any])
            stats["p90Ms"] = 0.0
            entries[2]["stats"] = stats
            object["entries"] = entries
        }
        let tables = try HwnasProcess.run(["tables", "--profile", "p90.profile.json", "--validate", "0", "--profiles-dir", "t"], in: folder)
        #expect(tables.status == 1, "\(tables)")
        #expect(tables.stderr.contains("p90.profile.json") && tables.stderr.contains("p90Ms"), "\(tables)")
    }
}
