import Datasets
import Foundation
import Support
import Workflows

/// A tiny pre-trained model folder (random weights under the bare encoder's names, as
/// sentence-transformers ships them) and an SST-2-shaped data folder, in a temporary folder.
struct FineTuneFixture {
    let root: URL
    var model: URL { root.appendingPathComponent("model") }
    var data: URL { root.appendingPathComponent("data") }
    var out: URL { root.appendingPathComponent("out") }

    static let words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "good", "great", "bad", "awful", "film", "movie", "not", "very", "the", "plot", "."]
    static let hidden = 16, layers = 2, heads = 2, intermediate = 32, positions = 24

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-finetune-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data((Self.words.joined(separator: "\n") + "\n").utf8).write(to: model.appendingPathComponent("vocab.txt"))
        let config = """
            {"hidden_act": "gelu", "hidden_size": \(Self.hidden), "intermediate_size": \(Self.intermediate), "layer_norm_eps": 1e-12,
             "max_position_embeddings": \(Self.positions), "num_attention_heads": \(Self.heads), "num_hidden_layers": \(Self.layers),
             "pad_token_id": 0, "type_vocab_size": 2, "vocab_size": \(Self.words.count), "initializer_range": 0.02}
            """
        try Data(config.utf8).write(to: model.appendingPathComponent("config.json"))
        try SafeTensors.write(Self.weights(), to: model.appendingPathComponent("model.safetensors"))
        try Data(Self.tsv(count: 2_040, header: "label\tsentence", seed: 1).utf8).write(to: data.appendingPathComponent("train.tsv"))
        try Data(Self.tsv(count: 40, header: "label\tcontent", seed: 2).utf8).write(to: data.appendingPathComponent("dev.tsv"))
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// The names and shapes of a BERT encoder's tensors without the `bert.` prefix and without a
    /// classifier (Hugging Face's names), over this fixture's vocabulary.
    static func encoderShapes(layers: Int, hidden h: Int, intermediate f: Int, positions: Int) -> [(String, [Int])] {
        var shapes: [(String, [Int])] = [
            ("embeddings.word_embeddings.weight", [words.count, h]), ("embeddings.position_embeddings.weight", [positions, h]),
            ("embeddings.token_type_embeddings.weight", [2, h]), ("embeddings.LayerNorm.weight", [h]), ("embeddings.LayerNorm.bias", [h]),
            ("pooler.dense.weight", [h, h]), ("pooler.dense.bias", [h]),
        ]
        for l in 0..<layers {
            let p = "encoder.layer.\(l)."
            for projection in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
                shapes += [(p + projection + ".weight", [h, h]), (p + projection + ".bias", [h])]
            }
            shapes += [
                (p + "attention.output.LayerNorm.weight", [h]), (p + "attention.output.LayerNorm.bias", [h]),
                (p + "intermediate.dense.weight", [f, h]), (p + "intermediate.dense.bias", [f]),
                (p + "output.dense.weight", [h, f]), (p + "output.dense.bias", [h]),
                (p + "output.LayerNorm.weight", [h]), (p + "output.LayerNorm.bias", [h]),
            ]
        }
        return shapes
    }

    /// The encoder's tensors without the `bert.` prefix and without a classifier, plus the
    /// integer `embeddings.position_ids` such checkpoints carry; `replacing` swaps one shape.
    static func weights(replacing: (name: String, shape: [Int])? = nil) -> [String: SafeTensors.Tensor] {
        let shapes = encoderShapes(layers: layers, hidden: hidden, intermediate: intermediate, positions: positions)
        var generator = SeededGenerator(seed: 7)
        var tensors: [String: SafeTensors.Tensor] = [:]
        for (name, original) in shapes {
            let shape = replacing?.name == name ? replacing!.shape : original
            let count = shape.reduce(1, *)
            let values = (0..<count).map { _ in
                name.contains("LayerNorm.weight") ? Float(1) : Float(Double(generator.next() >> 11) / 9_007_199_254_740_992 - 0.5) * 0.2
            }
            tensors[name] = SafeTensors.Tensor(shape: shape, floats: values)
        }
        var ids = Data()
        for i in 0..<positions { withUnsafeBytes(of: Int64(i).littleEndian) { ids.append(contentsOf: $0) } }
        tensors["embeddings.position_ids"] = SafeTensors.Tensor(dtype: .i64, shape: [1, positions], bytes: ids)
        return tensors
    }

    /// Phrases whose label follows their words (positive with good/great unless negated).
    static func tsv(count: Int, header: String, seed: UInt64) -> String {
        var generator = SeededGenerator(seed: seed)
        var lines = [header]
        let content = ["good", "great", "bad", "awful", "film", "movie", "not", "very", "the", "plot", "."]
        for _ in 0..<count {
            let length = 2 + Int(generator.next() % 8)
            let phrase = (0..<length).map { _ in content[Int(generator.next() % UInt64(content.count))] }
            let positive = phrase.contains { $0 == "good" || $0 == "great" } != phrase.contains("not")
            lines.append("\(positive ? 1 : 0)\t\(phrase.joined(separator: " "))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func settings(steps: Int = 12, lr: Double = 1e-3) -> FineTuneSettings {
        FineTuneSettings(steps: steps, batchSize: 4, learningRate: lr, maxLength: 12, seed: 3, evalEvery: 6, saveEvery: 4)
    }

    func run(
        _ settings: FineTuneSettings, out: URL? = nil, model: URL? = nil, data: URL? = nil, peak: Double? = nil, force: Bool = false,
        threads: Int = 1, parallelism: FineTuneParallelism = .batch
    ) -> FineTuneRun {
        FineTuneRun(
            settings: settings, model: ModelFolder(url: model ?? self.model), data: data ?? self.data, output: out ?? self.out,
            threads: threads, parallelism: parallelism, machine: "test-machine", peakGflops: peak, force: force)
    }
}
