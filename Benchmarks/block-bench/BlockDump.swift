import Foundation
import Kernels
import Runtime
import Support
import SuperNet

/// A block's weights, one input and the output hwnas computes for it, written for another
/// runtime to rebuild the block on the same weights and check its output: `index.json` (the
/// block's `BlockSpec`, and every tensor's file and shape) beside raw little-endian float32
/// files. Weights are in `RunnableBlock.parameters()` layouts (linear [in, out], depthwise
/// [k, k, channels]); images are NHWC.
struct BlockDump: Codable {
    var seed: UInt64
    var spec: BlockSpec
    var input: TensorFile
    var output: TensorFile
    var parameters: [String: TensorFile]

    /// Builds `block` with `seed` (the seed a profile uses), runs it once and writes the files.
    static func write(_ block: Block, seed: UInt64, to directory: URL) throws -> BlockDump {
        let runnable = try RunnableBlock(block, options: ExecutionOptions(batch: 1, threads: 1), seed: seed)
        runnable.run()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func save(_ tensor: Tensor, as name: String) throws -> TensorFile {
            let file = name + ".f32"
            let data = Data(bytes: tensor.pointer, count: tensor.count * MemoryLayout<Float>.size)
            try data.write(to: directory.appendingPathComponent(file))
            return TensorFile(file: file, shape: tensor.shape)
        }
        var parameters: [String: TensorFile] = [:]
        for (name, tensor) in runnable.parameters() {
            parameters[name] = try save(tensor, as: "param." + name)
        }
        let dump = BlockDump(
            seed: seed, spec: try BlockSpec(block, inputShape: runnable.input.shape, outputShape: runnable.output.shape),
            input: try save(runnable.input, as: "input"), output: try save(runnable.output, as: "output"),
            parameters: parameters)
        try AtomicFile.write(JSONFormat.encode(dump), to: directory.appendingPathComponent("index.json"))
        return dump
    }
}
