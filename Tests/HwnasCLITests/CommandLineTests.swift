import Counters
import Foundation
import Hardware
import HwnasTestSupport
import Testing

/// The real `hwnas` binary, run as a subprocess: exit status, stdout, stderr and the files it writes.
///
/// Serialized: each run describes the machine (pinning a thread, probing counters).
@Suite(.serialized) struct CommandLineTests {
    typealias Run = HwnasProcess.Run

    static func hwnas(_ arguments: [String], in folder: URL, timeout: TimeInterval = 60) throws -> Run {
        try HwnasProcess.run(arguments, in: folder, timeout: timeout)
    }

    static func makeFolder() throws -> URL {
        try HwnasProcess.makeFolder()
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    // MARK: - Tests

    @Test func version() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.hwnas(["--version"], in: folder)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.hasPrefix("hwnas 0.1.0"), "\(run)")
        #expect(run.stdout.contains(BuildTarget.current.cpu), "\(run)")
    }

    @Test func hardwareHelpHasExamples() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.hwnas(["hardware", "--help"], in: folder)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("Examples"), "\(run)")
        #expect(run.stdout.contains("--calibration"), "\(run)")
        #expect(run.stdout.contains("--from-xml"), "\(run)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "--help must write nothing")
    }

    @Test func hardwareWritesTheDescriptorAndTheTopology() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let hardware = folder.appendingPathComponent("out/hw")
        let run = try Self.hwnas(["hardware", "--calibration", "none", "--json", "--hardware-dir", hardware.path], in: folder)
        try #require(run.status == 0, "\(run)")
        let printed = try Self.json(run.stdout)
        let id = try #require(printed["id"] as? String)
        #expect(id == MachineID.derive(from: try CPUDescription.current()))
        #expect(printed["calibration"] == nil || printed["calibration"] is NSNull)
        #expect(printed["source"] as? String == "this machine")
        let papi = try #require(printed["papi"] as? [String: Any])
        let events = try #require(papi["events"] as? [[String: Any]])
        #expect(events.compactMap { $0["name"] as? String } == EventProbe.defaultEvents)

        let jsonURL = hardware.appendingPathComponent("\(id).json")
        let written = try MachineDescriptor.read(from: jsonURL)
        let fromStdout = try JSONDecoder().decode(MachineDescriptor.self, from: Data(run.stdout.utf8))
        #expect(written == fromStdout)
        #expect(written.id == id)
        #expect(try String(contentsOf: jsonURL, encoding: .utf8) == run.stdout)

        let xmlURL = hardware.appendingPathComponent("\(id).topology.xml")
        let xml = try String(contentsOf: xmlURL, encoding: .utf8)
        #expect(xml.hasPrefix("<?xml"))
        #expect(try Topology.load(xml: xmlURL).summary == written.topology)
        #expect(try FileManager.default.contentsOfDirectory(atPath: hardware.path).sorted()
            == ["\(id).json", "\(id).topology.xml"])
        // Nothing is written in the working folder besides what was asked for.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out"])
    }

    @Test func hardwarePrintsASummaryWithoutJSON() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.hwnas(["hardware", "--calibration", "none", "--events", "perf::TASK-CLOCK",
                                  "--hardware-dir", "hw"], in: folder)
        try #require(run.status == 0, "\(run)")
        let id = MachineID.derive(from: try CPUDescription.current())
        #expect(run.stdout.contains("machine   \(id)"), "\(run)")
        #expect(run.stdout.contains("roofline  not measured"), "\(run)")
        #expect(run.stdout.contains("wrote hw/\(id).json and hw/\(id).topology.xml"), "\(run)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("hw/\(id).json").path))
    }

    @Test func quietPrintsNothing() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.hwnas(["hardware", "--calibration", "none", "--events", "perf::TASK-CLOCK", "--quiet",
                                  "--hardware-dir", "hw"], in: folder)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.isEmpty, "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("hw").path)
        #expect(files.count == 2, "\(files)")
    }

    @Test func fromXMLDescribesTheExportedTopology() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("first")
        let run = try Self.hwnas(["hardware", "--calibration", "none", "--events", "perf::TASK-CLOCK", "--json",
                                  "--hardware-dir", first.path], in: folder)
        try #require(run.status == 0, "\(run)")
        let id = try #require(try Self.json(run.stdout)["id"] as? String)
        let xml = first.appendingPathComponent("\(id).topology.xml")

        let second = folder.appendingPathComponent("second")
        let fromXML = try Self.hwnas(["hardware", "--from-xml", xml.path, "--hardware-dir", second.path, "--json"], in: folder)
        try #require(fromXML.status == 0, "\(fromXML)")
        let printed = try Self.json(fromXML.stdout)
        #expect(printed["calibration"] == nil || printed["calibration"] is NSNull, "\(fromXML)")
        let source = try #require(printed["source"] as? String)
        #expect(source.hasPrefix("xml:"))
        #expect(source == "xml:\(xml.path)")
        let topology = try Topology.current()
        if topology.packageInfo("CPUVendor") != nil, topology.packageInfo("CPUFamilyNumber") != nil,
           topology.packageInfo("CPUModelNumber") != nil {
            #expect(printed["id"] as? String == id)
        }
        let secondID = try #require(printed["id"] as? String)
        let descriptor = try MachineDescriptor.read(from: second.appendingPathComponent("\(secondID).json"))
        #expect(descriptor.calibration == nil)
        #expect(descriptor.papi == nil)
        #expect(descriptor.topology == topology.summary)
        #expect(FileManager.default.fileExists(atPath: second.appendingPathComponent("\(secondID).topology.xml").path))
    }

    @Test func missingXMLFails() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.hwnas(["hardware", "--from-xml", "/nonexistent.xml", "--hardware-dir", "hw"], in: folder)
        #expect(run.status != 0, "\(run)")
        #expect(!run.timedOut)
        #expect(run.stderr.contains("/nonexistent.xml"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("hw").path),
                "nothing may be written on failure")
    }

    @Test func garbageXMLFails() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let garbage = folder.appendingPathComponent("garbage.xml")
        try Data("this is not an hwloc topology\n".utf8).write(to: garbage)
        let run = try Self.hwnas(["hardware", "--from-xml", garbage.path, "--hardware-dir", "hw"], in: folder)
        #expect(run.status != 0, "\(run)")
        #expect(run.stderr.contains(garbage.path), "\(run)")
        #expect(run.stdout.isEmpty, "\(run)")
    }

    @Test func hardwareDirUnderARegularFileFails() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("file.txt")
        try Data("x".utf8).write(to: file)
        let target = file.appendingPathComponent("hw")
        let run = try Self.hwnas(["hardware", "--calibration", "none", "--hardware-dir", target.path], in: folder)
        #expect(run.status != 0, "\(run)")
        #expect(run.stderr.contains(target.path), "\(run)")
        #expect(try String(contentsOf: file, encoding: .utf8) == "x")
    }

    @Test func hardwareDirThatIsARegularFileFails() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("file.txt")
        try Data("x".utf8).write(to: file)
        let run = try Self.hwnas(["hardware", "--calibration", "none", "--hardware-dir", file.path], in: folder)
        #expect(run.status != 0, "\(run)")
        #expect(run.stderr.contains(file.path), "\(run)")
    }

    @Test func unknownEventFails() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.hwnas(["hardware", "--calibration", "none", "--events", "perf::TASK-CLOCK,NOT_AN_EVENT",
                                  "--hardware-dir", "hw"], in: folder)
        #expect(run.status != 0, "\(run)")
        #expect(run.stderr.contains("NOT_AN_EVENT"), "\(run)")
        #expect(run.stdout.isEmpty, "\(run)")
    }

    @Test func emptyEventListFails() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.hwnas(["hardware", "--calibration", "none", "--events", " , ", "--hardware-dir", "hw"], in: folder)
        #expect(run.status != 0, "\(run)")
        #expect(run.stderr.contains("--events"), "\(run)")
    }

    @Test func showPrintsASavedDescriptor() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.hwnas(["hardware", "--calibration", "none", "--events", "perf::TASK-CLOCK", "--json",
                                  "--hardware-dir", "hw"], in: folder)
        try #require(run.status == 0, "\(run)")
        let id = try #require(try Self.json(run.stdout)["id"] as? String)
        let saved = folder.appendingPathComponent("hw/\(id).json")

        let summary = try Self.hwnas(["hardware", "--show", saved.path], in: folder)
        #expect(summary.status == 0, "\(summary)")
        #expect(summary.stdout.contains("machine   \(id)"), "\(summary)")
        #expect(!summary.stdout.contains("wrote"), "--show writes nothing: \(summary)")

        let json = try Self.hwnas(["hardware", "--show", saved.path, "--json"], in: folder)
        #expect(json.status == 0, "\(json)")
        #expect(json.stdout == run.stdout, "--show --json prints the saved descriptor as it was written")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("hw").path).count == 2)
    }

    @Test func showOfABadFileFailsNamingIt() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.json")
        let run = try Self.hwnas(["hardware", "--show", missing.path], in: folder)
        #expect(run.status != 0, "\(run)")
        #expect(run.stderr.contains(missing.path), "\(run)")

        let truncated = folder.appendingPathComponent("truncated.json")
        try Data(#"{"schemaVersion": 1, "id": "amd-"#.utf8).write(to: truncated)
        let bad = try Self.hwnas(["hardware", "--show", truncated.path], in: folder)
        #expect(bad.status != 0, "\(bad)")
        #expect(bad.stderr.contains(truncated.path), "\(bad)")

        let both = try Self.hwnas(["hardware", "--show", truncated.path, "--from-xml", "x.xml"], in: folder)
        #expect(both.status != 0, "\(both)")
        #expect(both.stderr.contains("--show"), "\(both)")
    }
}
