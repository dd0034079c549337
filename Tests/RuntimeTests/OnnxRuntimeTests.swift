import Foundation
import Onnx
import Support
import SuperNet
import Testing
@testable import Runtime

/// ONNX Runtime behind the seam: a worker in the Python of `.venv/` (or HWNAS_PYTHON). The
/// tests that need it are skipped, saying how to enable them, when that Python or its
/// onnxruntime is missing (`make setup` makes it).
enum OnnxRuntimeHarness {
    /// The package root (Tests/RuntimeTests/<this file> up three).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One runtime (one worker) for the whole suite, or why there is none.
    static let shared: Result<OnnxRuntime, HwnasError> = {
        do {
            let python = try PythonInterpreter.locate(workingFolder: root.path, executable: "")
            return .success(try OnnxRuntime(python: python))
        } catch let error as HwnasError {
            return .failure(error)
        } catch {
            return .failure(HwnasError("\(error)"))
        }
    }()

    static var available: Bool { (try? shared.get()) != nil }

    static var unavailable: Comment {
        if case .failure(let error) = shared { return Comment(rawValue: "ONNX Runtime tests skipped: \(error.message)") }
        return ""
    }

    static func runtime() throws -> OnnxRuntime { try shared.get() }
}

/// A block of each kind in every space: what the runtime under test prepares must compute the
/// native block (the worker compares before anything is timed) and time calls. Written once, so
/// that a new space or block kind is checked in every runtime on arrival.
enum RuntimeBlockChecker {
    /// One block per kind and space, at small sizes so the check stays quick.
    static func blocksOfEveryKind() -> [(space: String, block: Block)] {
        var found: [(String, Block)] = []
        for space in SearchSpaces.all {
            var settings = space.defaultSettings
            if settings.sequence != nil { settings.sequence = 16 }
            if space.name.hasPrefix("ofa") { settings.resolutions = [160] }
            var kinds = Set<String>()
            for block in space.distinctBlocks(settings: settings) where kinds.insert(block.kind).inserted {
                found.append((space.name, block))
            }
        }
        return found
    }

    static func check(_ runtime: any InferenceRuntime) throws {
        for (space, block) in blocksOfEveryKind() {
            let prepared = try runtime.prepare(block, options: ExecutionOptions(), seed: 7)
            let seconds = try prepared.measure(calls: 2)
            #expect(seconds > 0 && seconds < 5, "\(space) \(block.key): \(seconds) s for 2 calls")
        }
    }
}

@Suite(.serialized) struct OnnxRuntimeTests {
    @Test(.enabled(if: OnnxRuntimeHarness.available, OnnxRuntimeHarness.unavailable))
    func everyBlockKindComputesTheNativeBlockAndTimes() throws {
        let runtime = try OnnxRuntimeHarness.runtime()
        try RuntimeBlockChecker.check(runtime)
        // The native runtime passes the same checker.
        try RuntimeBlockChecker.check(NativeRuntime())
    }

    @Test(.enabled(if: OnnxRuntimeHarness.available, OnnxRuntimeHarness.unavailable))
    func wholeSubnetsComputeTheNativeLogits() throws {
        let runtime = try OnnxRuntimeHarness.runtime()
        var generator = SeededGenerator(seed: 5)
        for space in [MiniLML6Space() as any SearchSpace, OFAMobileNetV3Space()] {
            var settings = space.defaultSettings
            if settings.sequence != nil { settings.sequence = 16 }
            if space.name.hasPrefix("ofa") { settings.resolutions = [160] }
            let subnet = space.sample(using: &generator)
            let prepared = try runtime.prepare(subnet: subnet, space: space, settings: settings, options: ExecutionOptions(), seed: 3)
            let workload = try #require(prepared as? OnnxRuntimeWorkload)
            #expect(workload.maxAbsDifference <= OnnxRuntime.tolerance)
            #expect(try prepared.measure(calls: 1) > 0)
        }
    }

    /// More calls take longer: the worker runs what it is asked for, not a constant.
    @Test(.enabled(if: OnnxRuntimeHarness.available, OnnxRuntimeHarness.unavailable))
    func timeGrowsWithTheCalls() throws {
        let runtime = try OnnxRuntimeHarness.runtime()
        let block = MiniLML6Space().distinctBlocks(settings: SpaceSettings(sequence: 64)).first { $0.kind == "ffn" }!
        let prepared = try runtime.prepare(block, options: ExecutionOptions(), seed: 1)
        _ = try prepared.measure(calls: 3)
        let one = try (0..<5).map { _ in try prepared.measure(calls: 1) }.min()!
        let twenty = try (0..<3).map { _ in try prepared.measure(calls: 20) }.min()!
        #expect(twenty > 8 * one, "20 calls \(twenty) s, 1 call \(one) s")
    }

    @Test(.enabled(if: OnnxRuntimeHarness.available, OnnxRuntimeHarness.unavailable))
    func theDescriptionNamesVersionAndSessionOptions() throws {
        let runtime = try OnnxRuntimeHarness.runtime()
        let description = runtime.describe(options: ExecutionOptions(batch: 1, threads: 2))
        #expect(description.name == "onnxruntime")
        let pinned = try String(contentsOf: OnnxRuntimeHarness.root.appendingPathComponent("scripts/peers.txt"), encoding: .utf8)
        #expect(pinned.contains("onnxruntime==\(description.version)"), "the worker runs \(description.version), not the pinned one")
        #expect(description.options["intraOpThreads"] == "2")
        #expect(description.options["executionMode"] == "ORT_SEQUENTIAL")
        #expect(description.options["graphOptimizationLevel"] == "ORT_ENABLE_ALL")
        #expect(description.options["session.intra_op.allow_spinning"] == "0")
        #expect(description.options["session.set_denormal_as_zero"] == "1")
        #expect(description.deviceVariant == "ort")
        #expect(!runtime.runsInThisProcess)
        // A profile of this version finds this runtime; another version is refused, naming both.
        #expect(try Runtimes.named(description) is OnnxRuntime)
        var other = description
        other.version = "0.0.1"
        let error = #expect(throws: HwnasError.self) { try Runtimes.named(other) }
        #expect(error?.message.contains("0.0.1") == true)
        #expect(error?.message.contains(description.version) == true)
    }

    /// A model that does not compute the block, and a request the worker cannot serve, are
    /// refused by name; the worker keeps serving after either.
    @Test(.enabled(if: OnnxRuntimeHarness.available, OnnxRuntimeHarness.unavailable))
    func wrongModelsAndRequestsAreRefused() throws {
        let runtime = try OnnxRuntimeHarness.runtime()
        let space = MiniLML6Space()
        let blocks = space.distinctBlocks(settings: SpaceSettings(sequence: 16))
        let ffn = try RunnableBlock(blocks.first { $0.kind == "ffn" }!, seed: 1)
        ffn.run()
        var wrong = ffn.onnxOutput()
        if case .float(var values) = wrong.elements {
            values[0] += 1
            wrong.elements = .float(values)
        }
        let mismatch = #expect(throws: HwnasError.self) {
            try runtime.load(model: ffn.onnxModel(), inputs: ffn.onnxInputs(), expected: wrong, options: ExecutionOptions(), what: "block X")
        }
        #expect(mismatch?.message.contains("block X") == true)
        let unknown = #expect(throws: HwnasError.self) { try runtime.worker.request(["op": "measure", "id": 999_999, "calls": 1]) }
        #expect(unknown?.message.contains("KeyError") == true)
        // A failure while measuring names what was being measured.
        let prepared = try runtime.prepare(blocks.first { $0.kind == "pooler" }!, options: ExecutionOptions(), seed: 1)
        let workload = try #require(prepared as? OnnxRuntimeWorkload)
        _ = try runtime.worker.request(["op": "free", "id": workload.id])
        let freed = #expect(throws: HwnasError.self) { try workload.measure(calls: 1) }
        #expect(freed?.message.contains("measuring block pooler-") == true)
        #expect(try runtime.worker.request(["op": "hello"])["onnxruntime"] as? String == runtime.worker.versions.onnxRuntime)
    }

    /// A Python that dies, or one that is not there, says which and how to fix it.
    @Test func aMissingOrBrokenPythonIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("python")
        try "#!/bin/sh\necho 'no module named onnxruntime' >&2\nexit 1\n".write(to: broken, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: broken.path)
        let died = #expect(throws: HwnasError.self) { try OnnxRuntime(python: PythonInterpreter(path: broken.path)) }
        #expect(died?.message.contains(broken.path) == true)
        #expect(died?.message.contains("no module named onnxruntime") == true)
        #expect(died?.message.contains("make setup") == true)

        let notThere = #expect(throws: HwnasError.self) {
            try PythonInterpreter.locate(environment: [:], workingFolder: folder.path, executable: "")
        }
        #expect(notThere?.message.contains("HWNAS_PYTHON") == true)
        let badVariable = #expect(throws: HwnasError.self) {
            try PythonInterpreter.locate(environment: ["HWNAS_PYTHON": folder.appendingPathComponent("nope").path], workingFolder: folder.path, executable: "")
        }
        #expect(badVariable?.message.contains("nope") == true)
        // The working folder's .venv comes first, then the folders above the executable.
        let candidates = PythonInterpreter.candidates(workingFolder: "/w", executable: "/r/.build/release/hwnas")
        #expect(candidates.first == "/w/.venv/bin/python")
        #expect(candidates.contains("/r/.venv/bin/python"))
    }
}
