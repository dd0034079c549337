import Foundation
import Support

/// The Python that runs out-of-process runtimes: `HWNAS_PYTHON` when set, else the `.venv/`
/// that `make setup` makes, looked for in the working folder and above the executable (a built
/// `.build/<triple>/release/hwnas` finds its repository's).
public struct PythonInterpreter: Equatable, Sendable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// What to do when no Python is found, for every message that needs one.
    public static let setupHint = "run `make setup` (it makes .venv/ with the pinned onnxruntime and onnx), or set HWNAS_PYTHON to a Python that imports onnxruntime and onnx"

    /// The interpreter to use, or an error naming where it was looked for.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              workingFolder: String = FileManager.default.currentDirectoryPath,
                              executable: String = CommandLine.arguments.first ?? "") throws -> PythonInterpreter {
        let files = FileManager.default
        if let given = environment["HWNAS_PYTHON"], !given.isEmpty {
            guard files.isExecutableFile(atPath: given) else {
                throw HwnasError("HWNAS_PYTHON=\(given) is not an executable file")
            }
            return PythonInterpreter(path: given)
        }
        let candidates = Self.candidates(workingFolder: workingFolder, executable: executable)
        if let found = candidates.first(where: { files.isExecutableFile(atPath: $0) }) {
            return PythonInterpreter(path: found)
        }
        throw HwnasError("no Python for ONNX Runtime: HWNAS_PYTHON is not set and there is no .venv/bin/python in \(workingFolder) or above \(executable); \(setupHint)")
    }

    /// `.venv/bin/python` in the working folder, then in each folder above the executable's
    /// real path.
    static func candidates(workingFolder: String, executable: String) -> [String] {
        var folders = [workingFolder]
        if !executable.isEmpty {
            var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<6 {
                folders.append(folder.path)
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        var seen = Set<String>()
        return folders.map { URL(fileURLWithPath: $0).appendingPathComponent(".venv/bin/python").path }
            .filter { seen.insert($0).inserted }
    }
}
