import Foundation

/// Runs the real `hwnas` binary as a subprocess for command-line tests: exit status, stdout and
/// stderr, with a time limit.
public enum HwnasProcess {
    public struct Run: CustomStringConvertible, Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var timedOut: Bool
        public var description: String { "exit \(status)\(timedOut ? " (killed after timeout)" : "")\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    /// The built `hwnas` executable: `HWNAS_BINARY` when set (to run these tests against another build,
    /// e.g. an older commit's), else next to the test bundle, else in the package's .build/debug.
    public static func binary() throws -> URL {
        if let override = ProcessInfo.processInfo.environment["HWNAS_BINARY"], !override.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: override) else {
                throw MissingBinary(description: "HWNAS_BINARY=\(override) is not an executable file")
            }
            return URL(fileURLWithPath: override)
        }
        var starts = [Bundle.main.bundleURL, Bundle.main.executableURL?.deletingLastPathComponent()].compactMap { $0 }
        if let first = CommandLine.arguments.first {
            starts.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        for start in starts {
            var folder = start.standardizedFileURL
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("hwnas")
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        // Tests/HwnasTestSupport/<this file> -> package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let fallback = root.appendingPathComponent(".build/debug/hwnas")
        guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
            throw MissingBinary(description: "no hwnas binary found near \(starts) or at \(fallback.path)")
        }
        return fallback
    }

    /// Collects a pipe's output on a thread of its own (so neither pipe can fill up and block the child).
    final class Drain: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var data = Data()

        init(_ handle: FileHandle) {
            let thread = Thread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }
            thread.start()
        }

        func text() -> String {
            done.wait()
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Runs hwnas with `arguments` in `folder`, killing it after `timeout` seconds; `environment`
    /// is added to this process's.
    ///
    /// Unless `environment` names one, each run gets a private HWNAS_LOCK_DIR (removed after it):
    /// tests run in parallel and measure in their own folders, and would otherwise refuse each
    /// other at the machine-wide per-PU locks. Tests of the locks set a shared one.
    public static func run(_ arguments: [String], in folder: URL, timeout: TimeInterval = 60,
                           environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        var privateLocks: URL?
        if environment[lockFolderVariable] == nil {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-test-locks-\(UUID().uuidString)")
            variables[lockFolderVariable] = url.path
            privateLocks = url
        }
        defer { if let privateLocks { try? FileManager.default.removeItem(at: privateLocks) } }
        process.environment = variables
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let finished = DispatchSemaphore(value: 0)
        let killer = Thread {
            if finished.wait(timeout: .now() + timeout) == .timedOut {
                kill(pid, SIGKILL)
            }
        }
        killer.start()
        let stdout = Drain(out.fileHandleForReading)
        let stderr = Drain(err.fileHandleForReading)
        let outText = stdout.text()
        let errText = stderr.text()
        process.waitUntilExit()
        let timedOut = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        finished.signal()
        return Run(status: process.terminationStatus, stdout: outText, stderr: errText, timedOut: timedOut)
    }

    /// Waits while `process` runs, up to `timeout` seconds, until `file` (a journal being
    /// written) has at least `count` lines; the lines it had when the wait ended.
    public static func waitForLines(in file: URL, atLeast count: Int, while process: Process, timeout: TimeInterval) -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        var lines = 0
        while Date() < deadline, process.isRunning {
            lines = ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").count
            if lines >= count { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return lines
    }

    /// The variable naming hwnas's machine-wide lock folder.
    public static let lockFolderVariable = "HWNAS_LOCK_DIR"

    public static func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct MissingBinary: Error, CustomStringConvertible {
        var description: String
    }
}
