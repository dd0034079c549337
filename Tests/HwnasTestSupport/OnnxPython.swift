import Foundation
import Runtime

/// The Python with onnx and onnxruntime that tests of ONNX models and of the ONNX Runtime device
/// use, found as hwnas finds it (`PythonInterpreter.locate`: HWNAS_PYTHON, else the package's
/// `.venv/`), or why there is none: those tests are skipped saying how to enable them.
public enum OnnxPython {
    /// The package root (Tests/HwnasTestSupport/<this file> up three).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The interpreter's path, or why it cannot run the tests.
    public static let located: Result<String, HwnasTestSkip> = {
        let python: PythonInterpreter
        do {
            python = try PythonInterpreter.locate(workingFolder: root.path, executable: "")
        } catch {
            return .failure(HwnasTestSkip(reason: "\(error)"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python.path)
        process.arguments = ["-c", "import onnx, onnxruntime"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        guard (try? process.run()) != nil else {
            return .failure(HwnasTestSkip(reason: "\(python.path) does not start: \(PythonInterpreter.setupHint)"))
        }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let last = text.split(separator: "\n").last.map(String.init) ?? "exit \(process.terminationStatus)"
            return .failure(HwnasTestSkip(reason: "\(python.path) cannot import onnx and onnxruntime (\(last)): \(PythonInterpreter.setupHint)"))
        }
        return .success(python.path)
    }()

    /// The interpreter's path; nil when the tests cannot run.
    public static var path: String? { try? located.get() }

    /// Why the tests cannot run here, or nil when they can.
    public static var unavailable: String? {
        if case .failure(let skip) = located { return skip.reason }
        return nil
    }
}

/// Why a test that needs something from outside the package is skipped.
public struct HwnasTestSkip: Error, Sendable {
    public var reason: String
}
