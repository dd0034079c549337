import Support

/// A model loaded in an ONNX Runtime worker, inputs and output bound once: the worker times
/// `calls` back-to-back runs itself, so the round trip to it is outside the figure.
public final class OnnxRuntimeWorkload: PreparedWorkload {
    public let worker: OnnxRuntimeWorker
    public let id: Int
    /// What was loaded (`block mha-...`, `minilm-l6 sub-network ...`), for messages.
    public let what: String
    /// The largest absolute difference between ONNX Runtime's output and the native one's,
    /// measured when the model was loaded.
    public let maxAbsDifference: Double

    init(worker: OnnxRuntimeWorker, id: Int, what: String, maxAbsDifference: Double) {
        self.worker = worker
        self.id = id
        self.what = what
        self.maxAbsDifference = maxAbsDifference
    }

    deinit {
        _ = try? worker.request(["op": "free", "id": id])
    }

    public func measure(calls: Int) throws -> Double {
        let reply: [String: Any]
        do { reply = try worker.request(["op": "measure", "id": id, "calls": calls]) } catch {
            throw HwnasError("measuring \(what) in ONNX Runtime: \(error.message)")
        }
        guard let seconds = reply["seconds"] as? Double, seconds >= 0 else {
            throw HwnasError("ONNX Runtime worker (\(worker.python.path)) answered a measurement of \(what) without seconds: \(reply)")
        }
        return seconds
    }
}
