import Support

/// A model loaded in an ONNX Runtime worker, inputs and output bound once: the worker times
/// `calls` back-to-back runs itself, so the round trip to it is outside the figure.
public final class OnnxRuntimeWorkload: PreparedWorkload {
    public let worker: OnnxRuntimeWorker
    public let id: Int
    /// The largest absolute difference between ONNX Runtime's output and the native one's,
    /// measured when the model was loaded.
    public let maxAbsDifference: Double

    init(worker: OnnxRuntimeWorker, id: Int, maxAbsDifference: Double) {
        self.worker = worker
        self.id = id
        self.maxAbsDifference = maxAbsDifference
    }

    deinit {
        _ = try? worker.request(["op": "free", "id": id])
    }

    public func measure(calls: Int) throws -> Double {
        let reply = try worker.request(["op": "measure", "id": id, "calls": calls])
        guard let seconds = reply["seconds"] as? Double, seconds >= 0 else {
            throw HwnasError("ONNX Runtime worker (\(worker.python.path)) answered a measurement without seconds: \(reply)")
        }
        return seconds
    }
}
