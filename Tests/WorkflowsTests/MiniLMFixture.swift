import CostModel
import Datasets
import Foundation
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
        let h = hidden, f = intermediate
        var shapes: [(String, [Int])] = [
            ("embeddings.word_embeddings.weight", [FineTuneFixture.words.count, h]), ("embeddings.position_embeddings.weight", [positions, h]),
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

    static let machine: MachineDescriptor = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-workflowtests-\(getpid()).xml")
        try! Topology.current().exportXML(to: url)
        return try! MachineDescriber().describe(xml: url).0
    }()

    /// A minilm-l6 table of `device` at sequence 64 from a synthetic profile: each block 0.02
    /// ms plus its MACs at 10 GMAC/s, attention `attentionScale` times that.
    static func writeTable(device: String, to profiles: URL, attentionScale: Double = 1) throws {
        let space = MiniLML6Space()
        let settings = space.defaultSettings
        let entries = space.distinctBlocks(settings: settings).map { block in
            var ms = 0.02 + Double(block.macs) / 1e7
            if case .attention = block { ms *= attentionScale }
            var stats = EntryStatistics(secondsPerCall: Array(repeating: ms / 1000, count: 8), callsPerSample: 1)
            stats.medianMs = ms
            return ProfileEntry(key: block.key, flops: 1, bytes: 1, stats: stats, counters: [:],
                                derived: DerivedFigures(flops: 1, bytes: 1, medianMs: ms, peakGflops: nil, counters: [:]),
                                involuntaryContextSwitches: 0, cpus: [0])
        }
        let profileSettings = ProfileSettings(threads: 1, cores: [0], batch: 1, budget: .quick, sequence: settings.sequence,
                                              resolutions: settings.resolutions, events: [])
        let profile = Profile(space: space.name, device: device, machine: machine, settings: profileSettings,
                              counterScope: "", events: [],
                              noise: NoiseRecord(loadAverageBefore: [], loadAverageAfter: [], involuntaryContextSwitches: 0,
                                                 entriesSeenOnSeveralCPUs: 0, unstableEntries: 0, referenceGflops: []),
                              entries: entries, durationSeconds: 0)
        let url = profiles.appendingPathComponent(device).appendingPathComponent("\(space.name).lut.json")
        let table = try CostTable(profiles: [(url.deletingLastPathComponent().appendingPathComponent("\(space.name).profile.json"), profile)])
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
