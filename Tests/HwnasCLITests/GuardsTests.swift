import Foundation
import Hardware
import HwnasTestSupport
import Testing

/// Option values, sizes and files that used to crash, hang, mislead or leave files behind, run
/// as a user would. Each test is named after the item of the issue it covers.
@Suite(.serialized) struct GuardsTests {
    /// The CSV of `count` OFA sub-networks of the predictor tests, written into `folder`.
    static func writeCSV(count: Int, named name: String, in folder: URL, accuracy: ((Int) -> String)? = nil) throws {
        try PredictorCommandTests.csv(count: count, accuracy: accuracy)
            .write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    static func expectUsageError(_ run: HwnasProcess.Run, naming parts: [String]) {
        #expect(run.status == 64, "\(run)")
        #expect(!run.timedOut, "\(run)")
        for part in parts { #expect(run.stderr.contains(part), "\(part) not in: \(run.stderr)") }
    }

    // MARK: - Item 8: option values that crashed

    @Test func item08_coresDashIsRefused() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for value in ["--cores=-", "--resolution=-"] {
            // --seq does not apply to the OFA space: a build that accepts the value stops there.
            let run = try HwnasProcess.run(["profile", "--space", "ofa-mbv3-w1.0", value, "--seq", "16",
                                            "--profiles-dir", "p", "--hardware-dir", "h", "--quiet"], in: folder, timeout: 30)
            Self.expectUsageError(run, naming: [value.components(separatedBy: "=")[0], "'-'"])
        }
    }

    @Test func item08_coresRangeBeyondTheMachineIsRefusedWithoutAllocating() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["profile", "--space", "bert-base", "--cores", "0-50000000", "--budget", "quick",
                                        "--profiles-dir", "p", "--hardware-dir", "h", "--quiet"], in: folder, timeout: 30)
        Self.expectUsageError(run, naming: ["--cores 0-50000000", "50000000", "not on this machine", "its PUs are"])
    }

    @Test func item08_hugePopulationIsRefusedNamingMemory() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["search", "--problem", "zdt1", "--population", "99999999999"], in: folder, timeout: 30)
        Self.expectUsageError(run, naming: ["--population 99999999999", "memory", "at most"])
        let generations = try HwnasProcess.run(["search", "--problem", "zdt1", "--population", "8", "--generations", "99999999999"],
                                               in: folder, timeout: 30)
        Self.expectUsageError(generations, naming: ["--generations 99999999999", "memory", "at most"])
    }

    @Test func item08_dtlzObjectivesCountIsLimited() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["search", "--problem", "dtlz1", "--objectives-count", "21",
                                        "--population", "8", "--generations", "2"], in: folder, timeout: 30)
        Self.expectUsageError(run, naming: ["--objectives-count 21", "at most 20", "20!"])
        let fine = try HwnasProcess.run(["search", "--problem", "dtlz1", "--objectives-count", "20",
                                         "--population", "8", "--generations", "2"], in: folder, timeout: 60)
        #expect(fine.status == 0, "\(fine)")
    }

    // MARK: - Item 14: values that meant something else

    @Test func item14_strictCoreAndResolutionLists() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Each used to be read as another value (core 1, core 0, all 25 resolutions); --seq, which
        // does not apply to the OFA space, stops a build that accepts them before it measures.
        for (value, flag) in [("--cores=-1", "--cores"), ("--cores=0-", "--cores"), ("--resolution=,,", "--resolution"),
                              ("--cores=0,,1", "--cores"), ("--resolution=224-228", "--resolution")] {
            let run = try HwnasProcess.run(["profile", "--space", "ofa-mbv3-w1.0", value, "--seq", "16",
                                            "--profiles-dir", "p", "--hardware-dir", "h", "--quiet"], in: folder, timeout: 30)
            Self.expectUsageError(run, naming: [flag, "'\(value.components(separatedBy: "=")[1])'"])
        }
    }

    // MARK: - Item 9: predictor fits that cannot finish

    @Test func item09_largeKernelRidgeFitIsRefusedQuickly() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeCSV(count: 12_000, named: "big.csv", in: folder)
        let start = Date()
        let run = try HwnasProcess.run(["predictor", "fit", "--space", "ofa-mbv3-w1.0", "--accuracy-data", "big.csv",
                                        "--out", "p.json"], in: folder, timeout: 40)
        #expect(run.status == 1, "\(run)")
        #expect(!run.timedOut, "\(run)")
        #expect(Date().timeIntervalSince(start) < 30)
        #expect(run.stderr.contains("kernel ridge regression takes at most 10000 rows at 5 folds, not 12000"), "\(run)")
        #expect(run.stderr.contains("--kind ridge"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("p.json").path))
    }

    @Test func item09_fitShowsProgressAndTakesOneFamily() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeCSV(count: 30, named: "a.csv", in: folder)
        let run = try HwnasProcess.run(["predictor", "fit", "--space", "ofa-mbv3-w1.0", "--accuracy-data", "a.csv",
                                        "--folds", "3", "--kind", "ridge", "--out", "p.json"], in: folder)
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.contains("predictor fit: "), "\(run)")
        #expect(run.stderr.contains(" fits"), "\(run)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("p.json"))) as? [String: Any])
        #expect((object["settings"] as? [String: Any])?["kinds"] as? [String] == ["ridge"])
        let quiet = try HwnasProcess.run(["predictor", "fit", "--space", "ofa-mbv3-w1.0", "--accuracy-data", "a.csv",
                                          "--folds", "3", "--kind", "ridge", "--out", "q.json", "--quiet"], in: folder)
        #expect(quiet.status == 0, "\(quiet)")
        #expect(quiet.stderr.isEmpty, "\(quiet)")
    }

    // MARK: - Item 10: files that gave nothing and exit 0

    @Test func item10_headerOnlyIsRefusedAndCROnlyIsRead() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try (PredictorCommandTests.header + "\n").write(to: folder.appendingPathComponent("header.csv"), atomically: true, encoding: .utf8)
        let empty = try HwnasProcess.run(["evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", "header.csv"], in: folder)
        #expect(empty.status == 1, "\(empty)")
        #expect(empty.stderr.contains("no sub-networks in"), "\(empty)")
        #expect(empty.stderr.contains("header.csv"), "\(empty)")

        let csv = PredictorCommandTests.csv(count: 3)
        try csv.replacingOccurrences(of: "\n", with: "\r").write(to: folder.appendingPathComponent("cr.csv"), atomically: true, encoding: .utf8)
        let cr = try HwnasProcess.run(["evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", "cr.csv", "--json"], in: folder)
        #expect(cr.status == 0, "\(cr)")
        let rows = try JSONSerialization.jsonObject(with: Data(cr.stdout.utf8)) as? [Any]
        #expect(rows?.count == 3, "\(cr)")
    }

    // MARK: - Item 12: a table of another machine beside measurements of this one

    @Test func item12_measuringWithAnotherMachinesTableSaysSo() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shipped = root.appendingPathComponent("profiles/amd-zen3-t1/ofa-mbv3-w1.0.lut.json")
        var text = try String(contentsOf: shipped, encoding: .utf8)
        let here = MachineID.derive(from: try CPUDescription.current())
        var tableMachine = "amd-zen3"
        if here == tableMachine {
            // On a Zen 3 the shipped table is of this machine: make the copy another machine's.
            text = text.replacingOccurrences(of: "\"amd-zen3\"", with: "\"intel-other\"")
            tableMachine = "intel-other"
        }
        try text.write(to: folder.appendingPathComponent("t.lut.json"), atomically: true, encoding: .utf8)
        try Self.writeCSV(count: 1, named: "one.csv", in: folder)
        let run = try HwnasProcess.run(["evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", "one.csv", "--lut", "t.lut.json",
                                        "--measure", "--budget", "quick", "--json"], in: folder, timeout: 120)
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.contains("warning: t.lut.json is a cost table of machine \(tableMachine), but this machine is \(here)"), "\(run)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["tableMachine"] as? String == tableMachine, "\(run)")
        #expect(rows.first?["measuredLatencyMs"] is Double)

        let textRun = try HwnasProcess.run(["evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", "one.csv", "--lut", "t.lut.json",
                                            "--measure", "--budget", "quick"], in: folder, timeout: 120)
        #expect(textRun.status == 0, "\(textRun)")
        #expect(textRun.stdout.contains("table machine"), "\(textRun)")
        #expect(textRun.stdout.contains(tableMachine), "\(textRun)")
    }

    // MARK: - Item 16: raw messages

    @Test func item16_hugeAccuracyIsRefusedWhenRead() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeCSV(count: 30, named: "a.csv", in: folder) { $0 == 2 ? "1e300" : "75.5" }
        let run = try HwnasProcess.run(["predictor", "fit", "--space", "ofa-mbv3-w1.0", "--accuracy-data", "a.csv",
                                        "--folds", "3", "--out", "p.json"], in: folder)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("a.csv: line 4: column 'Top-1 Acc (%)' is 1e+300"), "\(run)")
        #expect(!run.stderr.contains("EncodingError"), "\(run)")
    }

    @Test func item16_fileWhereAFolderIsExpectedIsNamed() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeCSV(count: 30, named: "a.csv", in: folder)
        try Data().write(to: folder.appendingPathComponent("plain"))
        let run = try HwnasProcess.run(["predictor", "fit", "--space", "ofa-mbv3-w1.0", "--accuracy-data", "a.csv",
                                        "--folds", "3", "--out", "plain/sub/p.json"], in: folder)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("plain is a file, not a folder"), "\(run)")
        #expect(!run.stderr.contains("NSCocoaErrorDomain"), "\(run)")
    }

    @Test func item16_byteOrderMarkIsNotPartOfTheFirstColumn() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bom = Data([0xEF, 0xBB, 0xBF])
        try (bom + Data(PredictorCommandTests.csv(count: 2).utf8)).write(to: folder.appendingPathComponent("bom.csv"))
        let genes = "\"ks\":[\(Array(repeating: "3", count: 20).joined(separator: ","))],\"e\":[\(Array(repeating: "4", count: 20).joined(separator: ","))],\"d\":[2,2,2,2,2],\"r\":224"
        try (bom + Data("{\(genes)}\n".utf8)).write(to: folder.appendingPathComponent("bom.jsonl"))
        for (file, count) in [("bom.csv", 2), ("bom.jsonl", 1)] {
            let run = try HwnasProcess.run(["evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", file, "--json"], in: folder)
            #expect(run.status == 0, "\(run)")
            #expect((try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [Any])?.count == count, "\(run)")
        }
        // The accuracy column of a BOM CSV is read too.
        try (bom + Data(PredictorCommandTests.csv(count: 30).utf8)).write(to: folder.appendingPathComponent("acc.csv"))
        let fit = try HwnasProcess.run(["predictor", "fit", "--space", "ofa-mbv3-w1.0", "--accuracy-data", "acc.csv",
                                        "--folds", "3", "--kind", "ridge", "--out", "p.json"], in: folder)
        #expect(fit.status == 0, "\(fit)")
    }

    // MARK: - Item 17: accuracies out of range, a journal left behind, --out a folder

    @Test(arguments: ["-5", "500"])
    func item17_accuracyOutOfRangeIsRefused(value: String) throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeCSV(count: 30, named: "a.csv", in: folder) { $0 == 4 ? value : "75.5" }
        let run = try HwnasProcess.run(["predictor", "fit", "--space", "ofa-mbv3-w1.0", "--accuracy-data", "a.csv",
                                        "--folds", "3", "--out", "p.json"], in: folder)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("a.csv: line 6: column 'Top-1 Acc (%)' is \(Double(value)!)"), "\(run)")
        #expect(run.stderr.contains("0 to 100"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("p.json").path))
    }

    @Test func item17_interruptedMeasureLeavesNoJournal() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeCSV(count: 200, named: "many.csv", in: folder)
        let process = Process()
        // A test runner may start children with SIGINT ignored; a terminal's Ctrl-C reaches a
        // process whose SIGINT does its default, so env restores that (and execs, keeping the pid).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--default-signal=INT,TERM", try HwnasProcess.binary().path,
                             "evaluate", "--space", "ofa-mbv3-w1.0", "--subnets", "many.csv", "--measure", "--budget", "quick", "--json"]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let journal = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("hwnas-evaluate-\(process.processIdentifier).journal")
        defer { try? FileManager.default.removeItem(at: journal) }
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: journal.path), process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(FileManager.default.fileExists(atPath: journal.path), "the measurement never started")
        Thread.sleep(forTimeInterval: 0.5)
        process.interrupt()
        let killer = Thread {
            Thread.sleep(forTimeInterval: 30)
            if process.isRunning { process.terminate() }
        }
        killer.start()
        process.waitUntilExit()
        // 130 either way: the exit status hwnas gives, or death by SIGINT (2) without handling it.
        #expect(process.terminationStatus == 130 || process.terminationStatus == SIGINT,
                "reason \(process.terminationReason.rawValue), status \(process.terminationStatus)")
        #expect(!FileManager.default.fileExists(atPath: journal.path), "\(journal.path) was left behind")
    }

    @Test func item17_outFolderFailsBeforeTheFit() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeCSV(count: 30, named: "a.csv", in: folder)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("out"), withIntermediateDirectories: true)
        let run = try HwnasProcess.run(["predictor", "fit", "--space", "ofa-mbv3-w1.0", "--accuracy-data", "a.csv",
                                        "--folds", "3", "--out", "out"], in: folder)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("--out out is a folder"), "\(run)")
        #expect(!run.stderr.contains("fitting on"), "\(run)")
    }
}
