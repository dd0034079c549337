import Foundation
import Support

#if canImport(Glibc)
import Glibc
#endif

/// A running ONNX Runtime worker process (`OnnxRuntimeWorkerScript`) and the line protocol to
/// it: one JSON request, one JSON answer. Requests are serialised by a lock, so prepared
/// workloads of one worker may be used from any thread, one at a time.
public final class OnnxRuntimeWorker: @unchecked Sendable {
    /// What the worker's `hello` said.
    public struct Versions: Equatable, Sendable {
        public var onnxRuntime: String
        public var onnx: String
        public var numpy: String
        public var python: String
    }

    public let python: PythonInterpreter
    public private(set) var versions: Versions
    private let process: Process
    private let input: FileHandle
    private let output: Int32
    private let errorLog: URL
    private var buffer: [UInt8] = []
    /// What one read takes, kept between reads (a request per timed sample reads one line).
    private var chunk = [UInt8](repeating: 0, count: 65536)
    private let lock = NSLock()
    private var failure: HwnasError?

    /// Starts the worker process with `python` (`start` also asks its versions).
    private init(python: PythonInterpreter) throws {
        self.python = python
        // A worker that died must be an error of the next request, not a SIGPIPE ending hwnas.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python.path)
        process.arguments = ["-u", "-c", OnnxRuntimeWorkerScript.source]
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        let toWorker = Pipe()
        let fromWorker = Pipe()
        errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-ort-worker-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)  // FileHandle(forWritingTo:) below says when it failed
        process.standardInput = toWorker
        process.standardOutput = fromWorker
        process.standardError = try FileHandle(forWritingTo: errorLog)
        do { try process.run() } catch {
            throw HwnasError("cannot start \(python.path) for ONNX Runtime: \(error); \(PythonInterpreter.setupHint)")
        }
        self.process = process
        input = toWorker.fileHandleForWriting
        output = fromWorker.fileHandleForReading.fileDescriptor
        versions = Versions(onnxRuntime: "", onnx: "", numpy: "", python: "")
    }

    /// A started worker that has said its versions; an error names the Python and what it
    /// could not do (a missing `onnxruntime` module says how to install it).
    public static func start(python: PythonInterpreter) throws -> OnnxRuntimeWorker {
        let worker = try OnnxRuntimeWorker(python: python)
        try worker.hello()
        return worker
    }

    private func hello() throws {
        let reply: [String: Any]
        do { reply = try request(["op": "hello"]) } catch {
            throw HwnasError("\(error.message); \(PythonInterpreter.setupHint)")
        }
        versions = Versions(onnxRuntime: reply["onnxruntime"] as? String ?? "?", onnx: reply["onnx"] as? String ?? "?",
                            numpy: reply["numpy"] as? String ?? "?", python: reply["python"] as? String ?? "?")
    }

    deinit {
        try? input.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: errorLog)
    }

    /// Sends `payload` and returns the answer; an answer with `error`, or a worker that died,
    /// throws (and every later request throws the same).
    public func request(_ payload: [String: Any]) throws(HwnasError) -> [String: Any] {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        do {
            var line = try JSONSerialization.data(withJSONObject: payload)
            line.append(0x0A)
            try input.write(contentsOf: line)
        } catch {
            for _ in 0..<200 where process.isRunning { usleep(10_000) }
            throw died(process.isRunning ? "cannot send a request (\(error))" : "it exited with status \(process.terminationStatus)")
        }
        guard let answer = readLine() else { throw died("it closed its output") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any] else {
            throw died("it answered something that is not JSON: \(String(decoding: answer.prefix(200), as: UTF8.self))")
        }
        if let message = object["error"] as? String {
            throw HwnasError("ONNX Runtime worker (\(python.path)): \(message)")
        }
        return object
    }

    /// The worker is of no further use: records why, with the end of its error output.
    private func died(_ what: String) -> HwnasError {
        let log = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        let tail = log.split(separator: "\n").suffix(5).joined(separator: " | ")
        let error = HwnasError("ONNX Runtime worker (\(python.path)) failed: \(what)\(tail.isEmpty ? "" : "; its last output: \(tail)")")
        failure = error
        return error
    }

    /// The next line from the worker without its newline, nil at the end of its output.
    private func readLine() -> [UInt8]? {
        while true {
            if let end = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                return line
            }
            let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer += chunk[..<count]
        }
    }
}
