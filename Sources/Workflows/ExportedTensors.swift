import Datasets
import Onnx
import Support
import SuperNet

/// An exported sub-network's weights under the names and layouts PyTorch code knows: Hugging
/// Face's BertForSequenceClassification for BERT spaces, ViTForImageClassification for ViT,
/// Once-for-All's MobileNetV3 (`first_conv`, `blocks.<i>.mobile_inverted_conv...`) for OFA,
/// with linear weights [out, in] and convolutions [out, in/groups, k, k]. Shapes are the
/// sub-network's (layer i holds its own heads and units); batch norm is folded into the
/// convolutions' biases, as the ONNX file has it.
enum ExportedTensors {
    static func tensors(_ blocks: [(block: Block, parameters: BlockParameters)]) throws -> [String: SafeTensors.Tensor] {
        var result: [String: SafeTensors.Tensor] = [:]
        func put(_ name: String, _ tensor: PlainTensor) {
            result[name] = SafeTensors.Tensor(shape: tensor.shape, floats: tensor.values)
        }
        let vit = blocks.contains { if case .patchEmbedding = $0.block { true } else { false } }
        var layer = 0, convBlock = 0
        for (block, p) in blocks {
            switch block {
            case .embedding(let b):
                let prefix = "bert.embeddings."
                put(prefix + "word_embeddings.weight", try p.tensor("words", [b.vocabulary, b.hidden]))
                put(prefix + "position_embeddings.weight", try p.tensor("positions", [b.positions, b.hidden]))
                put(prefix + "token_type_embeddings.weight", try p.tensor("types", [b.tokenTypes, b.hidden]))
                put(prefix + "LayerNorm.weight", try p.tensor("norm.weight", [b.hidden]))
                put(prefix + "LayerNorm.bias", try p.tensor("norm.bias", [b.hidden]))
            case .patchEmbedding(let b):
                let prefix = "vit.embeddings."
                put(prefix + "cls_token", try p.tensor("classToken", [b.hidden]).reshaped([1, 1, b.hidden]))
                put(prefix + "position_embeddings", try p.tensor("positions", [b.tokens, b.hidden]).reshaped([1, b.tokens, b.hidden]))
                put(prefix + "patch_embeddings.projection.weight", try p.tensor("projection.weight", [b.patch * b.patch * b.channels, b.hidden])
                    .reshaped([b.patch, b.patch, b.channels, b.hidden]).permuted([3, 2, 0, 1]))
                put(prefix + "patch_embeddings.projection.bias", try p.tensor("projection.bias", [b.hidden]))
            case .attention(let b):
                let prefix = (vit ? "vit." : "bert.") + "encoder.layer.\(layer)."
                let qkv = try p.tensor("attention.qkv.weight", [b.hidden, 3 * b.inner])
                let bias = try p.tensor("attention.qkv.bias", [3 * b.inner])
                let inner = vit ? "attention.attention." : "attention.self."
                for (index, name) in ["query", "key", "value"].enumerated() {
                    let columns = index * b.inner..<(index + 1) * b.inner
                    put(prefix + inner + name + ".weight", qkv.columns(columns).transposed())
                    put(prefix + inner + name + ".bias", try PlainTensor(shape: [b.inner], values: Array(bias.values[columns])))
                }
                put(prefix + "attention.output.dense.weight", try p.tensor("attention.output.weight", [b.inner, b.hidden]).transposed())
                put(prefix + "attention.output.dense.bias", try p.tensor("attention.output.bias", [b.hidden]))
                let norm = vit ? "layernorm_before" : "attention.output.LayerNorm"
                put(prefix + norm + ".weight", try p.tensor("norm.weight", [b.hidden]))
                put(prefix + norm + ".bias", try p.tensor("norm.bias", [b.hidden]))
            case .feedForward(let b):
                let prefix = (vit ? "vit." : "bert.") + "encoder.layer.\(layer)."
                put(prefix + "intermediate.dense.weight", try p.tensor("up.weight", [b.hidden, b.intermediate]).transposed())
                put(prefix + "intermediate.dense.bias", try p.tensor("up.bias", [b.intermediate]))
                put(prefix + "output.dense.weight", try p.tensor("down.weight", [b.intermediate, b.hidden]).transposed())
                put(prefix + "output.dense.bias", try p.tensor("down.bias", [b.hidden]))
                let norm = vit ? "layernorm_after" : "output.LayerNorm"
                put(prefix + norm + ".weight", try p.tensor("norm.weight", [b.hidden]))
                put(prefix + norm + ".bias", try p.tensor("norm.bias", [b.hidden]))
                layer += 1
            case .pooler(let b):
                put("bert.pooler.dense.weight", try p.tensor("dense.weight", [b.hidden, b.hidden]).transposed())
                put("bert.pooler.dense.bias", try p.tensor("dense.bias", [b.hidden]))
            case .classifier(let b):
                let prefix = convBlock > 0 ? "classifier.linear." : "classifier."
                if b.sequenceBeforeNorm != nil {
                    put("vit.layernorm.weight", try p.tensor("norm.weight", [b.inputs]))
                    put("vit.layernorm.bias", try p.tensor("norm.bias", [b.inputs]))
                }
                put(prefix + "weight", try p.tensor("dense.weight", [b.inputs, b.classes]).transposed())
                put(prefix + "bias", try p.tensor("dense.bias", [b.classes]))
            case .convolution(let b):
                let name = switch b.role {
                case .stem: "first_conv"
                case .finalExpand: "final_expand_layer"
                case .featureMix: "feature_mix_layer"
                }
                let weight = b.kernel == 1 && b.stride == 1
                    ? try p.tensor("conv.weight", [b.inChannels, b.outChannels]).transposed().reshaped([b.outChannels, b.inChannels, 1, 1])
                    : try p.tensor("conv.weight", [b.kernel, b.kernel, b.inChannels, b.outChannels]).permuted([3, 2, 0, 1])
                put(name + ".conv.weight", weight)
                put(name + ".conv.bias", try p.tensor("conv.bias", [b.outChannels]))
            case .mbconv(let b):
                let prefix = "blocks.\(convBlock).mobile_inverted_conv."
                func pointwise(_ name: String, _ source: String, _ inputs: Int, _ outputs: Int) throws {
                    put(prefix + name + ".weight", try p.tensor(source + ".weight", [inputs, outputs]).transposed().reshaped([outputs, inputs, 1, 1]))
                    put(prefix + name + ".bias", try p.tensor(source + ".bias", [outputs]))
                }
                if b.expands { try pointwise("inverted_bottleneck.conv", "expand", b.inChannels, b.mid) }
                put(prefix + "depth_conv.conv.weight", try p.tensor("depthwise.weight", [b.kernel, b.kernel, b.mid]).permuted([2, 0, 1])
                    .reshaped([b.mid, 1, b.kernel, b.kernel]))
                put(prefix + "depth_conv.conv.bias", try p.tensor("depthwise.bias", [b.mid]))
                if b.squeezeExcite {
                    try pointwise("depth_conv.se.fc.reduce", "se.reduce", b.mid, b.seChannels)
                    try pointwise("depth_conv.se.fc.expand", "se.expand", b.seChannels, b.mid)
                }
                try pointwise("point_linear.conv", "project", b.mid, b.outChannels)
                convBlock += 1
            case .pool:
                break
            }
        }
        return result
    }
}
