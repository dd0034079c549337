import Foundation
import HwnasTestSupport
import Testing

/// Issue 11: saved Pareto sets are reused only when they can stand for the run (items 4, 5, 11),
/// concurrent runs cannot spoil each other (item 6), and compare names each device's machine.
@Suite(.serialized) struct ConcurrencyAndParetoTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var profiles: String { root.appendingPathComponent("profiles").path }
    static let small = ["--population", "20", "--generations", "8"]
    static let devices = ["--device", "amd-zen3-t1", "--device", "amd-zen3-t2"]

    static func search(_ extra: [String] = [], devices: [String] = devices, profiles: String = profiles, in folder: URL) throws -> HwnasProcess.Run {
        try HwnasProcess.run(["search", "--space", "bert-base"] + devices + ["--objectives", "latency,macs:max",
                             "--profiles-dir", profiles, "--results-dir", "r", "--quiet"] + small + extra, in: folder)
    }

    static func compare(_ extra: [String] = [], devices: [String] = devices, profiles: String = profiles, in folder: URL) throws -> HwnasProcess.Run {
        try HwnasProcess.run(["compare", "--space", "bert-base"] + devices + ["--objectives", "latency,macs:max",
                             "--profiles-dir", profiles, "--results-dir", "r", "--sample", "20"] + small + extra, in: folder)
    }

    static func set(_ folder: URL, _ device: String, _ ext: String) -> URL {
        folder.appendingPathComponent("r/bert-base/\(device).pareto.\(ext)")
    }

    /// The bytes of a device's three files, to tell whether they were rewritten.
    static func contents(_ folder: URL, _ device: String) -> [Data?] {
        ["json", "csv", "svg"].map { FileManager.default.contents(atPath: set(folder, device, $0).path) }
    }

    static func temporaries(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("r/bert-base").path).filter { $0.hasSuffix(".tmp") }
    }

    static func sha256(_ url: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [url.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    // MARK: item 4

    @Test func item04_compareSearchesOnlyTheMissingDeviceAndRefusesABrokenSet() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let searched = try Self.search(in: folder)
        #expect(searched.status == 0, "\(searched)")
        let t1 = Self.contents(folder, "amd-zen3-t1")

        // t2's set is missing: only t2 is searched; t1's set is reused, not rewritten.
        for ext in ["json", "csv", "svg"] { try FileManager.default.removeItem(at: Self.set(folder, "amd-zen3-t2", ext)) }
        let missing = try Self.compare(in: folder)
        #expect(missing.status == 0, "\(missing)")
        #expect(missing.stdout.contains("searched amd-zen3-t2") && !missing.stdout.contains("searched amd-zen3-t1"), "\(missing)")
        #expect(Self.contents(folder, "amd-zen3-t1") == t1, "t1's good set was rewritten")
        #expect(FileManager.default.fileExists(atPath: Self.set(folder, "amd-zen3-t2", "json").path))

        // A truncated set is refused, naming it and --force; nothing is rewritten.
        let t2 = Self.set(folder, "amd-zen3-t2", "json")
        let whole = try Data(contentsOf: t2)
        try whole.prefix(300).write(to: t2)
        let truncated = try Self.compare(in: folder)
        #expect(truncated.status == 1, "\(truncated)")
        #expect(truncated.stderr.contains("amd-zen3-t2.pareto.json") && truncated.stderr.contains("--force"), "\(truncated)")
        #expect(Self.contents(folder, "amd-zen3-t1") == t1)

        // Another schema is refused as well.
        var object = try JSONSerialization.jsonObject(with: whole) as! [String: Any]
        object["schemaVersion"] = 99
        try JSONSerialization.data(withJSONObject: object).write(to: t2)
        let schema = try Self.compare(in: folder)
        #expect(schema.status == 1 && schema.stderr.contains("schema 99") && schema.stderr.contains("--force"), "\(schema)")

        // --force searches the broken device again, and only it.
        let forced = try Self.compare(["--force"], in: folder)
        #expect(forced.status == 0, "\(forced)")
        #expect(forced.stdout.contains("searched amd-zen3-t2") && !forced.stdout.contains("searched amd-zen3-t1"), "\(forced)")
        #expect(Self.contents(folder, "amd-zen3-t1") == t1)
        #expect(try Self.json(t2)["schemaVersion"] as? Int == 1)
    }

    // MARK: item 5

    @Test func item05_aParetoSetIsWrittenJSONLastWithChecksumsAndNeverReplacedWithoutForce() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let device = ["--device", "amd-zen3-t1"]
        let first = try Self.search(devices: device, in: folder)
        #expect(first.status == 0, "\(first)")
        let json = Self.set(folder, "amd-zen3-t1", "json")
        let object = try Self.json(json)
        #expect(object["csvSha256"] as? String == (try Self.sha256(Self.set(folder, "amd-zen3-t1", "csv"))))
        #expect(object["svgSha256"] as? String == (try Self.sha256(Self.set(folder, "amd-zen3-t1", "svg"))))
        #expect(try Self.temporaries(folder).isEmpty)

        // A second search into the folder is refused, naming the file and the flag.
        let before = Self.contents(folder, "amd-zen3-t1")
        let again = try Self.search(devices: device, in: folder)
        #expect(again.status == 1, "\(again)")
        #expect(again.stderr.contains("r/bert-base/amd-zen3-t1.pareto.json") && again.stderr.contains("--force"), "\(again)")
        #expect(Self.contents(folder, "amd-zen3-t1") == before)

        // A temporary left by a killed run (its process gone) is removed by the next write.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = folder.appendingPathComponent("r/bert-base/.amd-zen3-t1.pareto.json.\(gone.processIdentifier).abcdef12.tmp")
        try Data("{".utf8).write(to: stale)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: stale.path)
        let forced = try Self.search(["--force", "--seed", "2"], devices: device, in: folder)
        #expect(forced.status == 0, "\(forced)")
        #expect(try Self.temporaries(folder).isEmpty)
        let replaced = Self.contents(folder, "amd-zen3-t1")
        #expect(replaced != before)

        // A write that fails (the SVG's name is taken by a folder) leaves the JSON as it was,
        // since the JSON is written last, and no temporary behind.
        let svg = Self.set(folder, "amd-zen3-t1", "svg")
        try FileManager.default.removeItem(at: svg)
        try FileManager.default.createDirectory(at: svg, withIntermediateDirectories: false)
        let failed = try Self.search(["--force", "--seed", "3"], devices: device, in: folder)
        #expect(failed.status == 1, "\(failed)")
        #expect(FileManager.default.contents(atPath: json.path) == replaced[0])
        #expect(try Self.temporaries(folder).isEmpty)
        try FileManager.default.removeItem(at: svg)
        try replaced[2]!.write(to: svg)

        // A CSV of another write beside this JSON: a mixed set, refused by name.
        try Data((String(decoding: replaced[1]!, as: UTF8.self) + "\"{}\",x,1,1,1,1\n").utf8).write(to: Self.set(folder, "amd-zen3-t1", "csv"))
        let mixed = try Self.compare(["--seed", "2"], in: folder)
        #expect(mixed.status == 1, "\(mixed)")
        #expect(mixed.stderr.contains("r/bert-base/amd-zen3-t1.pareto.csv") && mixed.stderr.contains("mixed"), "\(mixed)")
    }

    // MARK: item 6

    /// Starts `hwnas profile` in the background and waits until it holds its locks.
    static func startProfile(_ arguments: [String], in folder: URL, locks: URL, watch: URL) throws -> Process {
        let process = Process()
        process.executableURL = try HwnasProcess.binary()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging([HwnasProcess.lockFolderVariable: locks.path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Measuring: the journal has its header (calibration comes before it).
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning, !FileManager.default.fileExists(atPath: watch.path) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        return process
    }

    @Test func item06_twoProfilesOfOneDeviceCannotRunAtOnce() throws {
        let folder = try HwnasProcess.makeFolder()
        let locks = folder.appendingPathComponent("locks")
        defer { try? FileManager.default.removeItem(at: folder) }
        let machine = try HwnasProcess.run(["hardware", "--calibration", "none", "--json", "--hardware-dir", "hw-id"], in: folder)
        let id = try #require((try JSONSerialization.jsonObject(with: Data(machine.stdout.utf8)) as? [String: Any])?["id"] as? String)
        let quick = ["profile", "--space", "bert-base", "--seq", "16", "--budget", "quick", "--calibration", "quick",
                     "--hardware-dir", "hw", "--events", "perf::TASK-CLOCK", "--quiet"]
        let journal = folder.appendingPathComponent("a/\(id)-t1/bert-base.profile.json.journal")
        let first = try Self.startProfile(quick + ["--profiles-dir", "a", "--cores", "0"], in: folder, locks: locks, watch: journal)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() } }
        let pid = first.processIdentifier
        try #require(first.isRunning, "the first profile ended before the second started")

        // The same device folder, another PU: the writer lock refuses at once, naming the process.
        let sameDevice = try HwnasProcess.run(quick + ["--profiles-dir", "a", "--cores", "1"], in: folder, timeout: 30,
                                              environment: [HwnasProcess.lockFolderVariable: locks.path])
        #expect(sameDevice.status == 1, "\(sameDevice)")
        #expect(sameDevice.stderr.contains("a/\(id)-t1 is being written by another hwnas run (pid \(pid): hwnas profile --space bert-base"), "\(sameDevice)")

        // Another folder, the same PU: the PU lock refuses, naming the PU and the process.
        let samePU = try HwnasProcess.run(quick + ["--profiles-dir", "b", "--cores", "0"], in: folder, timeout: 30,
                                          environment: [HwnasProcess.lockFolderVariable: locks.path])
        #expect(samePU.status == 1, "\(samePU)")
        #expect(samePU.stderr.contains("PU 0 is measuring for another hwnas run (pid \(pid): hwnas profile"), "\(samePU)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("b/\(id)-t1/bert-base.profile.json.journal").path))

        // Once the holder is gone (however it ended), the locks are free: the same command resumes.
        kill(pid, SIGKILL)
        first.waitUntilExit()
        let resumed = try HwnasProcess.run(quick + ["--profiles-dir", "a", "--cores", "0"], in: folder, timeout: 300,
                                           environment: [HwnasProcess.lockFolderVariable: locks.path])
        #expect(resumed.status == 0, "\(resumed)")
    }

    @Test func item06_twoSearchesIntoOneResultsFolderCannotRunAtOnce() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // This process plays a search that is running: it holds the folder's lock as hwnas does.
        let lockFile = folder.appendingPathComponent("r/bert-base/.hwnas.lock")
        try FileManager.default.createDirectory(at: lockFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(lockFile.path, O_RDWR | O_CREAT, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let note = "pid \(getpid())\nhwnas search --space bert-base --device amd-zen3-t1\n"
        _ = note.withCString { write(fd, $0, strlen($0)) }

        let search = try Self.search(in: folder)
        #expect(search.status == 1, "\(search)")
        #expect(search.stderr.contains("r/bert-base is in use by another hwnas search or comparison (pid \(getpid()): hwnas search --space bert-base"), "\(search)")
        let compare = try Self.compare(in: folder)
        #expect(compare.status == 1 && compare.stderr.contains("pid \(getpid())"), "\(compare)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: lockFile.deletingLastPathComponent().path) == [".hwnas.lock"])

        flock(fd, LOCK_UN)
        let free = try Self.search(in: folder)
        #expect(free.status == 0, "\(free)")
    }

    // MARK: item 11

    @Test func item11_compareReusesASavedSetOnlyWithTheSameSettings() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Tables of our own, so that one can change.
        for device in ["amd-zen3-t1", "amd-zen3-t2"] {
            let target = folder.appendingPathComponent("p/\(device)")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.root.appendingPathComponent("profiles/\(device)/bert-base.lut.json"),
                                             to: target.appendingPathComponent("bert-base.lut.json"))
        }
        let tiny = ["--population", "8", "--generations", "2", "--max", "latency=150ms"]
        let searched = try HwnasProcess.run(["search", "--space", "bert-base"] + Self.devices + ["--objectives", "latency,macs:max",
                                             "--profiles-dir", "p", "--results-dir", "r", "--quiet"] + tiny, in: folder)
        #expect(searched.status == 0, "\(searched)")
        let saved = Self.contents(folder, "amd-zen3-t1")

        // Other population (and no constraint): refused, naming the set, the setting and both flags.
        let other = try Self.compare(profiles: "p", in: folder)
        #expect(other.status == 1, "\(other)")
        #expect(other.stderr.contains("r/bert-base/amd-zen3-t1.pareto.json was searched with other settings"), "\(other)")
        #expect(other.stderr.contains("population: the set's is 8, this run's 20"), "\(other)")
        #expect(other.stderr.contains("--force") && other.stderr.contains("--fresh"), "\(other)")
        let unconstrained = try HwnasProcess.run(["compare", "--space", "bert-base"] + Self.devices + ["--objectives", "latency,macs:max",
                                                  "--profiles-dir", "p", "--results-dir", "r", "--sample", "20",
                                                  "--population", "8", "--generations", "2"], in: folder)
        #expect(unconstrained.status == 1 && unconstrained.stderr.contains("constraints: the set's are latency <= 150 ms, this run's none"), "\(unconstrained)")

        // The same settings: reused as they are, nothing searched.
        let same = try Self.compare(tiny, profiles: "p", in: folder)
        #expect(same.status == 0, "\(same)")
        #expect(!same.stdout.contains("searched"), "\(same)")
        #expect(Self.contents(folder, "amd-zen3-t1") == saved)

        // The table changed since: refused, naming the table.
        let table = folder.appendingPathComponent("p/amd-zen3-t2/bert-base.lut.json")
        try (String(contentsOf: table, encoding: .utf8) + "\n").write(to: table, atomically: true, encoding: .utf8)
        let changed = try Self.compare(tiny, profiles: "p", in: folder)
        #expect(changed.status == 1, "\(changed)")
        #expect(changed.stderr.contains("amd-zen3-t2.pareto.json") && changed.stderr.contains("cost table: p/amd-zen3-t2/bert-base.lut.json is not the table"), "\(changed)")

        // --fresh searches now and keeps the saved sets; --force replaces the one that differs.
        let fresh = try Self.compare(tiny + ["--fresh"], profiles: "p", in: folder)
        #expect(fresh.status == 0, "\(fresh)")
        #expect(Self.contents(folder, "amd-zen3-t1") == saved)
        let forced = try Self.compare(tiny + ["--force"], profiles: "p", in: folder)
        #expect(forced.status == 0 && forced.stdout.contains("searched amd-zen3-t2") && !forced.stdout.contains("searched amd-zen3-t1"), "\(forced)")

        // A set of an older hwnas (no table checksum recorded): its table is unknown.
        let json = Self.set(folder, "amd-zen3-t1", "json")
        var object = try Self.json(json)
        var provenance = object["provenance"] as! [String: Any]
        provenance.removeValue(forKey: "tableSha256")
        object["provenance"] = provenance
        try JSONSerialization.data(withJSONObject: object).write(to: json)
        let old = try Self.compare(tiny, profiles: "p", in: folder)
        #expect(old.status == 1 && old.stderr.contains("cost table: unknown"), "\(old)")
    }

    // MARK: machines

    @Test func machines_compareSaysWhichMachineEachDeviceIs() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The shipped amd-zen3 table, and the same table as if measured on another machine.
        let source = Self.root.appendingPathComponent("profiles/amd-zen3-t1/bert-base.lut.json")
        for (device, machine) in [("amd-zen3-t1", "amd-zen3"), ("intel-icelakex-t1", "intel-icelakex")] {
            var table = try Self.json(source)
            var descriptor = table["machine"] as! [String: Any]
            descriptor["id"] = machine
            table["machine"] = descriptor
            table["device"] = device
            let target = folder.appendingPathComponent("p/\(device)")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            try JSONSerialization.data(withJSONObject: table).write(to: target.appendingPathComponent("bert-base.lut.json"))
        }
        let run = try Self.compare(devices: ["--device", "amd-zen3-t1", "--device", "intel-icelakex-t1"], profiles: "p", in: folder)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("amd-zen3-t1 (machine amd-zen3) vs intel-icelakex-t1 (machine intel-icelakex):"), "\(run)")
        #expect(run.stdout.contains("different machines"), "\(run)")
        let markdown = try String(contentsOf: folder.appendingPathComponent("r/bert-base/compare-amd-zen3-t1-vs-intel-icelakex-t1.md"), encoding: .utf8)
        #expect(markdown.contains("Machines: amd-zen3-t1 on amd-zen3, intel-icelakex-t1 on intel-icelakex (different machines)."))
        let report = try Self.json(folder.appendingPathComponent("r/bert-base/compare-amd-zen3-t1-vs-intel-icelakex-t1.json"))
        #expect(report["machines"] as? [String: String] == ["amd-zen3-t1": "amd-zen3", "intel-icelakex-t1": "intel-icelakex"])
    }
}
