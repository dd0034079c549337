import Foundation
import HwnasTestSupport

/// scripts/onnx_check.py run by the Python of `.venv/` (or `HWNAS_PYTHON`): ONNX's checker and
/// ONNX Runtime on model folders. Tests that need it are skipped, saying why, when that Python
/// or its onnx and onnxruntime packages are missing.
enum OnnxCheckScript {
    struct Result: Decodable {
        struct Output: Decodable {
            var name: String
            var shape: [Int]
            var maxAbsDifference: Double
            var maxAbsExpected: Double
            var argmaxAgreement: Double?
        }

        var folder: String
        var checker: String?
        var outputs: [Output]?
        var error: String?
    }

    /// The package root (Tests/OnnxTests/<this file> up three).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Python found as hwnas finds it (HwnasTestSupport's OnnxPython); a path that does not
    /// exist when there is none, so a call fails naming it.
    static let python = URL(fileURLWithPath: OnnxPython.path ?? root.appendingPathComponent(".venv/bin/python").path)

    /// Why the checks cannot run here, or nil when they can.
    static var unavailable: String? { OnnxPython.unavailable.map { "\($0) (to check ONNX models in ONNX Runtime)" } }

    static var available: Bool { unavailable == nil }

    /// Checks every folder (model.onnx, test_data_set_0/) in one Python process.
    static func check(_ folders: [URL]) throws -> [Result] {
        let script = root.appendingPathComponent("scripts/onnx_check.py").path
        let outcome = try run([python.path, script] + folders.map(\.path))
        guard outcome.status == 0 else {
            throw CheckFailed(description: "onnx_check.py exited \(outcome.status): \(outcome.stderr)")
        }
        return try outcome.stdout.split(separator: "\n").map { line in
            try JSONDecoder().decode(Result.self, from: Data(line.utf8))
        }
    }

    struct CheckFailed: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_NUM_THREADS"] = "1"
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe never blocks the child.
        let errorData = Locked(Data())
        let reader = Thread { errorData.value = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData.value, as: UTF8.self))
    }

    /// A value one thread writes once and another reads after.
    final class Locked<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: T
        private var written = false
        init(_ value: T) { stored = value }
        var value: T {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue; written = true } }
        }
        var isSet: Bool { lock.withLock { written } }
    }
}
