import Foundation
import HwnasTestSupport
import Testing

/// `--runtime onnxruntime` as a user runs it: a device of its own (`-ort`), no counters, tables
/// validated in the same runtime; refusals of what does not apply. The runs that need ONNX
/// Runtime are skipped, saying how to enable them, without the Python `make setup` makes.
@Suite(.serialized) struct OnnxRuntimeDeviceTests {
    /// Why ONNX Runtime cannot run here, or nil.
    static var unavailable: String? { OnnxPython.unavailable }

    static var comment: Comment { Comment(rawValue: unavailable.map { "skipped: \($0)" } ?? "") }

    @Test(.enabled(if: unavailable == nil, comment))
    func anOnnxRuntimeProfileIsADeviceOfItsOwnAndItsTableValidatesInIt() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(["profile", "--space", "minilm-l6", "--seq", "16", "--runtime", "onnxruntime",
                                        "--budget", "quick", "--calibration", "quick", "--hardware-dir", "hw", "--profiles-dir", "profiles"],
                                       in: folder, timeout: 300)
        #expect(run.status == 0, "\(run)")
        let device = "\(try ProfileCommandTests.machineID(folder))-t1-ort"
        let profile = try ProfileCommandTests.profile(folder, device: device, space: "minilm-l6")
        #expect((profile["counterScope"] as? String)?.hasPrefix("none") == true)
        let settings = try #require(profile["settings"] as? [String: Any])
        #expect((settings["events"] as? [String])?.isEmpty == true)
        let runtime = try #require(settings["runtime"] as? [String: Any])
        #expect(runtime["name"] as? String == "onnxruntime")
        #expect((runtime["options"] as? [String: String])?["executionMode"] == "ORT_SEQUENTIAL")
        let entries = try #require(profile["entries"] as? [[String: Any]])
        #expect(entries.count == 11)
        for entry in entries {
            #expect((entry["counters"] as? [String: Any] ?? [:]).isEmpty)
            let median = (entry["stats"] as? [String: Any])?["medianMs"] as? Double ?? 0
            #expect(median > 0, "\(entry["key"] ?? "?")")
        }

        let path = "profiles/\(device)/minilm-l6.profile.json"
        let native = try HwnasProcess.run(["tables", "--profile", path, "--validate", "4", "--budget", "quick", "--runtime", "native",
                                           "--profiles-dir", "profiles"], in: folder)
        #expect(native.status != 0)
        #expect(native.stderr.contains("measured with onnxruntime"), "\(native)")
        let tables = try HwnasProcess.run(["tables", "--profile", path, "--validate", "4", "--budget", "quick", "--runtime", "onnxruntime",
                                           "--profiles-dir", "profiles", "--json"], in: folder, timeout: 300)
        #expect(tables.status == 0, "\(tables)")
        let table = try Data(contentsOf: folder.appendingPathComponent("profiles/\(device)/minilm-l6.lut.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: table) as? [String: Any])
        #expect(((object["settings"] as? [String: Any])?["runtime"] as? [String: Any])?["name"] as? String == "onnxruntime")
        #expect((object["validation"] as? [String: Any]) != nil)

        // The listing names the runtime that ran the table, not the machine's BLAS.
        let devices = try HwnasProcess.run(["devices", "--hardware-dir", "hw", "--profiles-dir", "profiles"], in: folder)
        #expect(devices.status == 0, "\(devices)")
        let line = devices.stdout.split(separator: "\n").first { $0.contains("minilm-l6") && $0.contains("table") }
        #expect(line?.contains("(onnxruntime \(runtime["version"] as? String ?? "?"))") == true, "\(devices.stdout)")
        #expect(line?.contains("OpenBLAS") == false, "\(devices.stdout)")
    }

    /// The worker killed mid-profile: hwnas stops naming the block, the journal keeps the chunks
    /// measured; a journal of another ONNX Runtime version is not resumed; the same version is.
    @Test(.enabled(if: unavailable == nil, comment))
    func aWorkerThatDiesKeepsTheJournalAndAnotherVersionIsNotResumed() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let python = try #require(OnnxPython.path)
        // A Python that says where it runs, so that the test can kill the worker.
        let wrapper = folder.appendingPathComponent("python")
        try "#!/bin/sh\necho $$ > \"\(folder.path)/worker.pid\"\nexec \"\(python)\" \"$@\"\n"
            .write(to: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        let device = "\(try ProfileCommandTests.machineID(folder))-t1-ort"
        let arguments = ["profile", "--space", "ofa-mbv3-w1.0", "--resolution", "128", "--runtime", "onnxruntime", "--budget", "quick",
                         "--calibration", "quick", "--hardware-dir", "hw", "--profiles-dir", "profiles"]
        let journal = folder.appendingPathComponent("profiles/\(device)/ofa-mbv3-w1.0.profile.json.journal")

        let process = Process()
        process.executableURL = try HwnasProcess.binary()
        process.arguments = arguments + ["--quiet"]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["HWNAS_PYTHON"] = wrapper.path
        environment["HWNAS_LOCK_DIR"] = folder.appendingPathComponent("locks").path
        process.environment = environment
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let lines = HwnasProcess.waitForLines(in: journal, atLeast: 2, while: process, timeout: 240)
        let pid = try #require(Int32(String(contentsOf: folder.appendingPathComponent("worker.pid"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(pid, SIGKILL)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(lines >= 2, "the journal never got an entry")
        #expect(process.terminationStatus != 0)
        #expect(stderr.contains("measuring block ") || stderr.contains("loading block "), "\(stderr)")
        #expect(stderr.contains("ONNX Runtime worker"), "\(stderr)")
        let kept = ((try? String(contentsOf: journal, encoding: .utf8)) ?? "").split(separator: "\n").count
        #expect(kept >= lines, "the journal lost what was measured")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("profiles/\(device)/ofa-mbv3-w1.0.profile.json").path))

        // The journal as another ONNX Runtime version would have written it: refused.
        let written = try String(contentsOf: journal, encoding: .utf8)
        let version = try #require(try ProfileCommandTests.onnxRuntimeVersion(python: python))
        var header = String(written.prefix { $0 != "\n" })
        #expect(header.contains(version), "\(header)")
        header = header.replacingOccurrences(of: version, with: "0.0.1")
        try (header + written.drop { $0 != "\n" }).write(to: journal, atomically: true, encoding: .utf8)
        let refused = try HwnasProcess.run(arguments, in: folder, timeout: 120)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--restart"), "\(refused)")
        try written.write(to: journal, atomically: true, encoding: .utf8)
        let resumed = try HwnasProcess.run(arguments, in: folder, timeout: 300)
        #expect(resumed.status == 0, "\(resumed)")
        let entries = try #require(try ProfileCommandTests.profile(folder, device: device, space: "ofa-mbv3-w1.0")["entries"] as? [[String: Any]])
        let expected: Int = 2 + 5 * 2 * 9 + 4  // the space's distinct blocks at 128 px
        #expect(entries.count == expected)
    }

    /// A Python that cannot run ONNX Runtime stops the profile before anything is written,
    /// naming the Python and what to do.
    @Test func aBrokenPythonIsNamedAndNothingIsWritten() throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let python = folder.appendingPathComponent("python")
        try "#!/bin/sh\necho 'ModuleNotFoundError: onnxruntime' >&2\nexit 1\n".write(to: python, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: python.path)
        let run = try HwnasProcess.run(["profile", "--space", "minilm-l6", "--seq", "16", "--runtime", "onnxruntime", "--budget", "quick",
                                        "--calibration", "quick", "--hardware-dir", "hw", "--profiles-dir", "profiles"],
                                       in: folder, environment: ["HWNAS_PYTHON": python.path])
        #expect(run.status != 0)
        #expect(run.stderr.contains(python.path) && run.stderr.contains("make setup"), "\(run)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("profiles").path))
    }

    @Test(arguments: [
        (["profile", "--space", "minilm-l6", "--runtime", "tensorrt"], "'tensorrt'"),
        (["profile", "--space", "minilm-l6", "--runtime", "onnxruntime", "--gemm", "blas"], "--gemm"),
        (["profile", "--space", "minilm-l6", "--runtime", "onnxruntime", "--events", "PAPI_TOT_CYC"], "--events"),
        (["evaluate", "--space", "minilm-l6", "--subnets", "x.jsonl", "--runtime", "onnxruntime"], "--measure"),
        (["tables", "--profile", "x.json", "--runtime", "tvm"], "'tvm'"),
    ])
    func optionsThatDoNotApplyAreRefused(arguments: [String], named: String) throws {
        let folder = try HwnasProcess.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try HwnasProcess.run(arguments, in: folder)
        #expect(run.status != 0)
        #expect(run.stderr.contains(named), "\(run)")
    }
}
