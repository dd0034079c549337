import Datasets
import Foundation
import Support
import Training

/// A fine-tuned run folder of MiniLM-L6's shape with random weights: model.safetensors
/// (BertForSequenceClassification names), config.json, vocab.txt. Every tensor is drawn (biases
/// and layer-norm scales included), so a slice taken from the wrong rows or columns shows.
struct MiniLMCheckpointFixture {
    let folder: URL

    init(hidden: Int = 384, layers: Int = 6, heads: Int = 12, intermediate: Int = 1536) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-onnx-checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "good", "bad", "film"]
        try Data((words.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("vocab.txt"))
        let config = """
            {"hidden_act": "gelu", "hidden_size": \(hidden), "intermediate_size": \(intermediate), "layer_norm_eps": 1e-12,
             "max_position_embeddings": 512, "num_attention_heads": \(heads), "num_hidden_layers": \(layers),
             "pad_token_id": 0, "type_vocab_size": 2, "vocab_size": 30522, "initializer_range": 0.02}
            """
        try Data(config.utf8).write(to: folder.appendingPathComponent("config.json"))
        let configuration = BertConfiguration(vocabularySize: 30522, hiddenSize: hidden, layers: layers, heads: heads, intermediateSize: intermediate)
        let model = try BertClassifier(configuration: configuration, maxBatch: 1, maxLength: 8, seed: 5)
        var generator = SeededGenerator(seed: 9)
        var tensors: [String: SafeTensors.Tensor] = [:]
        for (name, shape, pointer) in model.parameters.namedValues {
            let count = shape.reduce(1, *)
            let scale: Float = name.hasSuffix(".bias") ? 0.1 : (name.hasPrefix("classifier") ? 0.3 : 0.05)
            for i in 0..<count {
                let noise = generator.nextSymmetricFloat() * scale
                pointer[i] = name.hasSuffix("LayerNorm.weight") ? 1 + noise : (name.contains("LayerNorm.bias") || name.hasSuffix(".bias") ? noise : pointer[i] + noise)
            }
            tensors[name] = SafeTensors.Tensor(shape: shape, floats: Array(UnsafeBufferPointer(start: pointer, count: count)))
        }
        try SafeTensors.write(tensors, to: folder.appendingPathComponent("model.safetensors"))
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A tensor of the checkpoint as it is stored.
    func tensor(_ name: String) throws -> (shape: [Int], values: [Float]) {
        let file = try SafeTensors(contentsOf: folder.appendingPathComponent("model.safetensors"))
        let shape = try file.info(name).shape
        return (shape, try file.floats(name, shape: shape))
    }
}
