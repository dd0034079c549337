import CPlatform
import Foundation
import Onnx
import Support
import SuperNet


/// ONNX Runtime (CPU execution provider) as a measured runtime: hwnas builds each block or
/// sub-network as an ONNX model with the native runtime's seeded weights, a worker process
/// (`OnnxRuntimeWorker`) loads it with fixed session options on the PUs of the calling thread,
/// checks its output against the native one, and times the calls it is asked for. The
/// profiler's sampler, stopping rule, interleaving, reference and probe stay as they are.
public struct OnnxRuntime: InferenceRuntime {
    /// The runtime's name in profiles and on the command line.
    public static let name = "onnxruntime"
    /// ONNX Runtime's output may differ from the native output by this much, relative to the
    /// largest native value (at least 1): beyond it the model is not the block and is refused.
    public static let tolerance = 1e-3

    public let worker: OnnxRuntimeWorker

    /// Starts a worker with the Python `PythonInterpreter.locate()` finds.
    public init() throws {
        try self.init(python: PythonInterpreter.locate())
    }

    public init(python: PythonInterpreter) throws {
        worker = try OnnxRuntimeWorker.start(python: python)
    }

    public var runsInThisProcess: Bool { false }

    /// The session options every model is loaded with, by name, as profiles record them.
    public static func sessionOptions(threads: Int) -> [String: String] {
        [
            "intraOpThreads": "\(threads)", "interOpThreads": "1", "executionMode": "ORT_SEQUENTIAL",
            "graphOptimizationLevel": "ORT_ENABLE_ALL", "session.intra_op.allow_spinning": "0",
            "session.inter_op.allow_spinning": "0", "session.set_denormal_as_zero": "1",
            "providers": "CPUExecutionProvider", "weights": "initialisers",
            "call": "run_with_iobinding, inputs and output bound once",
        ]
    }

    public func describe(options: ExecutionOptions) -> RuntimeDescription {
        let v = worker.versions
        var named = Self.sessionOptions(threads: options.threads)
        named["batch"] = "\(options.batch)"
        named["threads"] = "\(options.threads)"
        named["opset"] = "\(OnnxModel.opset)"
        named["onnx"] = v.onnx
        named["python"] = v.python
        named["numpy"] = v.numpy
        let mlas = "onnxruntime-mlas"
        return RuntimeDescription(
            name: Self.name, version: v.onnxRuntime, kernels: "MLAS (ONNX Runtime \(v.onnxRuntime), CPU execution provider)",
            variant: nil, options: named,
            kernelVariants: KernelVariants(gemm: mlas, depthwise: mlas, elementwise: mlas, attention: mlas))
    }

    public func prepare(_ block: Block, options: ExecutionOptions, seed: UInt64) throws -> any PreparedWorkload {
        let native = try RunnableBlock(block, options: options, seed: seed)
        native.run()
        return try load(model: native.onnxModel(), inputs: native.onnxInputs(), expected: native.onnxOutput(),
                        options: options, what: "block \(block.key)")
    }

    public func prepare(subnet: Subnet, space: any SearchSpace, settings: SpaceSettings, options: ExecutionOptions,
                        seed: UInt64) throws -> any PreparedWorkload {
        let native = try RunnableSubnet(space: space, subnet: subnet, settings: settings, options: options, seed: seed)
        native.run()
        let sequence = settings.sequence.map { OnnxDimension.fixed($0) }
        let model = try native.onnxModel(name: "\(space.name)-subnet", batch: .fixed(options.batch), sequence: sequence)
        return try load(model: model, inputs: native.onnxInputs(), expected: native.onnxOutput(), options: options,
                        what: "\(space.name) sub-network \(subnet)")
    }

    /// Writes the model and its data to a scratch folder, has the worker load them on the
    /// calling thread's PUs, and refuses a model whose output is not the native one.
    func load(model: OnnxModel, inputs: [NamedTensor], expected: NamedTensor, options: ExecutionOptions,
              what: String) throws -> OnnxRuntimeWorkload {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-ort-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try model.write(to: folder.appendingPathComponent("model.onnx"))
        try OnnxTestDataSet(inputs: inputs, outputs: [expected]).write(into: folder)
        let data = folder.appendingPathComponent(OnnxTestDataSet.folderName(0))
        var request: [String: Any] = [
            "op": "load", "model": folder.appendingPathComponent("model.onnx").path,
            "inputs": inputs.indices.map { data.appendingPathComponent("input_\($0).pb").path },
            "expected": data.appendingPathComponent("output_0.pb").path,
            "threads": options.threads, "denormalAsZero": true,
        ]
        let pus = Self.callingThreadPUs()
        if !pus.isEmpty { request["pus"] = pus }
        let reply: [String: Any]
        do { reply = try worker.request(request) } catch {
            throw HwnasError("loading \(what) in ONNX Runtime: \(error.message)")
        }
        guard let id = reply["id"] as? Int else {
            throw HwnasError("ONNX Runtime worker (\(worker.python.path)) loaded \(what) without an id: \(reply)")
        }
        let difference = reply["maxAbsDifference"] as? Double ?? .infinity
        let largest = reply["maxAbsExpected"] as? Double ?? 0
        let workload = OnnxRuntimeWorkload(worker: worker, id: id, what: what, maxAbsDifference: difference)
        guard difference <= Self.tolerance * max(1, largest) else {
            throw HwnasError("ONNX Runtime's output for \(what) differs from the native one by \(difference) (largest value \(largest), tolerance \(Self.tolerance) of it): the exported model does not compute the block")
        }
        return workload
    }

    /// The PUs the calling thread may run on (the profiler pins it before preparing), which the
    /// worker's sessions then run on; empty where the OS does not say.
    static func callingThreadPUs() -> [Int] {
        var pus = [Int32](repeating: 0, count: 1024)
        let count = Int(hwnas_thread_allowed_cpus(&pus, Int32(pus.count)))
        return count > 0 ? pus.prefix(min(count, pus.count)).map(Int.init) : []
    }
}
