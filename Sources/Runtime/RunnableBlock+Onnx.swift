import Kernels
import Onnx
import Support
import SuperNet

extension RunnableBlock {
    /// The block's weights as the ONNX builders take them.
    public func blockParameters() -> BlockParameters {
        BlockParameters(block: block, tensors: parameters().mapValues(\.plain))
    }

    /// This block as a stand-alone ONNX model with the same weights, for the same batch: the
    /// model another runtime measures in its place, and that computes its output.
    public func onnxModel() throws -> OnnxModel {
        try OnnxModel.block(block, parameters: blockParameters(), batch: options.batch)
    }

    /// What this block reads, as its ONNX model takes it: the input in ONNX's layout (NCHW
    /// for images), or an embedding's token ids with token type 0.
    public func onnxInputs() -> [NamedTensor] {
        if case .embedding(let b) = block {
            let tokens = Self.embeddingTokens(b, batch: options.batch, seed: seed).map(Int64.init)
            let shape = [options.batch, b.sequence]
            return [
                try! NamedTensor(name: OnnxModel.Names.inputIDs, shape: shape, elements: .int64(tokens)),
                try! NamedTensor(name: OnnxModel.Names.tokenTypeIDs, shape: shape, elements: .int64(Array(repeating: 0, count: tokens.count))),
            ]
        }
        return [NamedTensor(name: OnnxModel.Names.blockInput, Self.onnxLayout(input, as: block.input))]
    }

    /// The block's output after `run()`, as its ONNX model gives it.
    public func onnxOutput() -> NamedTensor {
        NamedTensor(name: OnnxModel.Names.blockOutput, Self.onnxLayout(output, as: block.output))
    }

    /// A native tensor in ONNX's layout: NHWC images to NCHW (a 1x1 map, [N, C] here, to
    /// [N, C, 1, 1]); sequences and vectors as they are.
    static func onnxLayout(_ tensor: Tensor, as shape: TensorShape) -> PlainTensor {
        let plain = tensor.plain
        guard case .image(let h, let w, let c) = shape else { return plain }
        let n = tensor.count / (h * w * c)
        return try! plain.reshaped([n, h, w, c]).permuted([0, 3, 1, 2])
    }
}

extension Tensor {
    /// A copy of the values with the shape.
    var plain: PlainTensor {
        try! PlainTensor(shape: shape, values: array)
    }
}
