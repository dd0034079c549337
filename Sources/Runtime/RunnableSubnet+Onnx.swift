import Onnx
import Support
import SuperNet

extension RunnableSubnet {
    /// The whole sub-network as one ONNX model with the same weights: text models take
    /// `input_ids`, `attention_mask`, `token_type_ids`, image models `input`; both give
    /// `logits`. `batch` and `sequence` are fixed or named (dynamic).
    public func onnxModel(name: String, batch: OnnxDimension, sequence: OnnxDimension? = nil, doc: String = "",
                          metadata: [String: String] = [:]) throws -> OnnxModel {
        try OnnxModel.network(name: name, blocks: blocks.map { ($0.block, $0.blockParameters()) }, batch: batch,
                              sequence: sequence, doc: doc, metadata: metadata)
    }

    /// What the sub-network reads, as its ONNX model takes it: the first block's token ids
    /// with every token attended and type 0, or the image in NCHW.
    public func onnxInputs() -> [NamedTensor] {
        let first = blocks[0]
        guard case .embedding = first.block else {
            var image = first.onnxInputs()[0]
            image.name = OnnxModel.Names.image
            return [image]
        }
        let tokens = first.onnxInputs()
        let ones = NamedTensor.Elements.int64(Array(repeating: 1, count: tokens[0].shape.reduce(1, *)))
        return [tokens[0], try! NamedTensor(name: OnnxModel.Names.attentionMask, shape: tokens[0].shape, elements: ones), tokens[1]]
    }

    /// The logits after `run()`, as the ONNX model gives them.
    public func onnxOutput() -> NamedTensor {
        var logits = blocks[blocks.count - 1].onnxOutput()
        logits.name = OnnxModel.Names.logits
        return logits
    }
}
