import Datasets
import Foundation
import Hardware
import Support
import SuperNet
import Testing
import Training
@testable import Workflows

@Suite("Fine-tuning runs")
struct FineTuneRunTests {
    /// One thread; two threads with a shard of the batch each (deterministic sums in shard
    /// order); two threads splitting every product. Serialized: the runs pin threads to cores.
    @Test(
        "a run killed after its last save and resumed repeats the uninterrupted loss curve bit for bit", .serialized,
        arguments: [(1, FineTuneParallelism.batch), (2, .batch), (2, .products)])
    func resumeReproducesLossCurve(_ threads: Int, _ parallelism: FineTuneParallelism) throws {
        let cores = try Topology.current().corePus.count
        let fixture = try FineTuneFixture()
        defer { fixture.remove() }
        let settings = fixture.settings()
        let threads = min(threads, cores)
        func run(_ out: URL? = nil) -> FineTuneRun { fixture.run(settings, out: out, threads: threads, parallelism: parallelism) }
        let whole = try run(fixture.root.appendingPathComponent("whole")).run()
        #expect(whole.losses.count == 12)
        #expect(whole.segments.map(\.parallelism) == [parallelism.rawValue])

        // Killed at step 10: the last save is step 8 (save-every 4), steps 9 and 10 are lost.
        let interrupted = run()
        let killed = try interrupted.run(stopAfter: 10)
        #expect(killed.step == 10)
        let saved = try JSONDecoder().decode(FineTuneRecord.State.self, from: Data(contentsOf: fixture.out.appendingPathComponent("state.json")))
        #expect(saved.step == 8)
        var events: [Int] = []
        let resumed = try run().run { event in
            if case let .started(from, _, resumed) = event, resumed { events.append(from) }
        }
        #expect(events == [8])
        #expect(resumed.losses.map(\.bitPattern) == whole.losses.map(\.bitPattern))
        #expect(resumed.evaluations.map(\.loss) == whole.evaluations.map(\.loss))
        #expect(resumed.segments.map(\.steps) == [8, 4])
        let a = try Data(contentsOf: fixture.root.appendingPathComponent("whole/model.safetensors"))
        let b = try Data(contentsOf: fixture.out.appendingPathComponent("model.safetensors"))
        #expect(a == b)
        // The loss moved: a curve of identical values would prove nothing.
        #expect(Set(whole.losses).count > 1)
    }

    @Test("run.json and state.json hold the settings, segments, evaluations and throughput; model.safetensors Hugging Face's names")
    func recordContents() throws {
        let fixture = try FineTuneFixture()
        defer { fixture.remove() }
        let state = try fixture.run(fixture.settings(), peak: 50).run()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: fixture.out.appendingPathComponent("run.json"))) as? [String: Any])
        for key in ["schemaVersion", "space", "task", "settings", "segments", "evaluations", "samplesPerSecond", "trainingGflopsPerSecond", "percentOfPeak", "elapsedSeconds"] {
            #expect(object[key] != nil, "run.json lacks \(key)")
        }
        #expect(object["space"] as? String == "minilm-l6")
        #expect(object["task"] as? String == "sst2")
        let run = try JSONDecoder().decode(FineTuneRecord.Run.self, from: Data(contentsOf: fixture.out.appendingPathComponent("run.json")))
        #expect(run.evaluations.map(\.step) == [6, 12])
        #expect(run.evaluations.map(\.samples) == [24, 48])
        #expect(run.evaluations.allSatisfy { (0...100).contains($0.devAccuracy) && $0.loss > 0 })
        #expect(run.segments.count == 1 && run.segments[0].machine == "test-machine" && run.segments[0].steps == 12)
        #expect(run.samplesPerSecond > 0)
        let gflops = state.trainingFlops / state.trainingSeconds / 1e9
        #expect(abs(run.trainingGflopsPerSecond - gflops) <= 1e-9 * gflops)
        #expect(abs(try #require(run.percentOfPeak) - 100 * gflops / 50) <= 1e-9 * gflops)
        #expect(run.settings == fixture.settings())

        let saved = try JSONDecoder().decode(FineTuneRecord.State.self, from: Data(contentsOf: fixture.out.appendingPathComponent("state.json")))
        #expect(saved.step == 12 && saved.seed == 3 && saved.losses.count == 12)
        #expect(saved.warmupSteps == 1)
        #expect(saved.batchesPerEpoch == 10)
        #expect(saved.epoch == 1)

        let weights = try SafeTensors(contentsOf: fixture.out.appendingPathComponent("model.safetensors"))
        #expect(weights.names.allSatisfy { $0.hasPrefix("bert.") || $0.hasPrefix("classifier.") })
        #expect(try weights.info("classifier.weight").shape == [2, FineTuneFixture.hidden])
        #expect(try weights.info("bert.encoder.layer.1.intermediate.dense.weight").shape == [FineTuneFixture.intermediate, FineTuneFixture.hidden])
        #expect(weights.metadata?["step"] == "12")
        let moments = try SafeTensors(contentsOf: fixture.out.appendingPathComponent("optimizer.safetensors"))
        #expect(moments.tensors["classifier.weight.exp_avg_sq"] != nil)
        for file in ["config.json", "vocab.txt"] {
            #expect(try Data(contentsOf: fixture.out.appendingPathComponent(file)) == Data(contentsOf: fixture.model.appendingPathComponent(file)))
        }
    }

    @Test("the pre-trained encoder is loaded under bert. names; the classifier comes from the seed")
    func loadsPretrainedWeights() throws {
        let fixture = try FineTuneFixture()
        defer { fixture.remove() }
        let pretrained = try PretrainedModel(folder: ModelFolder(url: fixture.model), dropout: 0.1)
        let model = try BertClassifier(configuration: pretrained.configuration, maxBatch: 2, maxLength: 8, seed: 5)
        let classifierBefore = Array(UnsafeBufferPointer(start: model.parameters["classifier.weight"]!.value, count: 2 * FineTuneFixture.hidden))
        try pretrained.load(into: model)
        let expected = FineTuneFixture.weights()["encoder.layer.1.output.dense.weight"]!
        let tensor = model.parameters["bert.encoder.layer.1.output.dense.weight"]!
        let loaded = Data(buffer: UnsafeBufferPointer(start: tensor.value, count: tensor.count))
        #expect(loaded == expected.bytes)
        #expect(Array(UnsafeBufferPointer(start: model.parameters["classifier.weight"]!.value, count: 2 * FineTuneFixture.hidden)) == classifierBefore)
        #expect(pretrained.configuration.hiddenDropout == 0.1)
    }

    @Test("a model folder without weights or vocabulary is refused by file name, nothing written")
    func missingModelFiles() throws {
        let fixture = try FineTuneFixture()
        defer { fixture.remove() }
        for file in ["model.safetensors", "vocab.txt"] {
            let folder = fixture.root.appendingPathComponent("without-\(file)")
            try FileManager.default.copyItem(at: fixture.model, to: folder)
            try FileManager.default.removeItem(at: folder.appendingPathComponent(file))
            let error = #expect(throws: HwnasError.self) { try fixture.run(fixture.settings(), model: folder).run() }
            #expect(error?.description.contains(file) == true)
            #expect(!FileManager.default.fileExists(atPath: fixture.out.path))
        }
    }

    @Test("a truncated safetensors file and a tensor of the wrong shape are refused by name, nothing written")
    func badWeights() throws {
        let fixture = try FineTuneFixture()
        defer { fixture.remove() }
        let truncated = fixture.root.appendingPathComponent("truncated")
        try FileManager.default.copyItem(at: fixture.model, to: truncated)
        let weights = truncated.appendingPathComponent("model.safetensors")
        let bytes = try Data(contentsOf: weights)
        try bytes.prefix(bytes.count - 10).write(to: weights)
        let error = #expect(throws: (any Error).self) { try fixture.run(fixture.settings(), model: truncated).run() }
        #expect("\(error!)".contains("model.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: fixture.out.path))

        let misshapen = fixture.root.appendingPathComponent("misshapen")
        try FileManager.default.copyItem(at: fixture.model, to: misshapen)
        let name = "encoder.layer.1.intermediate.dense.weight"
        try SafeTensors.write(FineTuneFixture.weights(replacing: (name, [FineTuneFixture.intermediate + 1, FineTuneFixture.hidden])),
                              to: misshapen.appendingPathComponent("model.safetensors"))
        let shapeError = #expect(throws: (any Error).self) { try fixture.run(fixture.settings(), model: misshapen).run() }
        #expect("\(shapeError!)".contains(name))
        #expect(!FileManager.default.fileExists(atPath: fixture.out.path))
    }

    @Test("a data file without the label column is refused by name, nothing written")
    func dataWithoutLabels() throws {
        let fixture = try FineTuneFixture()
        defer { fixture.remove() }
        let data = fixture.root.appendingPathComponent("unlabelled")
        try FileManager.default.copyItem(at: fixture.data, to: data)
        let text = try String(contentsOf: data.appendingPathComponent("train.tsv"), encoding: .utf8)
        let stripped = text.split(separator: "\n").map { $0.split(separator: "\t", maxSplits: 1).last.map(String.init)! }
        try Data(stripped.joined(separator: "\n").utf8).write(to: data.appendingPathComponent("train.tsv"))
        let error = #expect(throws: (any Error).self) { try fixture.run(fixture.settings(), data: data).run() }
        #expect("\(error!)".contains("train.tsv"))
        #expect("\(error!)".contains("label"))
        #expect(!FileManager.default.fileExists(atPath: fixture.out.path))
    }

    @Test("another run's folder is refused by file name, other settings by setting name; nothing overwritten; --force replaces")
    func foreignFolders() throws {
        let fixture = try FineTuneFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: fixture.out, withIntermediateDirectories: true)
        let foreign = fixture.out.appendingPathComponent("run.json")
        try Data("{\"other\": true}".utf8).write(to: foreign)
        let error = #expect(throws: HwnasError.self) { try fixture.run(fixture.settings()).run() }
        #expect(error?.description.contains("run.json") == true)
        #expect(try Data(contentsOf: foreign) == Data("{\"other\": true}".utf8))

        try fixture.run(fixture.settings(steps: 4), force: true).run()
        let before = try Data(contentsOf: fixture.out.appendingPathComponent("model.safetensors"))
        let other = #expect(throws: HwnasError.self) { try fixture.run(fixture.settings(steps: 4, lr: 2e-3)).run() }
        #expect(other?.description.contains("lr") == true)
        #expect(try Data(contentsOf: fixture.out.appendingPathComponent("model.safetensors")) == before)
    }

    @Test("a saved checkpoint read back measures the run's final dev accuracy; a smaller sub-network runs too")
    func checkpointAccuracy() throws {
        let fixture = try FineTuneFixture()
        defer { fixture.remove() }
        let state = try fixture.run(fixture.settings()).run()
        let checkpoint = try FineTunedCheckpoint(folder: fixture.out)
        #expect(checkpoint.maxLength == 12)
        let dev = try SST2Task(folder: fixture.data).examples(.dev)
        let full = try checkpoint.accuracy(on: dev, layers: 2, heads: [2, 2], intermediate: [32, 32])
        #expect(full == state.evaluations.last?.devAccuracy)
        let small = try checkpoint.accuracy(on: dev, layers: 1, heads: [1], intermediate: [8])
        #expect((0...100).contains(small))
        #expect(throws: HwnasError.self) { try checkpoint.accuracy(on: dev, layers: 3, heads: [2, 2, 2], intermediate: [32, 32, 32]) }
        // The logits `evaluate --logits` writes are those the accuracy comes from.
        for (layers, heads, units, accuracy) in [(2, [2, 2], [32, 32], full), (1, [1], [8], small)] {
            let logits = try checkpoint.logits(on: dev, layers: layers, heads: heads, intermediate: units)
            #expect(logits.count == dev.count && logits.allSatisfy { $0.count == 2 })
            let correct = zip(logits, dev).filter { $0.firstIndex(of: $0.max()!) == $1.label }.count
            #expect(100 * Double(correct) / Double(dev.count) == accuracy)
        }
        let two = try checkpoint.logits(on: dev, layers: 2, heads: [2, 2], intermediate: [32, 32])
        let one = try checkpoint.logits(on: dev, layers: 1, heads: [1], intermediate: [8])
        #expect(two != one, "the sub-network changes the logits")

        // `hwnas export --checkpoint` refuses the run for another space (its run.json says which)
        // and for a sub-network of MiniLM's shape (the fixture's BERT is tiny).
        let slice = try BertCheckpointSlice(folder: fixture.out)
        #expect(slice.space == "minilm-l6" && slice.labels == 2 && slice.sha256.count == 64)
        var generator = SeededGenerator(seed: 1)
        for space in [BertBaseSpace(), MiniLML6Space()] as [any SearchSpace] {
            let blocks = space.blocks(of: space.sample(using: &generator))
            #expect { try slice.parameters(for: blocks, space: space) } throws: { error in
                let message = "\(error)"
                return space is BertBaseSpace ? message.contains("is a checkpoint of minilm-l6 (run.json), not of bert-base")
                    : message.contains("holds a BERT of hidden 16") && message.contains("needs hidden 384")
            }
        }
    }
}
