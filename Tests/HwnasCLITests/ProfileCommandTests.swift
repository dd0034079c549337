import Foundation
import HwnasTestSupport
import Testing

/// `hwnas profile` run as a user would: the file, its entries, resuming after a kill, bad input.
@Suite(.serialized) struct ProfileCommandTests {
    static let quick = ["--budget", "quick", "--calibration", "quick", "--hardware-dir", "hw", "--events", "perf::TASK-CLOCK,PAPI_TOT_CYC"]

    static func profile(_ folder: URL, device: String = "amd-zen3-t1", space: String) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent("profiles/\(device)/\(space).profile.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The onnxruntime version `python` imports.
    static func onnxRuntimeVersion(python: String) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import onnxruntime; print(onnxruntime.__version__)"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? text.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    static func machineID(_ folder: URL) throws -> String {
        let run = try HwnasProcess.run(["hardware", "--calibration", "none", "--json", "--hardware-dir", "hw-id"], in: folder)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return try #require(object["id"] as? String)
    }

    @Test func bertProfileHasEveryEntryOnceWithConsistentStatistics() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["profile", "--space", "bert-base", "--seq", "32", "--profiles-dir", "profiles"] + Self.quick,
                                       in: folder, timeout: 300)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("wrote profiles/"), "\(run.stdout)")
        let device = "\(try Self.machineID(folder))-t1"
        let profile = try Self.profile(folder, device: device, space: "bert-base")
        #expect(profile["schemaVersion"] as? Int == 1)
        #expect(profile["space"] as? String == "bert-base")
        #expect(profile["device"] as? String == device)
        #expect((profile["machine"] as? [String: Any])?["id"] as? String != nil)
        let settings = try #require(profile["settings"] as? [String: Any])
        #expect(settings["sequence"] as? Int == 32 && settings["threads"] as? Int == 1 && settings["batch"] as? Int == 1)
        // The kernels that ran and the denormal rule are recorded (issue 13).
        #expect(settings["flushDenormals"] as? Bool == true)
        let runtime = try #require(settings["runtime"] as? [String: Any])
        let variants = try #require(runtime["kernelVariants"] as? [String: String], "\(runtime)")
        let avx512 = (profile["machine"] as? [String: Any]).flatMap { ($0["build"] as? [String: Any])?["features"] as? [String] }?
            .contains("avx512f") == true
        #expect(variants["gemm"] == (avx512 ? "avx512-8x32/avx2-4x24" : "avx2-4x24"), "\(variants)")
        #expect(variants["depthwise"] == (avx512 ? "avx512" : "avx2") && variants["elementwise"] == variants["depthwise"])
        #expect(variants["attention"] == (avx512 ? "avx512-fused/sgemm" : "sgemm"), "\(variants)")
        #expect((profile["counterScope"] as? String)?.isEmpty == false)
        let events = try #require(profile["events"] as? [[String: Any]])
        #expect(events.map { $0["name"] as? String } == ["perf::TASK-CLOCK", "PAPI_TOT_CYC"])
        let entries = try #require(profile["entries"] as? [[String: Any]])
        let keys = entries.compactMap { $0["key"] as? String }
        #expect(keys.count == 10 && Set(keys).count == 10)
        #expect(keys.contains("mha-seq:32-hidden:768-heads:6") && keys.contains("ffn-seq:32-hidden:768-inter:3072"))
        for entry in entries {
            let stats = try #require(entry["stats"] as? [String: Any])
            let (minMs, p10, median, p90) = (stats["minMs"] as! Double, stats["p10Ms"] as! Double,
                                             stats["medianMs"] as! Double, stats["p90Ms"] as! Double)
            #expect(minMs <= p10 && p10 <= median && median <= p90, "\(entry["key"]!)")
            #expect((stats["n"] as? Int ?? 0) >= 3)
            let counters = try #require(entry["counters"] as? [String: Double])
            #expect((counters["perf::TASK-CLOCK"] ?? 0) > 0)
        }
        // Finished: the journal is gone.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("profiles/\(device)/bert-base.profile.json.journal").path))
    }

    @Test func aKilledRunResumesToTheSameEntries() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let device = "\(try Self.machineID(folder))-t1"
        let arguments = ["profile", "--space", "ofa-mbv3-w1.0", "--resolution", "128", "--profiles-dir", "profiles"] + Self.quick
        let journal = folder.appendingPathComponent("profiles/\(device)/ofa-mbv3-w1.0.profile.json.journal")
        // Start, wait until at least one chunk is journaled, kill.
        let process = Process()
        process.executableURL = try HwnasProcess.binary()
        process.arguments = arguments + ["--quiet"]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let lines = HwnasProcess.waitForLines(in: journal, atLeast: 2, while: process, timeout: 120)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(lines >= 2, "the journal never got an entry")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("profiles/\(device)/ofa-mbv3-w1.0.profile.json").path))

        // Other settings are refused while the journal is there.
        let refused = try HwnasProcess.run(["profile", "--space", "ofa-mbv3-w1.0", "--resolution", "128", "--batch", "2",
                                            "--profiles-dir", "profiles"] + Self.quick, in: folder, timeout: 120)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--restart"), "\(refused)")

        let resumed = try HwnasProcess.run(arguments, in: folder, timeout: 300)
        #expect(resumed.status == 0, "\(resumed)")
        let entries = try #require(try Self.profile(folder, device: device, space: "ofa-mbv3-w1.0")["entries"] as? [[String: Any]])
        let keys = entries.compactMap { $0["key"] as? String }
        // The same set an uninterrupted run measures: the space's distinct blocks at 128 px.
        #expect(keys.count == 2 + 5 * 2 * 9 + 4)
        #expect(Set(keys).count == keys.count)
        #expect(keys.first == "stem-in:128x128x3-out:64x64x16-kernel:3-stride:2-act:hswish")
    }

    @Test(arguments: [
        (["--space", "resnet"], "unknown space 'resnet'"),
        (["--space", "ofa-mbv3-w1.0", "--resolution", "230"], "resolution 230"),
        (["--space", "bert-base", "--resolution", "224"], "--resolution does not apply"),
        (["--space", "bert-base", "--threads", "64"], "64"),
        (["--space", "bert-base", "--cores", "4096"], "PU 4096 is not on this machine"),
        (["--space", "bert-base", "--events", "NOT_AN_EVENT"], "NOT_AN_EVENT"),
        (["--space", "bert-base", "--device", "amd-zen3-x"], "device id"),
        (["--space", "bert-base", "--seq", "1000"], "sequence length 1000"),
    ])
    func badInputIsRefusedAndNothingIsWritten(arguments: [String], message: String) throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["profile", "--profiles-dir", "profiles", "--budget", "quick", "--calibration", "quick",
                                        "--hardware-dir", "hw"] + arguments, in: folder, timeout: 120)
        #expect(run.status != 0)
        #expect(run.stderr.contains(message), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("profiles").path), "\(arguments) wrote profiles/")
    }
}
