import CostModel
import Datasets
import Foundation
import HwnasTestSupport
import Hardware
import Profiler
import Reports
import Support
import SuperNet
import Workflows

/// A model folder of MiniLM-L6-H384's shape (hidden 384, 6 layers of 12 heads of 32, FFN
/// 1536) with random weights and FineTuneFixture's 16-word vocabulary, its SST-2-shaped data,
/// and a profiles folder holding a synthetic minilm-l6 cost table of device `test-t1`: what an
/// InstaTune run and a measured-accuracy search need, small enough for a test.
struct MiniLMFixture {
    let root: URL
    var model: URL { root.appendingPathComponent("model") }
    var data: URL { root.appendingPathComponent("data") }
    var out: URL { root.appendingPathComponent("out") }
    var profiles: URL { root.appendingPathComponent("profiles") }
    var catalog: DeviceCatalog { DeviceCatalog(hardwareDir: root.appendingPathComponent("hardware"), profilesDir: profiles) }
    static let device = "test-t1"
    static let hidden = 384, layers = 6, heads = 12, intermediate = 1536, positions = 24

    init(devCount: Int = 40) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-instatune-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data((FineTuneFixture.words.joined(separator: "\n") + "\n").utf8).write(to: model.appendingPathComponent("vocab.txt"))
        let config = """
            {"hidden_act": "gelu", "hidden_size": \(Self.hidden), "intermediate_size": \(Self.intermediate), "layer_norm_eps": 1e-12,
             "max_position_embeddings": \(Self.positions), "num_attention_heads": \(Self.heads), "num_hidden_layers": \(Self.layers),
             "pad_token_id": 0, "type_vocab_size": 2, "vocab_size": \(FineTuneFixture.words.count), "initializer_range": 0.02}
            """
        try Data(config.utf8).write(to: model.appendingPathComponent("config.json"))
        try SafeTensors.write(Self.weights(), to: model.appendingPathComponent("model.safetensors"))
        try Data(FineTuneFixture.tsv(count: 2_040, header: "label\tsentence", seed: 1).utf8).write(to: data.appendingPathComponent("train.tsv"))
        try Data(FineTuneFixture.tsv(count: devCount, header: "label\tcontent", seed: 2).utf8).write(to: data.appendingPathComponent("dev.tsv"))
        try Self.writeTable(device: Self.device, to: profiles)
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// The encoder's tensors under the bare names, no classifier; weights uniform in ±0.05
    /// (a deep random post-norm stack stays well conditioned), LayerNorm weights 1.
    static func weights() -> [String: SafeTensors.Tensor] {
        let shapes = FineTuneFixture.encoderShapes(layers: layers, hidden: hidden, intermediate: intermediate, positions: positions)
        var generator = SeededGenerator(seed: 17)
        var tensors: [String: SafeTensors.Tensor] = [:]
        for (name, shape) in shapes {
            let count = shape.reduce(1, *)
            let values = name.contains("LayerNorm.weight")
                ? [Float](repeating: 1, count: count)
                : (0..<count).map { _ in generator.nextSymmetricFloat() * 0.05 }
            tensors[name] = SafeTensors.Tensor(shape: shape, floats: values)
        }
        return tensors
    }

    /// A minilm-l6 table of `device` at sequence 64 from a synthetic profile (SyntheticMiniLMTable),
    /// written into `profiles`.
    static func writeTable(device: String, to profiles: URL, attentionScale: Double = 1) throws {
        let space = MiniLML6Space()
        let url = profiles.appendingPathComponent(device).appendingPathComponent("\(space.name).lut.json")
        let table = try SyntheticMiniLMTable.table(device: device, attentionScale: attentionScale,
                                                   profile: url.deletingLastPathComponent().appendingPathComponent("\(space.name).profile.json"))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(JSONFormat.encode(table), to: url)
    }

    /// Fine-tuning settings for a short run on the fixture (batch 4, 12 tokens).
    func settings(steps: Int = 12, instaTune: InstaTuneSettings? = nil) -> FineTuneSettings {
        FineTuneSettings(steps: steps, batchSize: 4, learningRate: 1e-3, maxLength: 12, seed: 3, evalEvery: 6, saveEvery: 4,
                         instaTune: instaTune)
    }

    func run(_ settings: FineTuneSettings, out: URL? = nil, force: Bool = false) -> FineTuneRun {
        let run = FineTuneRun(settings: settings, model: ModelFolder(url: model), data: data, output: out ?? self.out,
                              threads: 1, machine: "test-machine", peakGflops: nil, force: force)
        run.catalog = catalog
        return run
    }
}
