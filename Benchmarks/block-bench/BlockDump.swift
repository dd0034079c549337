import Foundation
import Kernels
import Onnx
import Runtime
import Support
import SuperNet

/// A block's weights, one input and the output hwnas computes for it, written for another
/// runtime to rebuild the block on the same weights and check its output: `index.json` (the
/// block's `BlockSpec`, and every tensor's file and shape) beside raw little-endian float32
/// files, and `model.onnx`, the ONNX model hwnas itself builds for the block (what its ONNX
/// Runtime device measures). Weights are in `RunnableBlock.parameters()` layouts (linear
/// [in, out], depthwise [k, k, channels]); images are NHWC. An embedding's input is its token
/// ids (int64), with `tokenTypes` (int64, type 0 throughout) beside it.
struct BlockDump: Codable {
    var seed: UInt64
    var spec: BlockSpec
    var input: TensorFile
    var tokenTypes: TensorFile?
    var output: TensorFile
    var parameters: [String: TensorFile]
    /// hwnas's ONNX model of the block, with the same weights.
    var model: String?

    /// Builds `block` with `seed` (the seed a profile uses), runs it once and writes the files.
    static func write(_ block: Block, seed: UInt64, batch: Int = 1, to directory: URL) throws -> BlockDump {
        let runnable = try RunnableBlock(block, options: ExecutionOptions(batch: batch, threads: 1), seed: seed)
        runnable.run()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func save(_ tensor: Tensor, as name: String) throws -> TensorFile {
            let file = name + ".f32"
            let data = Data(bytes: tensor.pointer, count: tensor.count * MemoryLayout<Float>.size)
            try data.write(to: directory.appendingPathComponent(file))
            return TensorFile(file: file, shape: tensor.shape)
        }
        func save(int64 values: [Int64], shape: [Int], as name: String) throws -> TensorFile {
            let file = name + ".i64"
            let data = values.map(\.littleEndian).withUnsafeBytes { Data($0) }
            try data.write(to: directory.appendingPathComponent(file))
            return TensorFile(file: file, shape: shape, dtype: "int64")
        }
        var parameters: [String: TensorFile] = [:]
        for (name, tensor) in runnable.parameters() {
            parameters[name] = try save(tensor, as: "param." + name)
        }
        let input: TensorFile
        var tokenTypes: TensorFile?
        if case .embedding(let b) = block {
            let tokens = RunnableBlock.embeddingTokens(b, batch: batch, seed: seed).map(Int64.init)
            input = try save(int64: tokens, shape: [batch, b.sequence], as: "input_ids")
            tokenTypes = try save(int64: Array(repeating: 0, count: tokens.count), shape: [batch, b.sequence], as: "token_type_ids")
        } else {
            input = try save(runnable.input, as: "input")
        }
        try runnable.onnxModel().write(to: directory.appendingPathComponent("model.onnx"))
        let dump = BlockDump(
            seed: seed, spec: try BlockSpec(block, inputShape: input.shape, outputShape: runnable.output.shape),
            input: input, tokenTypes: tokenTypes, output: try save(runnable.output, as: "output"),
            parameters: parameters, model: "model.onnx")
        try AtomicFile.write(JSONFormat.encode(dump), to: directory.appendingPathComponent("index.json"))
        return dump
    }
}
